"""A reminder greets the person by the name they gave at sign-up, and never by a username."""

import datetime as dt

import time_machine

from followups import emails
from followups.models import Reminder
from tests.factories import FollowUpFactory, UserFactory

NOW = dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)


def reminder_for(user) -> Reminder:
    followup = FollowUpFactory(owner=user, due_at=NOW, deadline_at=NOW + dt.timedelta(days=1))
    return Reminder.objects.create(owner=user, followup=followup, send_at=NOW, next_attempt_at=NOW)


def test_it_says_hello_without_a_name_and_hi_with_one(db):
    kenji = UserFactory(username="kenji", first_name="", last_name="")
    kenji.profile.full_name = ""
    kenji.profile.save()
    with time_machine.travel(NOW, tick=False):
        anonymous = emails.reminder_message(reminder_for(kenji), profile=kenji.profile)
        kenji.profile.full_name = "Kenji Watanabe"
        named = emails.reminder_message(reminder_for(kenji), profile=kenji.profile)

    assert anonymous.body.startswith("Hello,")
    assert "kenji" not in anonymous.body.split("\n", 1)[0].lower()
    assert named.body.startswith("Hi Kenji,")
