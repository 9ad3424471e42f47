"""Fixtures for the fault tests: real dispatcher and Celery worker processes, a real broker
(Redis when REDIS_URL is set, otherwise the filesystem broker in a temporary folder), and a
local aiosmtpd server that can hold a message mid-conversation so a process can be killed
at a chosen moment.

The SMTP server, the dispatcher processes and the shared database come from the follow-up
engine's own fixtures (tests/followups/conftest.py); this file adds what only faults need.
"""

import asyncio
import atexit
import contextlib
import ctypes
import datetime as dt
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pytest
from celery import Celery
from django.conf import settings
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from accounts.models import Profile
from followups import emails, outbox
from followups.models import FollowUp, Reminder
from tests.factories import ContactFactory, RejectionFactory, UserFactory
from tests.followups.conftest import (  # noqa: F401  (fixtures are found by name)
    BASE_DIR,
    BERLIN,
    Dispatchers,
    SMTPServer,
    at,
    body_text,
    dispatchers,
    free_port,
    needs_postgres,
    shared_database,
    smtp_server,
)

TASK = "followups.tasks.dispatch"
# What beat sends every minute (config/settings.py CELERY_BEAT_SCHEDULE).
BEAT_EXPIRES = settings.CELERY_BEAT_SCHEDULE["dispatch-reminders"]["options"]["expires"]


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


# --- An SMTP server that can hold a message -------------------------------------------------------


@dataclass
class GatedSMTPServer(SMTPServer):
    """Accepts `accept_first` messages, then holds the next DATA unanswered until released.

    While a message is held the client is blocked inside its SMTP conversation: everything
    before it was accepted (250), nothing after it has been sent. `holding` is set then.
    A held message is refused (451) on release, or with `accept_held` delivered at once and
    only its 250 held back: the server has it, the client has not heard so.
    """

    accept_first: int | None = None
    accept_held: bool = False
    holding: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server, session, envelope):
        if self.accept_first is not None and not self.released.is_set():
            with self.lock:
                hold = len(self.received) >= self.accept_first
            if hold:
                answer = "451 4.3.0 Try again later"
                if self.accept_held:
                    answer = await super().handle_DATA(server, session, envelope)
                self.holding.set()
                while not self.released.is_set():
                    await asyncio.sleep(0.02)
                return answer
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def gated_smtp() -> Iterator[GatedSMTPServer]:
    from aiosmtpd.controller import Controller

    recorder = GatedSMTPServer(port=free_port())
    controller = Controller(recorder, hostname="127.0.0.1", port=recorder.port)
    controller.start()
    try:
        yield recorder
    finally:
        recorder.released.set()
        controller.stop()


@dataclass
class CountingSMTPServer(SMTPServer):
    """Keeps only each message's Message-ID: parsing 10,000 whole messages would make the test
    process, one core of two, the bottleneck of the four-dispatcher run."""

    ids: list[str] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        head = envelope.content.split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(head)
        with self.lock:
            self.ids.append(found.group(1).decode() if found else "")
        return "250 2.0.0 Accepted"

    def message_ids(self) -> list[str]:
        with self.lock:
            return list(self.ids)


MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.I | re.M)


@pytest.fixture
def counting_smtp() -> Iterator[CountingSMTPServer]:
    from aiosmtpd.controller import Controller

    recorder = CountingSMTPServer(port=free_port())
    controller = Controller(recorder, hostname="127.0.0.1", port=recorder.port)
    controller.start()
    try:
        yield recorder
    finally:
        controller.stop()


# --- Rows, fast -----------------------------------------------------------------------------------


def any_time(*users) -> None:
    """Reminder hours "any time" (start == end): a real worker on the real clock sends at once,
    whatever time of day the suite runs."""
    Profile.objects.filter(user__in=users).update(
        reminder_start=dt.time(0, 0), reminder_end=dt.time(0, 0)
    )


def bulk_due_reminders(
    *,
    count: int,
    due: dt.datetime,
    people: int = 4,
    spread: dt.timedelta = dt.timedelta(0),
    newest_first: bool = False,
) -> list[str]:
    """`count` thank-you follow-ups with one pending reminder each, all due by `due`, written
    with bulk_create (the engine's scheduling is not what these tests measure).

    The reminders' due times are spread evenly over `spread` before `due`, in the order of
    their rows, or in the opposite order with `newest_first` (so that due order is not the
    order of the primary keys). Returns the Message-IDs in due order.
    """
    users = [UserFactory(username=f"bulk-{n}-{uuid.uuid4().hex[:6]}") for n in range(people)]
    any_time(*users)
    rejections = []
    for user in users:
        contact = ContactFactory(owner=user, company__name=f"Co {user.username}")
        rejections.append(
            RejectionFactory(
                owner=user,
                application__company=contact.company,
                contact=contact,
                received_at=due - dt.timedelta(hours=24),
            )
        )
    step = spread / count if count else dt.timedelta(0)
    sign = -1 if newest_first else 1
    first = due if newest_first else due - spread
    followups = FollowUp.objects.bulk_create(
        [
            FollowUp(
                owner_id=rejection.owner_id,
                kind=FollowUp.Kind.REJECTION_THANKS,
                key=f"bulk:{n}",
                company_id=rejection.application.company_id,
                application_id=rejection.application_id,
                rejection=rejection,
                contact_id=rejection.contact_id,
                anchor_at=rejection.received_at,
                due_at=due,
                deadline_at=due + dt.timedelta(days=2),
            )
            for n in range(count)
            for rejection in [rejections[n % people]]
        ],
        batch_size=2000,
    )
    reminders = Reminder.objects.bulk_create(
        [
            Reminder(
                followup=followup,
                owner_id=followup.owner_id,
                send_at=first + sign * step * n,
                next_attempt_at=first + sign * step * n,
            )
            for n, followup in enumerate(followups)
        ],
        batch_size=2000,
    )
    # The engine derives the Message-ID from the pk once the row exists (services._plan_reminder).
    Reminder.objects.filter(pk__in=[r.pk for r in reminders]).update(
        message_id=Concat(
            Value("<reminder-"), Cast("pk", CharField()), Value(f"@{emails.site_domain()}>")
        )
    )
    in_due_order = sorted(reminders, key=lambda r: (r.next_attempt_at, r.pk))
    return [outbox.message_id("reminder", r.pk) for r in in_due_order]


# --- Reading the shared database while children write to it ---------------------------------------


def count_reminders(database: str, status: str) -> int:
    """Reminders in `status` as the children see them (on SQLite the test's own in-memory copy
    is stale until the shared_database block ends)."""
    if database.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(database.removeprefix("sqlite:///"))) as db:
            table = Reminder._meta.db_table
            return db.execute(
                f"SELECT count(*) FROM {table} WHERE status = ?", [status]
            ).fetchone()[0]
    return Reminder.objects.filter(status=status).count()


@contextlib.contextmanager
def spy_on_publishing() -> Iterator[list]:
    """Every message this process tries to put on the broker meanwhile (none is really sent):
    kombu's Producer.publish is the one door every Celery enqueue goes through."""
    from kombu import Producer

    seen: list = []
    with mock.patch.object(Producer, "publish", lambda self, body, **kw: seen.append(kw)):
        yield seen


# --- Processes ------------------------------------------------------------------------------------

# Every child this test process starts, so that none outlives an interrupted run.
_CHILDREN: set[subprocess.Popen] = set()
PR_SET_PDEATHSIG = 1


def _die_with_the_test_run() -> None:
    """In the child, before exec: be killed when the test process dies, however it dies
    (Linux's PR_SET_PDEATHSIG). Elsewhere the atexit hook below is the only net."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def spawn(command: list[str], **kwargs) -> subprocess.Popen:
    """Popen in a process group of its own (so it and its children are stopped together and a
    Ctrl-C in the terminal reaches only pytest), killed with the test process.

    Call it from the main thread: the parent-death signal follows the thread that started the
    child, and would kill it when a helper thread ends."""
    process = subprocess.Popen(
        command, start_new_session=True, preexec_fn=_die_with_the_test_run, **kwargs
    )
    _CHILDREN.add(process)
    return process


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the child and everything it started (its process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=30)
    _CHILDREN.discard(process)


@atexit.register
def _kill_leftover_children() -> None:
    for process in list(_CHILDREN):
        kill_group(process)


def child_env(runner: Dispatchers, database: str, **extra: str) -> dict[str, str]:
    env = runner.env(database)
    env.update(extra)
    return env


def run_manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    """`manage.py <args>` against the shared database; its output."""
    done = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def start_manage(env: dict[str, str], *args: str) -> subprocess.Popen:
    return spawn(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen, timeout: float = 120) -> str:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"{process.args} failed:\n{out}\n{err}"
    return out


def dispatch_once(env: dict[str, str], *, now: dt.datetime, batch_size: int = 200) -> str:
    """One dispatch tick, in its own process, as `manage.py dispatch_reminders --now` runs it."""
    return run_manage(
        env, "dispatch_reminders", "--now", now.isoformat(), "--batch-size", str(batch_size)
    )


@dataclass
class Broker:
    """The broker a worker consumes from, and a way to ring the doorbell as beat does."""

    url: str
    transport_options: dict
    queue: str
    worker_env: dict[str, str]

    @property
    def kind(self) -> str:
        return "redis" if self.url.startswith("redis") else "filesystem"

    def ring(self, times: int = 1, *, expires: float = BEAT_EXPIRES) -> None:
        """Send the dispatch task `times` times, with beat's expiry."""
        app = Celery("reliability-beat", broker=self.url, set_as_current=False)
        app.conf.broker_transport_options = self.transport_options
        app.conf.broker_connection_retry_on_startup = False
        with app.connection_for_write() as conn:
            for _ in range(times):
                app.send_task(TASK, queue=self.queue, expires=expires, connection=conn)


def filesystem_broker(folder: Path) -> tuple[str, dict]:
    for sub in ("queue", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return "filesystem://", {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }


@pytest.fixture
def broker(tmp_path) -> Iterator[Broker]:
    """Redis when REDIS_URL is set (a queue of this test's own, so parallel runs don't mix);
    otherwise the filesystem broker under this test's VAR_DIR, where the worker looks."""
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url:
        queue = f"reliability-{uuid.uuid4().hex[:10]}"
        found = Broker(
            url=redis_url, transport_options={}, queue=queue, worker_env={"REDIS_URL": redis_url}
        )
        yield found
        import redis

        client = redis.Redis.from_url(redis_url)
        client.delete(queue, f"_kombu.binding.{queue}")
        # A killed worker leaves its message unacknowledged; kombu would restore it to this
        # queue after an hour. Nobody will read that queue again: drop it.
        for tag, raw in client.hgetall("unacked").items():
            if json.loads(raw)[2] == queue:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
        return
    url, options = filesystem_broker(tmp_path / "var" / "broker")
    yield Broker(url=url, transport_options=options, queue="celery", worker_env={})


@dataclass
class Worker:
    """A real `celery -A config worker` process, in a session of its own so that it and its
    pool children can be killed together."""

    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def count(self, pattern: str) -> int:
        return len(re.findall(pattern, self.log()))

    def wait_for(self, pattern: str, *, count: int = 1, timeout: float = 60) -> None:
        def seen() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited early:\n{self.log()[-3000:]}")
            return self.count(pattern) >= count

        try:
            wait_until(seen, timeout=timeout, what=f"{count} x {pattern!r} in the worker log")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self.log()[-3000:]}") from None

    def succeeded(self) -> list[str]:
        """The summaries returned by the dispatch tasks that finished."""
        return re.findall(
            r"Task followups\.tasks\.dispatch\[[^\]]+\] succeeded in [^:]+: '([^']*)'", self.log()
        )

    def kill(self) -> None:
        """SIGKILL: no cleanup, no acknowledgement, no chance to mark anything sent."""
        kill_group(self.process)

    def stop(self) -> None:
        """A warm shutdown (SIGTERM), then SIGKILL for whatever of the group is left."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=20)
        self.kill()


@contextlib.contextmanager
def celery_worker(
    env: dict[str, str], broker: Broker, tmp_path: Path, *, pool: str = "solo", concurrency: int = 1
) -> Iterator[Worker]:
    """Start a worker on the broker's queue, wait until it is ready, stop it afterwards."""
    log_path = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--loglevel",
        "INFO",
        "--pool",
        pool,
        "--concurrency",
        str(concurrency),
        "--queues",
        broker.queue,
        "--hostname",
        f"reliability-{uuid.uuid4().hex[:8]}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    with log_path.open("w") as log:
        process = spawn(
            command,
            cwd=BASE_DIR,
            env={**env, **broker.worker_env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker = Worker(process=process, log_path=log_path)
    try:
        worker.wait_for(r"ready\.", timeout=60)
        yield worker
    finally:
        worker.stop()
