"""A backlog (after an outage, or a busy morning) is sent by all of the worker's pool processes
at once: the beat tick starts helpers, and every reminder still arrives once."""

import datetime as dt
import time
from collections import Counter

import pytest
from django.utils import timezone

from followups.models import Reminder
from tests.reliability.conftest import (
    bulk_due_reminders,
    celery_worker,
    child_env,
    shared_database,
    wait_until,
)

pytestmark = pytest.mark.processes

DONE = r"Task followups\.tasks\.dispatch\[[^\]]+\] succeeded"


def sent_by(summary: str) -> int:
    return int(summary.split("sent ")[1].split(" ")[0])


def test_one_tick_over_a_backlog_is_joined_by_a_helper(dispatchers, smtp_server, broker, tmp_path):
    """GIVEN 1,200 reminders due a minute ago (six batches) and DISPATCH_CONCURRENCY=2
    WHEN beat rings once and a worker with two pool processes takes the tick
    THEN the tick starts one helper on the other process, both send, and the SMTP server
    receives each reminder once."""
    expected = bulk_due_reminders(count=1_200, due=timezone.now() - dt.timedelta(minutes=1))

    with shared_database(tmp_path) as database:
        env = child_env(dispatchers, database, DISPATCH_CONCURRENCY="2")
        with celery_worker(env, broker, tmp_path, pool="prefork", concurrency=2) as worker:
            broker.ring()
            worker.wait_for(DONE, count=2, timeout=180)
            wait_until(
                lambda: len(smtp_server.received) >= len(expected), timeout=10, what="emails"
            )
            summaries = worker.succeeded()

    received = Counter(smtp_server.message_ids())
    assert max(received.values()) == 1, received.most_common(3)
    assert sorted(received) == sorted(expected)
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}
    assert len(summaries) == 2, summaries  # the tick and its helper; the helper asked no one
    assert sum(sent_by(s) for s in summaries) == len(expected)
    print(f"\n{broker.kind}: {summaries}")


def test_without_a_backlog_the_tick_works_alone(dispatchers, smtp_server, broker, tmp_path):
    """GIVEN 50 reminders due (less than one batch) and DISPATCH_CONCURRENCY=2
    WHEN beat rings once
    THEN one task sends them all and no helper is started."""
    expected = bulk_due_reminders(count=50, due=timezone.now() - dt.timedelta(minutes=1))

    with shared_database(tmp_path) as database:
        env = child_env(dispatchers, database, DISPATCH_CONCURRENCY="2")
        with celery_worker(env, broker, tmp_path, pool="prefork", concurrency=2) as worker:
            broker.ring()
            worker.wait_for(DONE, count=1, timeout=120)
            wait_until(
                lambda: len(smtp_server.received) >= len(expected), timeout=10, what="emails"
            )
            time.sleep(2)  # long enough for a helper, had the tick sent one, to arrive
            summaries = worker.succeeded()
            received = worker.count(r"Task followups\.tasks\.dispatch\[[^\]]+\] received")

    assert sorted(smtp_server.message_ids()) == sorted(expected)
    assert len(summaries) == 1, summaries
    assert received == 1
