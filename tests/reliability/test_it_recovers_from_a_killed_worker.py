"""A Celery worker killed with SIGKILL in the middle of a dispatch: its claim holds the rows
until the lease ends, then the next tick sends them. Killed before the SMTP server accepted
anything, every reminder goes out once; killed after the server accepted some but before
they were marked sent, those few go out a second time, with the same Message-ID.

The kill lands at a known moment because the local SMTP server holds one message unanswered
(see GatedSMTPServer): the worker has claimed its batch and is blocked mid-conversation. The
restart is `manage.py dispatch_reminders --now ...`, the same service beat's task runs, so the
clock can be moved past the ten-minute lease without waiting for it.
"""

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from followups.models import Reminder
from followups.outbox import LEASE
from tests.reliability.conftest import (
    Dispatchers,
    bulk_due_reminders,
    celery_worker,
    child_env,
    count_reminders,
    dispatch_once,
    shared_database,
)

pytestmark = pytest.mark.processes


def kill_mid_dispatch(tmp_path, gated_smtp, broker, *, count: int, accept_first: int):
    """Ring once; kill the worker while the SMTP server holds message `accept_first + 1`.

    Returns the expected Message-IDs, the time of the kill and the children's environment.
    """
    expected = bulk_due_reminders(count=count, due=timezone.now() - dt.timedelta(minutes=1))
    gated_smtp.accept_first = accept_first
    dispatchers = Dispatchers(tmp_path=tmp_path, smtp_port=gated_smtp.port)
    with shared_database(tmp_path) as database:
        # A long SMTP timeout: the worker must still be waiting for the answer when it dies.
        env = child_env(dispatchers, database, EMAIL_TIMEOUT="120")
        with celery_worker(env, broker, tmp_path) as worker:
            broker.ring()
            assert gated_smtp.holding.wait(60), worker.log()[-2000:]
            assert count_reminders(database, Reminder.Status.SENDING) == count
            worker.kill()
            killed_at = timezone.now()
        gated_smtp.accept_first = None
        gated_smtp.released.set()
        assert worker.succeeded() == []
        assert sorted(gated_smtp.message_ids()) == sorted(expected[:accept_first])

        # Restarted within the lease: the dead worker's claim still holds, nothing is sent.
        assert "claimed 0," in dispatch_once(env, now=killed_at + dt.timedelta(minutes=5))
        assert len(gated_smtp.received) == accept_first

        # After the lease, the next tick takes the rows over and sends them.
        out = dispatch_once(env, now=killed_at + LEASE + dt.timedelta(minutes=1))
        assert f"sent {count} reminder(s)" in out
    return expected


def test_a_worker_killed_after_claiming_before_sending_sends_once_after_the_lease(
    transactional_db, tmp_path, gated_smtp, broker
):
    """GIVEN five reminders due, and a worker that claimed them and is waiting for the SMTP
    server's answer to the first one
    WHEN the worker is killed with SIGKILL
    THEN nothing goes out while the lease holds, and after it each reminder arrives once."""
    expected = kill_mid_dispatch(tmp_path, gated_smtp, broker, count=5, accept_first=0)

    received = Counter(gated_smtp.message_ids())
    assert received == Counter(expected)
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}
    # The dead worker's try is on the row: attempt 1 died, attempt 2 delivered.
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {2}


def test_a_worker_killed_after_the_smtp_server_accepted_sends_at_most_one_duplicate(
    transactional_db, tmp_path, gated_smtp, broker
):
    """GIVEN ten reminders due, and a worker killed after the SMTP server accepted three of them
    but before it recorded them as sent (rows are marked sent per chunk of 25)
    WHEN the lease ends and the next tick runs
    THEN those three arrive a second time with the same Message-ID (so a mail client or a
    reader recognises the duplicate), the other seven once, and nothing arrives three times."""
    expected = kill_mid_dispatch(tmp_path, gated_smtp, broker, count=10, accept_first=3)

    received = Counter(gated_smtp.message_ids())
    assert set(received) == set(expected)
    assert max(received.values()) == 2
    assert {mid for mid, n in received.items() if n == 2} == set(expected[:3])
    for mid in expected[:3]:
        first, second = [m for m in gated_smtp.received if m["Message-ID"] == mid]
        assert (first["Subject"], first["To"]) == (second["Subject"], second["To"])
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}
