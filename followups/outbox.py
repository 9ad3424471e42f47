"""The reminder outbox: every reminder email leaves through here, exactly once.

Rows are planned by `followups.services` (one Reminder per pending FollowUp, with its
Message-ID from `message_id()`); beat rings `dispatch_due_reminders()` every
DISPATCH_INTERVAL_SECONDS. A dispatch claims due rows under a short lease that it renews as it
goes, delivers them over one SMTP connection, records each email as sent the moment the server
accepts it, and retries transient refusals with backoff from the row itself.

Waiting is put to use: while the SMTP server answers a command, or the database commits the
last email's "sent", the dispatcher builds the next emails of the chunk (`_Ahead`). It only
builds ahead: nothing is written or sent before its turn, and one SMTP command at a time.
The one thing that overlaps is the last email's "sent" with the next email's first commands
(MAIL, RCPT, DATA): its text goes only once that "sent" is committed, so the server can
never hold two accepted emails that are not recorded as sent.

What a crash costs: the email in flight when the process died (sent again, with the same
Message-ID, if the server had already accepted it), and at most LEASE of delay for the rest
of its batch. A crash is not the reminder's fault: `attempts` counts only tries the SMTP
server answered (or that failed before reaching it), so a reclaimed row keeps its retry budget.
"""

import contextlib
import datetime as dt
import functools
import logging
import select
import smtplib
import time
import uuid
from collections.abc import Callable, Generator
from dataclasses import dataclass

from django.core.mail import BadHeaderError, get_connection
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db import connection as db_connection
from django.db.models import F, Q

from accounts.models import Delivery, Profile
from followups import emails, rules
from followups.drafts import (
    DRAFT_SELECT_RELATED,
    DRAFT_UNREAD,
    attach_draft_related,
    completed_goals_by_owner,
    reads_goals,
)
from followups.hours import ReminderHours, place_in_hours
from followups.models import Digest, FollowUp, Reminder
from followups.reused import ReusedQuery

log = logging.getLogger(__name__)


# --- Dispatch: the outbox -> SMTP ------------------------------------------------------------------

# A claim is a lease on the batch. The dispatcher renews it whenever RENEW_AFTER has passed
# (checked before each email), so a live one keeps its rows however long the batch takes, and a
# dead one's rows are taken over at most LEASE after its last renewal. What is left between a
# renewal and the end of the lease (40 s) is the longest one email may take: EMAIL_TIMEOUT
# (10 s by default) bounds the connect and each SMTP command.
LEASE = dt.timedelta(seconds=60)
RENEW_AFTER = dt.timedelta(seconds=20)
# Transient refusals (4xx) retry with this backoff, then the reminder is marked failed.
BACKOFF_MINUTES = (1, 2, 5, 10, 30, 60)
MAX_ATTEMPTS = 10
# Rows are re-checked (still ours, follow-up still pending) per chunk, and outcomes other than
# "sent" (retry, failed, cancelled, deferred) are written per chunk: one query each per CHUNK
# emails. "Sent" is written per email, as soon as the server accepted it.
CHUNK = 25
DEFAULT_BATCH_SIZE = 200


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=BACKOFF_MINUTES[min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1])


@dataclass
class DispatchSummary:
    claimed: int = 0
    emails: int = 0  # emails accepted by the SMTP server
    sent: int = 0  # reminders delivered (a digest carries several)
    digests: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    deferred: int = 0
    released: int = 0
    outage: str = ""

    def __str__(self) -> str:
        text = (
            f"claimed {self.claimed}, sent {self.sent} reminder(s) in {self.emails} email(s) "
            f"({self.digests} digest(s)), retrying {self.retrying}, failed {self.failed}, "
            f"cancelled {self.cancelled}, deferred {self.deferred}"
        )
        if self.outage:
            text += (
                f"; SMTP unavailable ({self.outage}), {self.released} released for the next tick"
            )
        return text


def dispatch_due_reminders(
    *,
    now: dt.datetime,
    batch_size: int = DEFAULT_BATCH_SIZE,
    time_budget: float | None = None,
    max_batches: int = 10_000,
    connection=None,
    on_backlog: Callable[[], object] | None = None,
) -> DispatchSummary:
    """Send every reminder due at `now`, each exactly once.

    1. Claim a batch: due rows (pending and due, or sending past their lease) become
       "sending" with this run's token, by a conditional UPDATE (and FOR UPDATE SKIP LOCKED
       on PostgreSQL, so parallel dispatchers take different rows instead of waiting).
    2. Deliver the batch over one SMTP connection: re-check each chunk, send, record the
       outcome in the rows (sent, retry with backoff, failed, cancelled, deferred).
    3. Repeat until nothing is due, the SMTP server is unreachable (the rows are released
       untouched for the next tick) or the time budget is spent.

    `on_backlog` is called once, when a claimed batch comes back full (more is probably due):
    the beat task uses it to start helpers, which claim other rows in parallel.
    """
    summary = DispatchSummary()
    mailer = _Mailer(connection)
    clock = _Clock(now)
    try:
        with _commits_without_flush():
            for _ in range(max_batches):
                token = uuid.uuid4().hex
                reminders = _claim_batch(now=now, token=token, limit=batch_size, clock=clock)
                if not reminders:
                    break
                summary.claimed += len(reminders)
                if on_backlog is not None and len(reminders) >= batch_size:
                    on_backlog()
                    on_backlog = None
                lease = _Lease(token=token, pks=[r.pk for r in reminders], clock=clock)
                if not _deliver(reminders, now=now, lease=lease, mailer=mailer, summary=summary):
                    break
                if time_budget is not None and clock.elapsed() > time_budget:
                    break
    finally:
        mailer.close()
    return summary


class _Clock:
    """`now` moved on by the time this run has taken: leases are measured on it, so that a
    run started with a pretended `now` (tests, `--now`) renews them consistently too."""

    def __init__(self, now: dt.datetime):
        self.start, self.started = now, time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self.elapsed())


class _Lease:
    """The claim on one batch, renewed before an email when RENEW_AFTER has passed since the
    last renewal: one UPDATE every 20 s, whatever the rate."""

    def __init__(self, *, token: str, pks: list[int], clock: _Clock):
        self.token, self.pks, self.clock = token, pks, clock
        self.renewed = clock.now()

    def keep(self) -> None:
        moment = self.clock.now()
        if moment - self.renewed < RENEW_AFTER:
            return
        # Rows already sent, failed or given back no longer carry the token: only what is
        # still being sent is renewed.
        Reminder.objects.filter(
            pk__in=self.pks, claim_token=self.token, status=Reminder.Status.SENDING
        ).update(claimed_until=moment + LEASE)
        self.renewed = moment


@contextlib.contextmanager
def _commits_without_flush():
    """Commit without waiting for the disk while dispatching (PostgreSQL synchronous_commit
    off; SQLite synchronous NORMAL, which WAL mode makes safe for the file).

    Each email is recorded as sent in a commit of its own; waiting for the disk each time
    would cost more than the email. A killed dispatcher loses nothing this way (the database
    server has the commit); only a crash of the database server itself may forget the last
    fraction of a second, and those reminders then go out again with the same Message-ID.
    """
    vendor = db_connection.vendor
    if vendor not in ("postgresql", "sqlite") or db_connection.in_atomic_block:
        yield
        return
    with db_connection.cursor() as cursor:
        if vendor == "postgresql":
            relax, restore = "SET synchronous_commit TO OFF", "RESET synchronous_commit"
        else:
            cursor.execute("PRAGMA synchronous")
            relax, restore = (
                "PRAGMA synchronous = NORMAL",
                f"PRAGMA synchronous = {int(cursor.fetchone()[0])}",
            )
        cursor.execute(relax)
    try:
        yield
    finally:
        # The connection may be gone (the database restarted): it is dropped either way.
        with contextlib.suppress(Exception), db_connection.cursor() as cursor:
            cursor.execute(restore)


def _claim_batch(*, now: dt.datetime, token: str, limit: int, clock: _Clock) -> list[Reminder]:
    """Claim up to `limit` due reminders for this run, and build digests from them.

    Each question is a range scan of one partial index (pending by next_attempt_at, sending
    by claimed_until), so an idle tick costs the same however many rows there are.
    A person in digest mode is claimed as a whole (all their due digest rows at once) under
    a lock on their profile row, so one digest carries everything due and no follow-up is
    in two digests.
    A row whose lease ran out (its dispatcher died) is taken over as it is: the claim charges
    no attempt, so crashes never use up a reminder's retries.
    """
    skip_locked = db_connection.features.has_select_for_update_skip_locked
    pending_due = Q(status=Reminder.Status.PENDING, next_attempt_at__lte=now)
    lease_over = Q(status=Reminder.Status.SENDING, claimed_until__lt=clock.now())

    def locked(qs):
        return qs.select_for_update(skip_locked=True) if skip_locked else qs

    claim = {
        "status": Reminder.Status.SENDING,
        "claim_token": token,
        "claimed_until": clock.now() + LEASE,
        "updated_at": now,
    }
    with transaction.atomic():
        stale = list(
            locked(Reminder.objects.filter(lease_over).order_by("claimed_until", "pk")).values_list(
                "pk", "owner_id", "mode"
            )[:limit]
        )
        fresh = list(
            locked(
                Reminder.objects.filter(pending_due).order_by("next_attempt_at", "pk")
            ).values_list("pk", "owner_id", "mode")[: max(limit - len(stale), 0)]
        )
        candidates = stale + fresh
        if not candidates:
            return []
        immediate = [pk for pk, _owner, mode in candidates if mode == Reminder.Mode.IMMEDIATE]
        digest_owners = {owner for _pk, owner, mode in candidates if mode == Reminder.Mode.DIGEST}
        if digest_owners and skip_locked:
            # Another dispatcher already building this person's digest holds the lock: skip.
            digest_owners = set(
                Profile.objects.select_for_update(skip_locked=True)
                .filter(user_id__in=digest_owners)
                .values_list("user_id", flat=True)
            )
        digest_pks: list[int] = []
        if digest_owners:
            digest_pks = list(
                Reminder.objects.select_for_update()
                .filter(owner_id__in=digest_owners, mode=Reminder.Mode.DIGEST)
                .filter(pending_due | lease_over)
                .values_list("pk", flat=True)
            )
        claimable = immediate + digest_pks
        Reminder.objects.filter(pk__in=claimable).filter(pending_due | lease_over).update(**claim)
        _assemble_digests(token=token, pks=digest_pks, now=now)
    return list(
        Reminder.objects.filter(pk__in=claimable, claim_token=token, status=Reminder.Status.SENDING)
        .select_related("digest")
        # Not read while sending (the outcomes are written by pk): not turned into values.
        .defer(*_UNREAD_WHILE_SENDING)
        .order_by("next_attempt_at", "pk")
    )


_UNREAD_WHILE_SENDING = (
    "send_at",
    "next_attempt_at",
    "claimed_until",
    "sent_at",
    "last_error",
    "created_at",
    "updated_at",
    "digest__created_at",
    "digest__sent_at",
)


def _assemble_digests(*, token: str, pks: list[int], now: dt.datetime) -> None:
    """Claimed digest rows not yet in a digest join one new digest per person. Rows already
    in one (a retry, a lease that ran out) go out again as that same digest."""
    if not pks:
        return
    # A set, not .distinct(): the default ordering would make DISTINCT return duplicates.
    loose = set(
        Reminder.objects.filter(pk__in=pks, claim_token=token, digest__isnull=True).values_list(
            "owner_id", flat=True
        )
    )
    for owner_id in sorted(loose):
        digest = Digest.objects.create(owner_id=owner_id, created_at=now)
        digest.message_id = message_id("digest", digest.pk)
        digest.save(update_fields=["message_id"])
        Reminder.objects.filter(
            pk__in=pks, claim_token=token, owner_id=owner_id, digest__isnull=True
        ).update(digest=digest)


class _Outage(Exception):
    """The SMTP server cannot be reached: not the reminder's fault, nothing is charged."""


class _NoRecipient(Exception):
    pass


class _Withheld(Exception):
    """What had to happen before an email could go failed (`_Mailer.before_body`): the email
    was not sent, and the run stops with that error (`cause`), as it would have before."""

    def __init__(self, cause: Exception):
        super().__init__(str(cause))
        self.cause = cause


class _Mailer:
    """One SMTP connection for a whole dispatch run, opened on first use, reopened after a
    dropped connection."""

    def __init__(self, connection=None):
        self._given = connection
        self.connection = None
        self._backend = connection
        # Called with the socket before each SMTP reply is read (followups.smtp's backend).
        self.while_waiting: Callable | None = None
        # Called once per email, before the server can accept it: after DATA's 354 with
        # followups.smtp's backend, before the whole email with any other.
        self.before_body: Callable | None = None

    def prepare_steps(self, message) -> Generator[None, None, None]:
        """What the backend can do before the message's turn (followups.smtp writes its
        bytes), in its steps."""
        if self._backend is None:
            self._backend = get_connection(fail_silently=False)
        prepare = getattr(self._backend, "prepare_steps", None)
        if prepare is not None:
            yield from prepare(message)

    def send(self, message) -> None:
        if self.connection is None:
            if self._backend is None:
                self._backend = get_connection(fail_silently=False)
            connection = self._backend
            try:
                connection.open()
            except Exception as exc:
                raise _Outage(_describe(exc)) from exc
            self.connection = connection
        smtp = getattr(self.connection, "connection", None)
        hooks = smtp is not None and hasattr(smtp, "before_body")
        before_body = self._before_body if self.before_body is not None else None
        if hooks:
            smtp.while_waiting, smtp.before_body = self.while_waiting, before_body
        elif before_body is not None:
            before_body()
        try:
            sent = self.connection.send_messages([message])
        finally:
            if hooks:
                smtp.while_waiting = smtp.before_body = None
        if not sent:
            raise _NoRecipient("no recipient address")

    def _before_body(self) -> None:
        try:
            self.before_body()
        except Exception as exc:
            raise _Withheld(exc) from exc

    def reset(self) -> None:
        if self.connection is not None:
            # A dead connection may fail to close; it is dropped either way.
            with contextlib.suppress(Exception):
                self.connection.close()
        self.connection = None
        self._backend = self._given

    def close(self) -> None:
        self.reset()


TRANSIENT, PERMANENT, DISCONNECTED = "transient", "permanent", "disconnected"


def classify(exc: BaseException) -> str:
    """Transient (retry later), permanent (fail now) or disconnected (retry, reconnect)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return TRANSIENT if codes and all(400 <= code < 500 for code in codes) else PERMANENT
    if isinstance(exc, smtplib.SMTPResponseException):
        if exc.smtp_code == 421:
            return DISCONNECTED
        return TRANSIENT if 400 <= exc.smtp_code < 500 else PERMANENT
    if isinstance(exc, (smtplib.SMTPServerDisconnected, OSError)):
        return DISCONNECTED
    if isinstance(exc, (BadHeaderError, ValueError, UnicodeError, _NoRecipient)):
        return PERMANENT
    return TRANSIENT


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = [f"{code} {_text(msg)}" for code, msg in exc.recipients.values()]
        return "Recipient refused: " + "; ".join(parts)
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"[:500]


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


class _Ledger:
    """Outcomes of one chunk. "Sent" is written at once, in a commit of its own; the others
    are written together by flush(), at the end of the chunk (lost in a crash, they are only
    tried again)."""

    DONE = {"claim_token": "", "claimed_until": None}

    def __init__(
        self, *, token: str, now: dt.datetime, summary: DispatchSummary, mark: "_SentMark"
    ):
        self.token, self.now, self.summary = token, now, summary
        self.other: list[tuple[list[int], dict]] = []
        moment = db_connection.ops.adapt_datetimefield_value(now)
        self._sent_params = [Reminder.Status.SENT.value, moment, moment]
        self._mark = mark

    def mine(self, pks):
        return Reminder.objects.filter(pk__in=pks, claim_token=self.token)

    def record_sent(self, unit: list[Reminder]) -> None:
        """The server accepted the email: say so before anything else happens, so a crash from
        here on cannot send it again. One UPDATE (plus the digest's, in the same commit).

        A lone reminder's UPDATE may still be on its way when this returns (see `_SentMark`):
        `settle()` waits for its commit, and the caller settles before the next email's text
        goes (after DATA's 354) and before any other query."""
        digest = unit[0].digest_id
        if not digest:
            # The common case, once per email: one statement written once (an ORM update
            # builds and compiles its query anew each time, which costs more than the round
            # trip). The same as the digest's update below, for one row.
            self._mark.start([*self._sent_params, unit[0].pk, self.token])
        else:
            self.settle()
            with transaction.atomic():
                # No status filter: if a re-plan cancelled the row while its email was on the
                # wire, the truth is still that it was sent.
                self.mine([r.pk for r in unit]).update(
                    status=Reminder.Status.SENT,
                    sent_at=self.now,
                    last_error="",
                    attempts=F("attempts") + 1,
                    updated_at=self.now,
                    **self.DONE,
                )
                Digest.objects.filter(pk=digest, sent_at__isnull=True).update(sent_at=self.now)
        if digest:
            self.summary.digests += 1
        self.summary.emails += 1
        self.summary.sent += len(unit)

    def settle(self, idle: Callable | None = None) -> None:
        """Wait until the last email's "sent" is committed (a no-op when it already is),
        doing `idle(socket)` meanwhile."""
        self._mark.settle(idle)

    def cancel(self, unit: list[Reminder], reason: str) -> None:
        self.summary.cancelled += len(unit)
        fields = {"status": Reminder.Status.CANCELLED, "last_error": reason}
        # Only rows still sending under our token: a re-plan may have cancelled it already.
        self.other.append(([r.pk for r in unit], {**fields, "_sending_only": True}))

    def defer(self, unit: list[Reminder], when: dt.datetime, mode: str | None = None) -> None:
        self.summary.deferred += len(unit)
        fields = {"status": Reminder.Status.PENDING, "send_at": when, "next_attempt_at": when}
        if mode:
            fields["mode"] = mode
        self.other.append(([r.pk for r in unit], fields))

    def release(self, unit: list[Reminder], reason: str) -> None:
        """Not tried (the server is down): back to pending, same place in the queue."""
        self.summary.released += len(unit)
        self.other.append(
            (
                [r.pk for r in unit],
                {"status": Reminder.Status.PENDING, "last_error": reason},
            )
        )

    def fail_or_retry(self, unit: list[Reminder], error: str, *, permanent: bool) -> None:
        """An attempt that failed: charged to the reminder (`attempts` + 1)."""
        attempts = max(r.attempts for r in unit) + 1
        if permanent or attempts >= MAX_ATTEMPTS:
            self.summary.failed += len(unit)
            if not permanent:
                error = f"Gave up after {attempts} attempts. Last error: {error}"
            self.other.append(
                (
                    [r.pk for r in unit],
                    {"status": Reminder.Status.FAILED, "last_error": error, "attempts": attempts},
                )
            )
        else:
            self.summary.retrying += len(unit)
            self.other.append(
                (
                    [r.pk for r in unit],
                    {
                        "status": Reminder.Status.PENDING,
                        "next_attempt_at": self.now + backoff(attempts),
                        "last_error": error,
                        "attempts": attempts,
                    },
                )
            )

    def flush(self) -> None:
        self.settle()
        if not self.other:
            return
        with transaction.atomic():
            for pks, fields in self.other:
                fields = dict(fields)
                rows = self.mine(pks)
                if fields.pop("_sending_only", False):
                    rows = rows.filter(status=Reminder.Status.SENDING)
                rows.update(**fields, **self.DONE, updated_at=self.now)
        self.other = []


@functools.cache
def _sent_sql() -> str:
    """One reminder sent: what `_Ledger.record_sent` writes for a digest, for one row
    (no status filter, for the same reason)."""
    table = db_connection.ops.quote_name(Reminder._meta.db_table)
    return (
        f"UPDATE {table} SET status = %s, sent_at = %s, last_error = '', "
        "attempts = attempts + 1, updated_at = %s, claim_token = '', claimed_until = NULL "
        "WHERE id = %s AND claim_token = %s"
    )


class _SentMark:
    """One reminder's "sent" UPDATE, whose round trip overlaps with building the next email.

    On PostgreSQL in autocommit (a dispatch run outside any transaction), `start()` hands the
    statement to the server and returns; the server runs and commits it (one statement in
    autocommit is its own transaction) while this process builds the next email, and
    `settle()` then reads the answer. The dispatcher settles before the next email's text goes
    (`_Mailer.before_body`), so the rule stays: an email is recorded as sent, committed,
    before the server can accept the next one.
    Elsewhere (SQLite, inside a transaction as in most tests) `start()` runs the statement
    at once and `settle()` has nothing to do.
    """

    def __init__(self) -> None:
        self._pgconn = None
        # The connection itself, not Django's thread-local proxy to it: each attribute read
        # through the proxy is a thread-local lookup, a dozen per email.
        self.db = connections[DEFAULT_DB_ALIAS]

    def before_queries(self, execute, sql, params, many, context):
        """An execute wrapper: any other query waits for the answer first (a connection
        carries one statement at a time)."""
        if context.get("cursor") is not None:
            self.settle()
        return execute(sql, params, many, context)

    def start(self, params: list) -> None:
        self.settle()
        db = self.db
        if db.vendor != "postgresql" or db.in_atomic_block or not db.get_autocommit():
            with db.cursor() as cursor:
                cursor.execute(_sent_sql(), params)
            return
        pgconn = db.connection.pgconn
        values = [_pg_text(value) for value in params]

        def send(sql, params, many, context):
            with db.wrap_database_errors:
                pgconn.send_query_params(_sent_sql_pq(), values)
                while pgconn.flush():  # the socket is non-blocking: the rest when writable
                    select.select([], [pgconn.socket], [])

        # Through the connection's execute wrappers, as a cursor's query would go (they see
        # the statement sent, not the wait for its answer).
        executor = send
        for wrapper in reversed(db.execute_wrappers):
            executor = functools.partial(wrapper, executor)
        executor(_sent_sql(), params, False, {"connection": db, "cursor": None})
        self._pgconn = pgconn

    def settle(self, idle: Callable | None = None) -> None:
        pgconn = self._pgconn
        if pgconn is None:
            return
        if idle is not None:
            idle(pgconn.socket)
            if self._pgconn is None:  # a query made meanwhile settled it
                return
        self._pgconn = None
        from psycopg import pq

        db = self.db

        with db.wrap_database_errors:
            pgconn.consume_input()
            while pgconn.is_busy():
                select.select([pgconn.socket], [], [])
                pgconn.consume_input()
            error = None
            while (result := pgconn.get_result()) is not None:
                if result.status != pq.ExecStatus.COMMAND_OK and error is None:
                    error = DatabaseError(
                        (result.error_message or b"").decode(errors="replace").strip()
                        or f"UPDATE answered {result.status.name}"
                    )
            if error is not None:
                raise error


def _pg_text(value) -> bytes:
    """A parameter in PostgreSQL's text form (the server reads it as the column's type)."""
    if isinstance(value, dt.datetime):
        return value.isoformat().encode()
    return str(value).encode()


@functools.cache
def _sent_sql_pq() -> bytes:
    """`_sent_sql()` with libpq's numbered placeholders."""
    parts = _sent_sql().split("%s")
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], start=1)).encode() + (
        parts[-1].encode()
    )


def _live(ids: list[int], token: str):
    return Reminder.objects.filter(
        pk__in=ids,
        claim_token=token,
        status=Reminder.Status.SENDING,
        followup__status=FollowUp.Status.PENDING,
    ).values_list("pk", "followup_id")


# The re-check before each chunk (followups.reused): written by the ORM once per process.
_LIVE = ReusedQuery(_live, ids=list, token=str)


def _emails_load(ids: list[int]):
    return (
        FollowUp.objects.filter(pk__in=ids)
        .select_related(*DRAFT_SELECT_RELATED)
        .defer(*DRAFT_UNREAD, "owner__last_login", "owner__date_joined")
    )


# Written by the ORM once per process and length of list (followups.reused): a dozen joins.
# Turning unread columns into Python values (the timestamps above all) was most of the cost of
# loading a batch, hence the deferred ones.
_EMAILS_LOAD = ReusedQuery(_emails_load, instances=True, ids=list)


def load_for_emails(pks) -> dict[int, FollowUp]:
    """The follow-ups by pk, with what their reminder emails read (drafts included), in a
    fixed number of queries."""
    rows = _EMAILS_LOAD(ids=sorted(pks))
    attach_draft_related(rows)
    return {f.pk: f for f in rows}


def _units(reminders: list[Reminder]) -> list[list[Reminder]]:
    """One email each: a lone reminder, or all the reminders of one digest."""
    units: dict[tuple[str, int], list[Reminder]] = {}
    for reminder in reminders:
        key = ("digest", reminder.digest_id) if reminder.digest_id else ("reminder", reminder.pk)
        units.setdefault(key, []).append(reminder)
    return list(units.values())


def _deliver(
    reminders: list[Reminder],
    *,
    now: dt.datetime,
    lease: _Lease,
    mailer: _Mailer,
    summary: DispatchSummary,
) -> bool:
    """Send one claimed batch, chunk by chunk, keeping its lease. False when the SMTP server
    is unreachable.

    Each email is built while the previous one's "sent" is on its way to the database
    (`_SentMark`), and its text goes only once that is committed."""
    units = _units(reminders)
    # What the drafts read, for the whole batch in a fixed number of queries. Whether each
    # follow-up is still pending is asked again just before its chunk is sent.
    followups = load_for_emails({r.followup_id for r in reminders})
    goals = completed_goals_by_owner({f.owner_id for f in followups.values() if reads_goals(f)})
    mark = _SentMark()
    with db_connection.execute_wrapper(mark.before_queries):
        return _deliver_chunks(
            units,
            followups=followups,
            goals=goals,
            now=now,
            lease=lease,
            mailer=mailer,
            summary=summary,
            mark=mark,
        )


def _deliver_chunks(
    units: list[list[Reminder]],
    *,
    followups: dict[int, FollowUp],
    goals: dict[int, list],
    now: dt.datetime,
    lease: _Lease,
    mailer: _Mailer,
    summary: DispatchSummary,
    mark: _SentMark,
) -> bool:
    token = lease.token
    for start in range(0, len(units), CHUNK):
        chunk = units[start : start + CHUNK]
        ledger = _Ledger(token=token, now=now, summary=summary, mark=mark)
        try:
            ids = [r.pk for unit in chunk for r in unit]
            # The re-check at send time: still ours, and the follow-up still pending.
            live = {row["followup_id"]: row["pk"] for row in _LIVE(ids=ids, token=token)}
            ahead = _Ahead(
                [
                    functools.partial(
                        _plan_steps,
                        unit,
                        live=live,
                        followups=followups,
                        now=now,
                        goals=goals.get(unit[0].owner_id, []),
                        mailer=mailer,
                    )
                    for unit in chunk
                ]
            )
            mailer.while_waiting = ahead.while_waiting
            # The previous email is recorded (committed) before the server can accept the
            # next: its "sent" travels while the next one's MAIL, RCPT and DATA do.
            mailer.before_body = functools.partial(ledger.settle, idle=ahead.while_waiting)
            for index in range(len(chunk)):
                plan = ahead.plan(index)
                lease.keep()
                try:
                    _carry_out(plan, mailer=mailer, ledger=ledger)
                except _Outage as exc:
                    summary.outage = str(exc)
                    for rest in chunk[index:] + units[start + CHUNK :]:
                        ledger.release(rest, f"The mail server was unreachable: {exc}")
                    ledger.flush()
                    log.warning(
                        "dispatch: SMTP unavailable, %s reminder(s) released", summary.released
                    )
                    return False
            ledger.flush()
        finally:
            mailer.while_waiting = mailer.before_body = None
            ledger.settle()
    return True


class _Ahead:
    """The emails of one chunk, planned and built ahead of their turn, a step at a time,
    while the dispatcher waits for the SMTP server's replies and the database's "sent"
    (`while_waiting`): that work then costs no time of its own. Nothing here writes or
    sends; a plan's outcomes are carried out at its turn, in order."""

    LOOKAHEAD = 2  # plans at most this many emails past the one being sent

    def __init__(self, makers: list[Callable[[], Generator[None, None, "_Plan"]]]):
        self.makers = makers
        self.done: dict[int, _Plan | Exception] = {}
        self.turn = 0
        self.started = 0
        self.working: tuple[int, Generator[None, None, _Plan]] | None = None

    def step(self) -> bool:
        """One step of the next plan; False when there is nothing to do yet."""
        if self.working is None:
            index = self.started
            if index >= len(self.makers) or index > self.turn + self.LOOKAHEAD:
                return False
            self.started += 1
            self.working = (index, self.makers[index]())
        index, steps = self.working
        try:
            next(steps)
        except StopIteration as finished:
            self.done[index], self.working = finished.value, None
        except Exception as exc:  # raised at the plan's turn, not in the middle of another's
            self.done[index], self.working = exc, None
        return True

    def plan(self, index: int) -> "_Plan":
        """The plan of the `index`th email, finishing it now if need be."""
        self.turn = index
        while index not in self.done:
            self.step()
        plan = self.done.pop(index)
        if isinstance(plan, Exception):
            raise plan
        return plan

    def while_waiting(self, sock) -> None:
        """Work ahead until `sock` has something to read, or there is nothing left to do."""
        while not _readable(sock) and self.step():
            pass


def _readable(sock) -> bool:
    pending = getattr(sock, "pending", None)  # TLS: bytes already decrypted
    if pending is not None and pending():
        return True
    return bool(select.select([sock], [], [], 0)[0])


@dataclass
class _Plan:
    """What to do with one email, decided (and the email built) before its turn: outcomes to
    write, and the message to send (or what went wrong building it)."""

    unit: list[Reminder]
    outcomes: list[Callable[["_Ledger"], None]]
    message: object = None
    error: Exception | None = None


def _plan_steps(
    unit: list[Reminder],
    *,
    live: dict[int, int],
    followups: dict[int, FollowUp],
    now: dt.datetime,
    goals: list,
    mailer: _Mailer,
) -> Generator[None, None, _Plan]:
    """Decide for one email (cancel, defer, send) and build it, in steps (yields), writing
    nothing and sending nothing. `goals`: the owner's completed goals, for the drafts that
    mention them."""
    for r in unit:
        if r.followup_id in live:
            r.followup = followups[r.followup_id]
    gone = [r for r in unit if live.get(r.followup_id) != r.pk]
    unit = [r for r in unit if live.get(r.followup_id) == r.pk]
    plan = _Plan(unit=unit, outcomes=[])
    if gone:
        plan.outcomes.append(
            lambda ledger: ledger.cancel(
                gone, "The follow-up was no longer pending when its reminder was due."
            )
        )
    if not unit:
        return plan
    first = unit[0]
    # The follow-up came with its owner and profile (load_for_emails).
    profile = first.followup.owner.profile
    if not profile.reminders_enabled:
        plan.outcomes.append(lambda ledger: ledger.cancel(unit, "Reminders are turned off."))
        return plan
    if not profile.email_address:
        plan.outcomes.append(
            lambda ledger: ledger.fail_or_retry(
                unit, "No email address: add one in your settings.", permanent=True
            )
        )
        return plan
    hours = ReminderHours.of(profile)
    if first.digest_id:
        # A digest goes out inside the hours (they may have changed since it was planned).
        if not hours.contains(now):
            start = hours.next_start_from(now)
            plan.outcomes.append(lambda ledger: ledger.defer(unit, start))
            return plan
        steps = _one_step(
            emails.digest_message,
            first.digest,
            unit,
            profile=profile,
            completed_goals=goals,
            now=now,
        )
    else:
        followup = first.followup
        if profile.delivery == Delivery.DIGEST:
            # The person switched to the digest since this was planned: it joins the next one.
            when, digest = rules.reminder_time(
                due_at=followup.due_at,
                deadline_at=followup.deadline_at,
                hours=hours,
                digest=True,
                now=now,
            )
            if digest:
                plan.outcomes.append(
                    lambda ledger: ledger.defer(unit, when, mode=Reminder.Mode.DIGEST)
                )
                return plan
        # Re-check the hours at send time (they, or the zone, may have changed; a retry may
        # have landed at night), keeping the deadline exception.
        target = place_in_hours(now, hours, deadline=followup.deadline_at)
        if target > now:
            plan.outcomes.append(lambda ledger: ledger.defer(unit, target))
            return plan
        steps = emails.reminder_message_steps(
            first, profile=profile, completed_goals=goals, now=now
        )
    yield
    try:
        plan.message = yield from steps
        yield
        yield from mailer.prepare_steps(plan.message)
    except Exception as exc:
        plan.error = exc
    return plan


def _one_step(function, *args, **kwargs) -> Generator[None, None, object]:
    return function(*args, **kwargs)
    yield  # a generator of no steps


def _carry_out(plan: _Plan, *, mailer: _Mailer, ledger: _Ledger) -> None:
    """Write the plan's outcomes, and send its email, recording the result."""
    for outcome in plan.outcomes:
        outcome(ledger)
    if plan.message is None and plan.error is None:
        return
    unit = plan.unit
    try:
        if plan.error is not None:
            raise plan.error
        mailer.send(plan.message)
    except _Outage:
        raise
    except _Withheld as exc:
        mailer.reset()
        raise exc.cause from None
    except Exception as exc:
        kind = classify(exc)
        if kind == TRANSIENT and not isinstance(exc, smtplib.SMTPException):
            log.exception("dispatch: could not build or send reminder %s", unit[0].pk)
        if kind == DISCONNECTED:
            mailer.reset()
        ledger.fail_or_retry(unit, _describe(exc), permanent=kind == PERMANENT)
        return
    ledger.record_sent(unit)


def message_id(kind: str, pk: int) -> str:
    """Deterministic: the same reminder (or digest) always has the same Message-ID, so a
    resend after a crash is recognisable as the same message."""
    return f"<{kind}-{pk}@{emails.site_domain()}>"
