"""Worker and beat down for three days while the person keeps using the site: on restart each
overdue reminder goes out once, a person on the daily digest gets one digest (not three), and
the doorbell rings that piled up in the broker are discarded, not run one after another."""

import datetime as dt
import time
from collections import Counter

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Delivery
from applications.models import Interview
from followups import services
from followups.models import Digest, FollowUp, Reminder
from tests.factories import ContactFactory, InterviewFactory, RejectionFactory, UserFactory
from tests.reliability.conftest import (
    any_time,
    body_text,
    celery_worker,
    child_env,
    shared_database,
    wait_until,
)

pytestmark = pytest.mark.processes

Kind = FollowUp.Kind


def log_rejection(person, company: str, received_at: dt.datetime) -> None:
    contact = ContactFactory(owner=person, company__name=company, name=f"Jo {company}")
    with time_machine.travel(received_at, tick=False):
        services.sync_rejection(
            rejection=RejectionFactory(
                owner=person,
                application__company=contact.company,
                contact=contact,
                received_at=received_at,
            )
        )


def test_it_sends_each_overdue_reminder_once_when_worker_and_beat_come_back(
    dispatchers, smtp_server, broker, tmp_path
):
    """GIVEN worker and beat stopped three days ago (T); Ana's thank-you fell due at T and its
    48-hour window closed at T+1d, her interview thank-you fell due at T+1h; Dee, on the daily
    digest, had one thank-you due at T and logged another rejection at T+12h
    WHEN the worker starts, finds 20 stale beat messages in the broker, and two fresh ticks
    THEN the stale messages are discarded; Ana gets each reminder once (late, as the engine's
    rule says: a reminder nobody could send is sent when dispatch returns, once); Dee gets one
    digest with both thank-yous; nothing that is not yet due is sent."""
    now = timezone.now()
    t = now - dt.timedelta(days=3)
    ana, dee = UserFactory(username="ana"), UserFactory(username="dee")
    any_time(ana, dee)
    dee.profile.refresh_from_db()
    dee.profile.delivery = Delivery.DIGEST
    dee.profile.save()

    log_rejection(ana, "Acme", t - dt.timedelta(days=1))
    with time_machine.travel(t - dt.timedelta(hours=2), tick=False):
        interview = InterviewFactory(
            owner=ana,
            application__company__name="Globex",
            when=timezone.now(),
            kind=Interview.Kind.VIDEO,
        )
        services.sync_interview(interview=interview)
    log_rejection(dee, "Initech", t - dt.timedelta(days=1))
    log_rejection(dee, "Hooli", t + dt.timedelta(hours=12))  # the site works while they are down
    due = Reminder.objects.filter(next_attempt_at__lte=now, status=Reminder.Status.PENDING)
    assert due.count() == 4
    later = set(Reminder.objects.exclude(pk__in=due).values_list("pk", flat=True))
    assert later  # the 90-day check-ins

    with shared_database(tmp_path) as database:
        env = child_env(dispatchers, database)
        broker.ring(times=20, expires=1)  # beat kept ringing; nobody answered in time
        time.sleep(1.5)
        with celery_worker(env, broker, tmp_path) as worker:
            broker.ring(times=2)
            worker.wait_for(r"Task followups\.tasks\.dispatch\[[^\]]+\] succeeded", count=2)
            time.sleep(1)  # a stale message run late would show up here
            summaries = worker.succeeded()
            discarded = worker.count(r"Discarding revoked task")
            wait_until(lambda: len(smtp_server.received) >= 3, timeout=10, what="emails")

    assert len(summaries) == 2, summaries
    assert discarded == 20
    received = Counter(smtp_server.message_ids())
    assert max(received.values()) == 1
    ana_ids = set(
        Reminder.objects.filter(owner=ana, status=Reminder.Status.SENT).values_list(
            "message_id", flat=True
        )
    )
    assert len(ana_ids) == 2
    digest = Digest.objects.get(owner=dee)
    assert set(received) == ana_ids | {digest.message_id}
    [digest_email] = [m for m in smtp_server.received if m["Message-ID"] == digest.message_id]
    body = body_text(digest_email)
    assert "Initech" in body and "Hooli" in body
    assert not Reminder.objects.filter(pk__in=later).exclude(status=Reminder.Status.PENDING)
    # Overdue, reminded once, and still on the dashboard for the person to act on.
    thanks = FollowUp.objects.get(owner=ana, kind=Kind.REJECTION_THANKS)
    assert thanks.status == FollowUp.Status.PENDING and thanks.deadline_at < now
