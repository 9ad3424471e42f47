import datetime as dt

import pytest

from accounts.models import Delivery

pytestmark = pytest.mark.django_db


def _settings_data(**overrides):
    return {
        "full_name": "Sam Rivera",
        "signature": "Sam Rivera\nsam.example",
        "time_zone": "Asia/Tokyo",
        "reminder_email": "",
        "reminders_enabled": "on",
        "reminder_start": "09:00",
        "reminder_end": "18:30",
        "delivery": Delivery.DIGEST,
        "keep_in_touch_days": "120",
        "reapply_cooldown_days": "60",
    } | overrides


def test_it_saves_time_zone_hours_delivery_and_cadences(user, user_client):
    response = user_client.post("/accounts/settings/", _settings_data(), follow=True)
    assert "Settings saved." in response.content.decode()
    profile = user.profile
    profile.refresh_from_db()
    assert profile.time_zone == "Asia/Tokyo"
    assert (profile.reminder_start, profile.reminder_end) == (dt.time(9), dt.time(18, 30))
    assert profile.delivery == Delivery.DIGEST
    assert profile.keep_in_touch_days == 120
    assert profile.email_address == user.email


def test_it_offers_iana_zone_names(user_client):
    page = user_client.get("/accounts/settings/").content.decode()
    assert 'value="Europe/Berlin"' in page
    assert 'value="America/New_York"' in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reminder_end": "09:00"}, "reminder_end", "Pick an end time different from the start"),
        ({"time_zone": "Moon/Base"}, "time_zone", "Pick a time zone from the list"),
        ({"keep_in_touch_days": "14"}, "keep_in_touch_days", "greater than or equal to 60"),
        ({"reminder_email": "not-an-email"}, "reminder_email", "Enter a valid email address"),
    ],
)
def test_it_explains_bad_settings_next_to_the_field_and_keeps_the_old_ones(
    user, user_client, overrides, field, message
):
    response = user_client.post("/accounts/settings/", _settings_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    user.profile.refresh_from_db()
    assert user.profile.time_zone == "Europe/Berlin"


def test_it_keeps_night_hours_that_run_past_midnight(user, user_client):
    """GIVEN a person who deals with email late at night
    WHEN they set reminders from 22:00 until 06:00
    THEN the settings are saved as they typed them, not refused."""
    data = _settings_data(reminder_start="22:00", reminder_end="06:00")
    response = user_client.post("/accounts/settings/", data, follow=True)
    assert "Settings saved." in response.content.decode()
    user.profile.refresh_from_db()
    assert (user.profile.reminder_start, user.profile.reminder_end) == (dt.time(22), dt.time(6))
