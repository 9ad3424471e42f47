"""The settings page and the admin only store a time zone from the list."""

import pytest

from accounts.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _settings(**overrides):
    return {
        "full_name": "Sam Rivera",
        "time_zone": "Europe/Berlin",
        "reminders_enabled": "on",
        "reminder_start": "08:00",
        "reminder_end": "20:00",
        "delivery": "immediate",
        "keep_in_touch_days": "90",
        "reapply_cooldown_days": "90",
    } | overrides


def test_the_settings_page_says_what_to_pick_and_saves_nothing(user, user_client):
    response = user_client.post(
        "/accounts/settings/", _settings(time_zone="Mars/Olympus_Mons", full_name="Sam R.")
    )

    assert response.status_code == 200
    assert "Pick a time zone from the list, for example Europe/Berlin." in response.content.decode()
    profile = Profile.objects.get(user=user)
    assert (profile.time_zone, profile.full_name) == ("Europe/Berlin", "Sam Rivera")


def test_the_admin_says_what_to_pick_and_saves_nothing(client_for):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    sam = UserFactory(username="sam")
    url = f"/admin/accounts/profile/{sam.profile.pk}/change/"
    form = {
        "user": sam.pk,
        "full_name": "Sam Rivera",
        "signature": "",
        "reminder_email": "",
        "reminders_enabled": "on",
        "reminder_start": "08:00",
        "reminder_end": "20:00",
        "delivery": "immediate",
        "keep_in_touch_days": "90",
        "reapply_cooldown_days": "90",
    }
    client = client_for(admin)

    refused = client.post(url, form | {"time_zone": "Europe/Atlantis"})
    assert refused.status_code == 200
    assert "Pick a time zone from the list" in refused.content.decode()
    assert Profile.objects.get(user=sam).time_zone == "Europe/Berlin"

    # The admin offers the list, and a zone from it is saved.
    assert '<option value="America/New_York">' in client.get(url).content.decode()
    saved = client.post(url, form | {"time_zone": "America/New_York"})
    assert saved.status_code == 302
    assert Profile.objects.get(user=sam).time_zone == "America/New_York"
