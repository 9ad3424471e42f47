"""Chaos, scaled for CI: a backlog flows through two Celery workers of two pool processes each
while the test kills them, kills the SMTP server, and rings the doorbell twice at once, as two
beats would. What a person would notice afterwards: every reminder arrived; a reminder arrived
twice only when a kill caught it on the wire (once more, same Message-ID); and the last ones
arrived within minutes of the last kill, not ten.

The SMTP server takes 25 ms a message, so the backlog is still flowing when the kills land. A
kill is a SIGKILL: a pool process (the worker starts a new one and gets the task back), a whole
worker (a new one is started), or the SMTP server (a new one listens on the same port a second
later).
"""

import contextlib
import datetime as dt
import os
import random
import signal
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import timezone

from followups import outbox
from followups.models import Reminder
from tests.reliability.conftest import (
    CountingSMTPServer,
    Dispatchers,
    Worker,
    bulk_due_reminders,
    celery_worker,
    child_env,
    count_reminders,
    free_port,
    shared_database,
    wait_until,
)

pytestmark = pytest.mark.processes

REMINDERS = 2_000
TICK = 2.0  # seconds between the test's double rings (DISPATCH_INTERVAL_SECONDS of the workers)


@dataclass
class SlowSMTPServer(CountingSMTPServer):
    """Counts Message-IDs; takes `delay` seconds before it accepts each message. A message is
    counted the moment it is accepted: if the server dies before that, it never got it."""

    delay: float = 0.025

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)


@dataclass
class KillableSMTP:
    """The SMTP server, stopped without a goodbye and started again on the same port."""

    recorder: SlowSMTPServer = field(default_factory=lambda: SlowSMTPServer(port=free_port()))
    controller: object = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.recorder.port)
        self.controller.start()

    def kill(self) -> None:
        # Stopping the event loop cancels every conversation mid-way: no 250, no 421.
        self.controller.stop()


def pool_processes(worker: Worker) -> list[int]:
    """The worker's pool children (the processes that run the dispatch task)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == worker.process.pid:
            children.append(int(stat.parent.name))
    return children


@pytest.fixture
def killable_smtp() -> Iterator[KillableSMTP]:
    server = KillableSMTP()
    server.start()
    yield server
    server.kill()


class Beats:
    """Two beats ringing at once every TICK seconds (a second scheduler started by mistake)."""

    def __init__(self, broker):
        self.broker, self.last = broker, 0.0

    def ring_if_due(self) -> None:
        if time.monotonic() - self.last >= TICK:
            self.broker.ring(2, expires=TICK)
            self.last = time.monotonic()

    def wait(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.ring_if_due()
            time.sleep(0.1)


def test_it_loses_nothing_when_dispatchers_and_the_smtp_server_are_killed(
    transactional_db, tmp_path, killable_smtp, broker
):
    """GIVEN 2,000 reminders due now, two workers of two pool processes each (the tick starts a
    helper on a backlog), and two beats ringing every 2 s
    WHEN, while the mail flows, something is killed every ~2 s: a pool process three times, a
    whole worker once, and the SMTP server once (it comes back a second later)
    THEN every reminder arrives; no Message-ID arrives more than twice, and no more of them
    twice than there were kills; nothing is failed or charged for a crash; and the last one is
    out within a few minutes of the last kill."""
    smtp = killable_smtp.recorder
    expected = bulk_due_reminders(
        count=REMINDERS, due=timezone.now() - dt.timedelta(minutes=1), people=8
    )
    dispatchers = Dispatchers(tmp_path=tmp_path, smtp_port=smtp.port)
    rng = random.Random(13)
    beats = Beats(broker)
    kills = 0
    with shared_database(tmp_path) as database, contextlib.ExitStack() as stack:
        env = child_env(
            dispatchers,
            database,
            DISPATCH_CONCURRENCY="2",
            DISPATCH_INTERVAL_SECONDS=str(int(TICK)),
        )

        def start_worker() -> Worker:
            return stack.enter_context(
                celery_worker(env, broker, tmp_path, pool="prefork", concurrency=2)
            )

        def sent() -> int:
            return count_reminders(database, Reminder.Status.SENT)

        workers = [start_worker(), start_worker()]
        beats.ring_if_due()
        wait_until(lambda: sent() > 0, timeout=60, what="the first email")

        for step, kind in enumerate(["pool", "pool", "smtp", "worker", "pool"]):
            beats.wait(TICK)
            assert sent() < REMINDERS, f"the backlog was gone before kill {step + 1}"
            target = workers[step % 2]
            if kind == "pool":
                children = pool_processes(target)
                assert children, target.log()[-2000:]
                os.kill(rng.choice(children), signal.SIGKILL)
            elif kind == "worker":
                target.kill()
                workers[step % 2] = start_worker()
            else:
                killable_smtp.kill()
                time.sleep(1)
                killable_smtp.start()
            kills += 1
        last_kill = time.monotonic()

        # Recovery: the doorbell keeps ringing; the dead processes' rows come back when their
        # lease runs out, the rows the SMTP server's death cut off after a minute's backoff.
        def all_sent() -> bool:
            beats.ring_if_due()
            return sent() == REMINDERS

        recovery = outbox.LEASE.total_seconds() + 90
        wait_until(all_sent, timeout=recovery, what=f"all {REMINDERS} reminders sent")
        took = time.monotonic() - last_kill

    received = Counter(smtp.message_ids())
    missing = set(expected) - set(received)
    assert not missing, f"{len(missing)} reminders never arrived"
    assert set(received) == set(expected)
    twice = {mid: n for mid, n in received.items() if n > 1}
    assert max(received.values()) <= 2, twice
    assert len(twice) <= kills, f"{len(twice)} duplicates after {kills} kills: {twice}"
    assert Counter(Reminder.objects.values_list("status", flat=True)) == {
        Reminder.Status.SENT: REMINDERS
    }
    # A crash is not charged: one attempt each, two for the few emails on the wire when the
    # SMTP server died (one per dispatcher talking to it: four pool processes), with room for
    # an SMTP timeout on a loaded host. Charging the kills would mark hundreds.
    attempts = Counter(Reminder.objects.values_list("attempts", flat=True))
    assert set(attempts) <= {1, 2} and attempts[2] <= 8, attempts
    print(
        f"\n{REMINDERS} reminders, {kills} kills: {len(twice)} sent twice, {attempts[2]} retried "
        f"after the SMTP server died; all out {took:.0f} s after the last kill"
    )
