"""The admin only stores a time zone from the list (the settings page: test_settings_page.py)."""

import pytest

from accounts.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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
