"""A Celery worker killed with SIGKILL in the middle of a dispatch: its claim holds the rows
until the lease (a minute) ends, then the next tick sends them. What the SMTP server accepted
before the kill was recorded as sent at once and does not go out again; the one email on the
wire at the moment of the kill goes out a second time (same Message-ID) only if the server
had accepted it. The dead worker's try is not charged to the reminders.

The kill lands at a known moment because the local SMTP server holds one message unanswered
(see GatedSMTPServer): the worker has claimed its batch and is blocked mid-conversation. The
restart is `manage.py dispatch_reminders --now ...`, the same service beat's task runs, so the
clock can be moved past the lease without waiting for it.
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


def kill_mid_dispatch(
    tmp_path, gated_smtp, broker, *, count: int, accept_first: int, accept_held: bool = False
):
    """Ring once; kill the worker while the SMTP server holds its answer to message
    `accept_first + 1`: a 451, or with `accept_held` a 250 for a message already delivered
    (that the dead worker never hears).

    Returns the expected Message-IDs, the time of the kill and the children's environment.
    """
    expected = bulk_due_reminders(count=count, due=timezone.now() - dt.timedelta(minutes=1))
    gated_smtp.accept_first = accept_first
    gated_smtp.accept_held = accept_held
    dispatchers = Dispatchers(tmp_path=tmp_path, smtp_port=gated_smtp.port)
    with shared_database(tmp_path) as database:
        # A long SMTP timeout: the worker must still be waiting for the answer when it dies.
        env = child_env(dispatchers, database, EMAIL_TIMEOUT="120")
        with celery_worker(env, broker, tmp_path) as worker:
            broker.ring()
            assert gated_smtp.holding.wait(60), worker.log()[-2000:]
            # Accepted means recorded: the rows of the emails the server took are sent already.
            assert count_reminders(database, Reminder.Status.SENT) == accept_first
            assert count_reminders(database, Reminder.Status.SENDING) == count - accept_first
            worker.kill()
            killed_at = timezone.now()
        gated_smtp.accept_first = None
        gated_smtp.released.set()
        assert worker.succeeded() == []
        held = 1 if accept_held else 0
        assert sorted(gated_smtp.message_ids()) == sorted(expected[: accept_first + held])

        # Restarted within the lease: the dead worker's claim still holds, nothing is sent.
        assert "claimed 0," in dispatch_once(env, now=killed_at + LEASE / 2)
        assert len(gated_smtp.received) == accept_first + held

        # After the lease, the next tick takes the rows over and sends them.
        out = dispatch_once(env, now=killed_at + LEASE + dt.timedelta(seconds=1))
        assert f"claimed {count - accept_first}, sent {count - accept_first} reminder(s)" in out
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
    # The dead worker's try is not charged: one attempt, the one that delivered.
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}


def test_a_worker_killed_mid_batch_resends_nothing_the_server_answered(
    transactional_db, tmp_path, gated_smtp, broker
):
    """GIVEN ten reminders due, and a worker killed after the SMTP server accepted three of
    them, while it waits for the answer to the fourth, which the server then refuses (451)
    WHEN the lease ends and the next tick runs
    THEN each of the ten arrives exactly once: the three were recorded as sent when the
    server accepted them."""
    expected = kill_mid_dispatch(tmp_path, gated_smtp, broker, count=10, accept_first=3)

    assert Counter(gated_smtp.message_ids()) == Counter(expected)
    assert set(Reminder.objects.values_list("status", "attempts")) == {(Reminder.Status.SENT, 1)}


def test_a_worker_killed_while_the_server_accepts_sends_that_one_email_twice(
    transactional_db, tmp_path, gated_smtp, broker
):
    """GIVEN ten reminders due, and a worker killed after the SMTP server accepted three, while
    the fourth is on the wire; the server accepts the fourth after the worker died
    WHEN the lease ends and the next tick runs
    THEN the fourth (the one email in flight) arrives twice, with the same Message-ID, subject
    and recipient, so a mail client or a reader recognises the duplicate; the other nine once."""
    expected = kill_mid_dispatch(
        tmp_path, gated_smtp, broker, count=10, accept_first=3, accept_held=True
    )

    received = Counter(gated_smtp.message_ids())
    assert set(received) == set(expected)
    assert {mid: n for mid, n in received.items() if n > 1} == {expected[3]: 2}
    first, second = [m for m in gated_smtp.received if m["Message-ID"] == expected[3]]
    assert (first["Subject"], first["To"]) == (second["Subject"], second["To"])
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}
