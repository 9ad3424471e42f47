"""Fixtures for the follow-up engine's tests: people, pinned clocks, a local SMTP server and
real `manage.py dispatch_reminders` processes against the test database."""

import contextlib
import datetime as dt
import email
import email.message
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection

from followups import services
from followups.models import Reminder
from tests.factories import ContactFactory, InterviewFactory, RejectionFactory, UserFactory

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
UTC = dt.UTC
BASE_DIR = Path(settings.BASE_DIR)


def at(text: str, zone: zoneinfo.ZoneInfo = BERLIN) -> dt.datetime:
    """An aware time from "2026-03-02 09:00" on the wall clock of `zone`."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


def as_wall(moment: dt.datetime, zone: zoneinfo.ZoneInfo = BERLIN) -> str:
    """What a person in `zone` reads on their clock: "2026-03-02 09:00"."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def person(db):
    """Sam, in Berlin, reminders 08:00-20:00, one at a time."""
    return UserFactory(username="sam", email="sam@example.com")


@pytest.fixture
def dana(person):
    """Sam's recruiter at Acme."""
    return ContactFactory(
        owner=person, company__name="Acme", name="Dana Whitfield", email="dana@acme.example"
    )


# --- Email backends for in-process dispatch -----------------------------------------------------


class ScriptedBackend(LocmemBackend):
    """The locmem outbox, with scripted failures: each send pops the next exception (or None)."""

    def __init__(self, *args, script=(), open_error=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.script = list(script)
        self.open_error = open_error
        self.attempts = 0

    def open(self):
        if self.open_error is not None:
            raise self.open_error
        return super().open()

    def send_messages(self, messages):
        self.attempts += 1
        if self.script:
            error = self.script.pop(0)
            if error is not None:
                for message in messages:
                    message.message()  # header errors first, as the SMTP backend would
                raise error
        return super().send_messages(messages)


# --- A local SMTP server ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SMTPServer:
    """aiosmtpd on 127.0.0.1 in a thread. `refusing` makes it answer DATA with 451;
    `on_message`, if set, is called with each message's envelope before the server answers
    (accepts or refuses) it."""

    port: int = 0
    refusing: bool = False
    on_message: Callable | None = None
    received: list[email.message.Message] = field(default_factory=list)
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        if self.on_message is not None:
            self.on_message(envelope)
        with self.lock:
            if self.refusing:
                self.refused += 1
                return "451 4.3.0 Mailbox busy, try again later"
            message = email.message_from_bytes(envelope.content)
            message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
            message["X-Envelope-From"] = envelope.mail_from
            self.received.append(message)
        return "250 2.0.0 Accepted"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [m["Message-ID"] for m in self.received]


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    from aiosmtpd.controller import Controller

    recorder = SMTPServer(port=free_port())
    controller = Controller(recorder, hostname="127.0.0.1", port=recorder.port)
    controller.start()
    try:
        yield recorder
    finally:
        controller.stop()


def body_text(message: email.message.Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


# --- Real dispatcher processes --------------------------------------------------------------------


def database_url() -> str:
    """The test database as a DATABASE_URL, for a child process (PostgreSQL)."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "localhost"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{s['NAME']}"


@contextlib.contextmanager
def shared_database(tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL child processes can open, holding what the test wrote.

    PostgreSQL: the test database itself (use transactional_db so rows are committed).
    SQLite: the test database lives in memory, so it is copied to a file for the children
    and copied back afterwards, and the test then sees what they did.
    """
    if connection.vendor == "postgresql":
        yield database_url()
        return
    connection.ensure_connection()
    path = tmp_path / "shared.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as disk:
        connection.connection.backup(disk)
    yield f"sqlite:///{path}"
    with contextlib.closing(sqlite3.connect(path)) as disk:
        disk.execute("PRAGMA wal_checkpoint(FULL)")
        disk.backup(connection.connection)


@dataclass
class Dispatchers:
    tmp_path: Path
    smtp_port: int

    def env(self, database: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "EMAIL_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DATABASE_URL=database,
            SECRET_KEY=settings.SECRET_KEY,
            SITE_URL=settings.SITE_URL,
            VAR_DIR=str(self.tmp_path / "var"),
            EMAIL_BACKEND="followups.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.smtp_port),
            EMAIL_TIMEOUT="5",
            LOG_LEVEL="WARNING",
        )
        env.pop("REDIS_URL", None)
        return env

    def run(self, *, now: dt.datetime, count: int = 1, batch_size: int = 200) -> list[str]:
        """Start `count` dispatchers at once with --now; wait; return their outputs."""
        with shared_database(self.tmp_path) as database:
            command = [
                sys.executable,
                str(BASE_DIR / "manage.py"),
                "dispatch_reminders",
                "--now",
                now.isoformat(),
                "--batch-size",
                str(batch_size),
            ]
            children = [
                subprocess.Popen(
                    command,
                    cwd=BASE_DIR,
                    env=self.env(database),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for _ in range(count)
            ]
            outputs = []
            for child in children:
                out, err = child.communicate(timeout=120)
                assert child.returncode == 0, f"dispatcher failed:\n{out}\n{err}"
                outputs.append(out)
        return outputs


@pytest.fixture
def dispatchers(transactional_db, tmp_path, smtp_server) -> Dispatchers:
    return Dispatchers(tmp_path=tmp_path, smtp_port=smtp_server.port)


@pytest.fixture
def needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL=postgres://...)")


# Reminders sent over a real SMTP server with the production backend (followups.smtp).
THANKS_DUE = at("2026-03-03 14:00")


def thank_yous_due(person, count: int, *, interviewed=lambda n: False) -> list:
    """`count` rejections at companies "Co 0".. with a contact each ("Jo 0"..), logged the day
    before THANKS_DUE (the clock is moved there), so their thank-you reminders are due by then;
    `interviewed(n)`: whether the nth application had an interview. The reminders, oldest first."""
    for n in range(count):
        contact = ContactFactory(
            owner=person, company__name=f"Co {n}", name=f"Jo {n}", email=f"jo{n}@co.example"
        )
        rejection = RejectionFactory(
            owner=person, application__company=contact.company, contact=contact
        )
        if interviewed(n):
            InterviewFactory(owner=person, application=rejection.application)
        services.sync_rejection(rejection=rejection)
    due = Reminder.objects.filter(next_attempt_at__lte=THANKS_DUE)
    return list(due.order_by("next_attempt_at", "pk"))


def production_backend(server):
    """followups.smtp's backend, talking to `server`."""
    return get_connection(
        "followups.smtp.EmailBackend", host="127.0.0.1", port=server.port, timeout=5
    )
