"""`manage.py dispatch_reminders` and the beat task run the same service."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from followups import services, tasks
from tests.factories import RejectionFactory
from tests.followups.conftest import at


@pytest.fixture
def due(person, dana, time_machine):
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    services.sync_rejection(
        rejection=RejectionFactory(
            owner=person,
            application__company=dana.company,
            contact=dana,
            received_at=at("2026-03-02 14:00"),
        )
    )


def test_run_twice_at_the_same_now_it_sends_nothing_the_second_time(due, capsys):
    call_command("dispatch_reminders", "--now", "2026-03-03T14:00:00+01:00")
    call_command("dispatch_reminders", "--now", "2026-03-03T14:00:00+01:00")
    first, second = capsys.readouterr().out.strip().splitlines()
    assert "sent 1 reminder(s)" in first
    assert "sent 0 reminder(s)" in second
    assert len(mail.outbox) == 1


def test_a_naive_now_means_utc(due):
    call_command("dispatch_reminders", "--now", "2026-03-03T12:59:00")
    assert mail.outbox == []
    call_command("dispatch_reminders", "--now", "2026-03-03T13:00:00")
    assert len(mail.outbox) == 1


def test_it_refuses_nonsense():
    with pytest.raises(CommandError, match="not an ISO-8601"):
        call_command("dispatch_reminders", "--now", "tomorrow")
    with pytest.raises(CommandError, match="don't mix"):
        call_command("dispatch_reminders", "--now", "2026-03-03T13:00:00", "--loop")


def test_the_beat_task_sends_what_is_due(due, time_machine):
    time_machine.move_to(at("2026-03-03 14:00"), tick=False)
    assert "sent 1 reminder(s)" in tasks.dispatch()
    assert "sent 0 reminder(s)" in tasks.dispatch()
    assert tasks.dispatch.name == "followups.tasks.dispatch"
