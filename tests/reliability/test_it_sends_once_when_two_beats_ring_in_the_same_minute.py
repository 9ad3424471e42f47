"""Two beat ticks in the same minute (two beat processes, or one that restarted) reach a real
Celery worker through the real broker: every reminder still arrives once."""

import datetime as dt
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


def test_two_ticks_in_the_same_minute_send_each_reminder_once(
    dispatchers, smtp_server, broker, tmp_path
):
    """GIVEN 400 reminders due a minute ago
    WHEN the dispatch task is enqueued twice at once, as two beats would, and a worker with two
    pool processes runs both at the same time
    THEN the SMTP server receives each reminder once and both ticks finished."""
    expected = bulk_due_reminders(count=400, due=timezone.now() - dt.timedelta(minutes=1))

    with shared_database(tmp_path) as database:
        env = child_env(dispatchers, database)
        with celery_worker(env, broker, tmp_path, pool="prefork", concurrency=2) as worker:
            broker.ring(times=2)
            worker.wait_for(
                r"Task followups\.tasks\.dispatch\[[^\]]+\] succeeded", count=2, timeout=120
            )
            wait_until(
                lambda: len(smtp_server.received) >= len(expected), timeout=10, what="emails"
            )
            summaries = worker.succeeded()

    received = Counter(smtp_server.message_ids())
    assert max(received.values()) == 1, received.most_common(3)
    assert sorted(received) == sorted(expected)
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}
    assert len(summaries) == 2
    assert sum(int(s.split("sent ")[1].split(" ")[0]) for s in summaries) == len(expected)
    print(f"\n{broker.kind}: {summaries}")
