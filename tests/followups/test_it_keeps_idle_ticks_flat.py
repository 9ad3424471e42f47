"""An idle tick costs the same at 10 or 1,000 outbox rows: a few index range scans."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from followups import outbox
from followups.models import FollowUp, Reminder
from tests.factories import CompanyFactory
from tests.followups.conftest import at

NOW = at("2026-03-03 14:00")


def fill(person, count: int) -> None:
    company = CompanyFactory(owner=person)
    followups = FollowUp.objects.bulk_create(
        FollowUp(
            owner=person,
            kind=FollowUp.Kind.CHECK_IN,
            key=f"bulk:{count}:{n}",
            company=company,
            due_at=NOW,
            deadline_at=NOW + dt.timedelta(days=1),
            status=FollowUp.Status.DONE,
        )
        for n in range(count)
    )
    Reminder.objects.bulk_create(
        Reminder(
            followup=f,
            owner=person,
            status=Reminder.Status.SENT,
            send_at=NOW - dt.timedelta(days=1),
            next_attempt_at=NOW - dt.timedelta(days=1),
            sent_at=NOW,
        )
        for f in followups
    )
    # And some far in the future.
    Reminder.objects.filter(pk__in=[r.pk for r in Reminder.objects.all()[: count // 2]]).update(
        status=Reminder.Status.PENDING, next_attempt_at=NOW + dt.timedelta(days=30)
    )


def idle_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        summary = outbox.dispatch_due_reminders(now=NOW)
    assert summary.claimed == 0
    return len(queries)


def test_an_idle_tick_does_the_same_queries_at_any_size(person):
    fill(person, 10)
    small = idle_queries()
    fill(person, 1_000)
    assert idle_queries() == small <= 4


def test_the_due_question_uses_the_partial_index(person):
    fill(person, 200)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
    due = Reminder.objects.filter(
        status=Reminder.Status.PENDING, next_attempt_at__lte=NOW
    ).order_by("next_attempt_at")
    lease = Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_until__lt=NOW).order_by(
        "claimed_until"
    )
    assert "reminder_pending_due_idx" in due.explain()
    assert "reminder_sending_lease_idx" in lease.explain()
