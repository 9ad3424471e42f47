import datetime as dt
import zoneinfo

import pytest

from applications.services import log_rejection
from followups.models import FollowUp, Reminder

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


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


def test_it_moves_a_waiting_reminder_into_new_reminder_hours(user, user_client, time_machine):
    """GIVEN a rejection received Monday 21:30 Berlin time, so the thank-you reminder waits
    for Wednesday 08:00 (the start of the person's hours, before the 48 h deadline)
    WHEN the person changes their hours to start at 10:00
    THEN the waiting reminder now goes out at Wednesday 10:00."""
    time_machine.move_to(dt.datetime(2026, 3, 2, 21, 30, tzinfo=BERLIN), tick=False)
    log_rejection(
        owner=user,
        received_at=dt.datetime(2026, 3, 2, 21, 30, tzinfo=BERLIN),
        company_name="Acme",
        role_title="Data Engineer",
        contact_name="Dana Whitfield",
    )
    reminder = Reminder.objects.get(followup__kind=FollowUp.Kind.REJECTION_THANKS)
    before = reminder.send_at.astimezone(BERLIN)

    user_client.post("/accounts/settings/", _settings(reminder_start="10:00"))

    reminder = Reminder.objects.filter(
        followup__kind=FollowUp.Kind.REJECTION_THANKS, status=Reminder.Status.PENDING
    ).get()
    after = reminder.send_at.astimezone(BERLIN)
    assert before == dt.datetime(2026, 3, 4, 8, 0, tzinfo=BERLIN)
    assert after == dt.datetime(2026, 3, 4, 10, 0, tzinfo=BERLIN)
