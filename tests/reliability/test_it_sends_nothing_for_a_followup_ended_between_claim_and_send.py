"""A follow-up marked done, or whose application is deleted, after the dispatcher claimed its
reminder but before it sent it: no email. The dispatcher re-checks each chunk of 25 emails
just before sending it (followups.outbox._deliver).

A real `manage.py dispatch_reminders` process claims 30 reminders and is held by the SMTP
server on its first email; meanwhile another process (`manage.py shell`, the person) marks one
follow-up done and deletes another's application, both due last, so in the second chunk.
"""

import datetime as dt

import pytest
import time_machine

from followups import outbox, services
from followups.models import FollowUp, Reminder
from tests.factories import ContactFactory, RejectionFactory, UserFactory
from tests.reliability.conftest import (
    Dispatchers,
    any_time,
    at,
    bulk_due_reminders,
    child_env,
    finish,
    run_manage,
    shared_database,
    start_manage,
)

pytestmark = pytest.mark.processes

T = at("2026-03-03 14:00")

ACT = """
from django.utils import timezone
from applications.models import Application
from followups import services
from followups.models import FollowUp

services.mark_done(followup=FollowUp.objects.get(pk={done}), done_at=timezone.now())
Application.objects.get(pk={deleted}).delete()
"""


def test_it_sends_nothing_for_a_followup_done_or_deleted_after_its_reminder_was_claimed(
    transactional_db, tmp_path, gated_smtp
):
    """GIVEN 28 reminders due at 14:00 and two more at 14:01 (the second chunk of the batch)
    WHEN a dispatcher has claimed all 30 and is sending the first, the person marks one of the
    14:01 follow-ups done and deletes the other's application
    THEN the SMTP server receives the 28 others, and nothing for those two."""
    others = bulk_due_reminders(count=2 * outbox.CHUNK - 22, due=T)
    sam = UserFactory(username="sam")
    any_time(sam)
    late = []
    # Logged a minute later than the others' events (a frozen clock only for the set-up:
    # time-machine also stops the monotonic clock the SMTP server's event loop runs on).
    with time_machine.travel(T - dt.timedelta(hours=24) + dt.timedelta(minutes=1), tick=False):
        for name in ("Initech", "Hooli"):
            contact = ContactFactory(owner=sam, company__name=name)
            rejection = RejectionFactory(
                owner=sam, application__company=contact.company, contact=contact
            )
            services.sync_rejection(rejection=rejection)
            late.append(
                FollowUp.objects.get(rejection=rejection, kind=FollowUp.Kind.REJECTION_THANKS)
            )
    done, deleted = late
    assert Reminder.objects.filter(followup__in=late, next_attempt_at__gt=T).count() == 2

    gated_smtp.accept_first, gated_smtp.accept_held = 0, True
    dispatchers = Dispatchers(tmp_path=tmp_path, smtp_port=gated_smtp.port)
    with shared_database(tmp_path) as database:
        env = child_env(dispatchers, database, EMAIL_TIMEOUT="120")
        dispatcher = start_manage(
            env, "dispatch_reminders", "--now", (T + dt.timedelta(minutes=5)).isoformat()
        )
        assert gated_smtp.holding.wait(60), dispatcher.stderr.read() if dispatcher.poll() else ""
        run_manage(env, "shell", "-c", ACT.format(done=done.pk, deleted=deleted.application_id))
        gated_smtp.released.set()
        out = finish(dispatcher)

    assert "claimed 30," in out and "sent 28 reminder(s)" in out
    assert sorted(gated_smtp.message_ids()) == sorted(others)
    done.refresh_from_db()
    assert done.status == FollowUp.Status.DONE
    assert done.reminders.get().status == Reminder.Status.CANCELLED
    assert not FollowUp.objects.filter(pk=deleted.pk).exists()
    assert not Reminder.objects.filter(followup_id=deleted.pk).exists()
