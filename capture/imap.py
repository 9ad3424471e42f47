"""Read a person's mailbox over IMAP, read-only, and queue what looks like a rejection.

The mailbox is only ever examined: EXAMINE (SELECT read-only) and BODY.PEEK, so no message is
marked \\Seen or changed. A checkpoint (UIDVALIDITY + the highest UID read) is saved after each
message, so a dropped connection resumes where it stopped; a new UIDVALIDITY starts over with
the last 30 days, and the review queue's Message-ID keeps each message counted once.

The host was typed by a person, so before connecting: IMAP ports only, and every address the
name resolves to must be public unless the operator allows private ones. The connection is
made to the address that was checked (no second DNS lookup an attacker could answer).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import ipaddress
import logging
import re
import socket
import ssl
import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F

from capture import crypto, services
from capture.models import MailboxWatch, ReviewItem
from capture.reader import MAX_EMAIL_BYTES, UnreadableEmail, read_email

log = logging.getLogger(__name__)

FIRST_SCAN_DAYS = 30
MAX_MESSAGES_PER_SCAN = 500
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class MailboxError(Exception):
    """Something went wrong with the mailbox; `str()` says what, for the person."""


@dataclass(frozen=True)
class ScanResult:
    read: int
    queued: int
    finished: bool  # False when the time budget ran out before the last message

    def __str__(self) -> str:
        return f"read {self.read}, queued {self.queued}" + (
            "" if self.finished else ", more next time"
        )


# --- Where we may connect -----------------------------------------------------------------------


def allowed_address(host: str, port: int) -> str:
    """The checked address to connect to, or MailboxError saying why not."""
    if port not in settings.CAPTURE_IMAP_PORTS:
        ports = " or ".join(str(p) for p in settings.CAPTURE_IMAP_PORTS)
        raise MailboxError(f"Open Doors connects to IMAP ports only: {ports}.")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise MailboxError(
            f"The server name “{host}” can't be found. Check its spelling."
        ) from None
    addresses = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0])
        if not address.is_global and not settings.CAPTURE_IMAP_ALLOW_PRIVATE:
            raise MailboxError(
                f"“{host}” is on a private network. Open Doors only connects to mail servers on "
                "the internet (the operator can allow private ones)."
            )
        addresses.append(str(address))
    if not addresses:
        raise MailboxError(f"The server name “{host}” can't be found. Check its spelling.")
    return addresses[0]


def is_private(address: str) -> bool:
    return not ipaddress.ip_address(address).is_global


class _PinnedIMAP4(imaplib.IMAP4):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        self._address = address
        super().__init__(host, port, timeout=timeout)

    def _create_socket(self, timeout):
        return socket.create_connection((self._address, self.port), timeout)


class _PinnedIMAP4_SSL(imaplib.IMAP4_SSL):
    def __init__(self, host: str, port: int, *, address: str, timeout: float, context) -> None:
        self._address = address
        super().__init__(host, port, ssl_context=context, timeout=timeout)

    def _create_socket(self, timeout):
        sock = socket.create_connection((self._address, self.port), timeout)
        return self.ssl_context.wrap_socket(sock, server_hostname=self.host)


def tls_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.CAPTURE_IMAP_CAFILE or None)


def connect(watch: MailboxWatch) -> imaplib.IMAP4:
    address = allowed_address(watch.host, watch.port)
    timeout = settings.CAPTURE_IMAP_TIMEOUT
    if watch.security == MailboxWatch.Security.PLAIN and not is_private(address):
        raise MailboxError(
            "Without encryption the password would cross the internet readable: choose TLS."
        )
    if watch.security == MailboxWatch.Security.TLS:
        return _PinnedIMAP4_SSL(
            watch.host, watch.port, address=address, timeout=timeout, context=tls_context()
        )
    client = _PinnedIMAP4(watch.host, watch.port, address=address, timeout=timeout)
    if watch.security == MailboxWatch.Security.STARTTLS:
        client.starttls(ssl_context=tls_context())
    return client


# --- One scan -------------------------------------------------------------------------------------


def scan(watch: MailboxWatch, *, now: dt.datetime, budget: float) -> ScanResult:
    """Read new messages of one mailbox and queue the rejections; raises MailboxError.

    1. Connect to the checked address, log in, EXAMINE the folder (read-only).
    2. A new UIDVALIDITY (or none saved yet) restarts at messages from the last 30 days.
    3. For each new UID in order: skip it if larger than the cap, else BODY.PEEK it, read it,
       queue it if it is a rejection, and save the checkpoint.
    """
    try:
        password = crypto.decrypt(watch.password_encrypted)
    except crypto.SecretUnreadable as error:
        raise MailboxError(str(error)) from None
    deadline = time.monotonic() + budget
    try:
        client = connect(watch)
    except MailboxError:
        raise
    except Exception as error:
        raise MailboxError(_in_words(error, watch)) from None
    try:
        return _scan(client, watch, password=password, now=now, deadline=deadline)
    except MailboxError:
        raise
    except Exception as error:
        raise MailboxError(_in_words(error, watch)) from None
    finally:
        with contextlib.suppress(Exception):  # the connection may already be gone
            client.logout()


def _scan(client, watch, *, password: str, now: dt.datetime, deadline: float) -> ScanResult:
    try:
        client.login(watch.username, password)
    except imaplib.IMAP4.error:
        raise MailboxError(
            "The mail server refused the username or password. Check them; many providers "
            "need an app password here, not your usual one."
        ) from None
    status, _ = client.select(_quoted(watch.folder), readonly=True)
    if status != "OK":
        raise MailboxError(f"There is no folder “{watch.folder}” in this mailbox.")
    _, values = client.response("UIDVALIDITY")
    uidvalidity = int(values[0]) if values and values[0] else 0
    if watch.uidvalidity != uidvalidity:
        # The server renumbered the folder: old UIDs mean nothing now.
        watch.uidvalidity, watch.last_uid = uidvalidity, 0
        MailboxWatch.objects.filter(pk=watch.pk).update(uidvalidity=uidvalidity, last_uid=0)
    if watch.last_uid:
        status, data = client.uid("SEARCH", None, f"UID {watch.last_uid + 1}:*")
    else:
        since = (now - dt.timedelta(days=FIRST_SCAN_DAYS)).date()
        status, data = client.uid(
            "SEARCH", None, f"SINCE {since.day}-{_MONTHS[since.month - 1]}-{since.year}"
        )
    if status != "OK":
        raise MailboxError("The mail server would not list the folder's messages.")
    uids = sorted(int(uid) for uid in (data[0] or b"").split() if int(uid) > watch.last_uid)
    own = services.own_addresses(watch.owner)
    read = queued = 0
    for uid in uids[:MAX_MESSAGES_PER_SCAN]:
        if time.monotonic() > deadline:
            return ScanResult(read, queued, finished=False)
        raw = _fetch(client, uid)
        if raw is not None:
            try:
                reading = read_email(raw, own_addresses=own)
            except UnreadableEmail:
                reading = None
            if reading is not None:
                _, created = services.queue_for_review(
                    owner=watch.owner, reading=reading, source=ReviewItem.Source.MAILBOX
                )
                if not reading.is_rejection:
                    # Not a "no": maybe someone the person wrote to answered ("Dana replied?").
                    _, created = services.queue_reply(
                        owner=watch.owner, reading=reading, source=ReviewItem.Source.MAILBOX
                    )
                queued += created
        read += 1
        # The checkpoint moves after each message: a dropped connection loses nothing.
        MailboxWatch.objects.filter(pk=watch.pk).update(
            last_uid=uid, messages_read=F("messages_read") + 1
        )
        watch.last_uid = uid
    return ScanResult(read, queued, finished=len(uids) <= MAX_MESSAGES_PER_SCAN)


def _fetch(client, uid: int) -> bytes | None:
    """The message's bytes, or None when it is over the size cap (it is then skipped)."""
    status, data = client.uid("FETCH", str(uid), "(RFC822.SIZE)")
    if status != "OK" or not data or data[0] is None:
        return None
    match = re.search(rb"RFC822\.SIZE (\d+)", data[0] if isinstance(data[0], bytes) else data[0][0])
    if match is None or int(match.group(1)) > MAX_EMAIL_BYTES:
        return None
    status, data = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
    if status != "OK":
        raise MailboxError("The mail server stopped answering while a message was read.")
    for part in data:
        if isinstance(part, tuple) and len(part) == 2:
            return part[1]
    return None


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _in_words(error: Exception, watch: MailboxWatch) -> str:
    if isinstance(error, TimeoutError | socket.timeout):
        return f"The mail server didn't answer within {settings.CAPTURE_IMAP_TIMEOUT} seconds."
    if isinstance(error, ssl.SSLCertVerificationError):
        return (
            "The mail server's certificate can't be trusted "
            f"({error.verify_message}). Check the server name."
        )
    if isinstance(error, ssl.SSLError):
        return "A secure connection couldn't be made. Check the port and the encryption setting."
    if isinstance(error, ConnectionRefusedError):
        return (
            f"{watch.host} refused the connection on port {watch.port}. Check the server and port."
        )
    if isinstance(error, imaplib.IMAP4.abort | EOFError | ConnectionError | OSError):
        return "The connection to the mail server was dropped. Open Doors will try again."
    log.exception("mailbox %s: unexpected error", watch.pk)
    return "Something unexpected went wrong while reading the mailbox. Open Doors will try again."


# --- The beat task's work ---------------------------------------------------------------------------


def poll_due_mailboxes(*, now: dt.datetime, budget: float) -> str:
    """Scan every mailbox whose turn it is, each claimed once; failures back off.

    A claim pushes `next_attempt_at` forward with a conditional update, so two polls never
    read the same mailbox at once. One mailbox failing never stops the others.
    """
    deadline = time.monotonic() + budget
    lease = dt.timedelta(seconds=settings.CAPTURE_POLL_TIME_LIMIT)
    interval = dt.timedelta(seconds=settings.CAPTURE_POLL_INTERVAL_SECONDS)
    summary = []
    due = MailboxWatch.objects.filter(next_attempt_at__lte=now).order_by("next_attempt_at")
    for watch in due.select_related("owner")[:100]:
        remaining = deadline - time.monotonic()
        if remaining <= 1:
            break
        claimed = MailboxWatch.objects.filter(
            pk=watch.pk, next_attempt_at=watch.next_attempt_at
        ).update(next_attempt_at=now + lease, last_attempt_at=now)
        if not claimed:
            continue
        try:
            result = scan(watch, now=now, budget=remaining)
        except MailboxError as error:
            failures = watch.failures + 1
            watch.failures = failures
            MailboxWatch.objects.filter(pk=watch.pk).update(
                failures=failures,
                last_error=str(error)[:500],
                next_attempt_at=now + watch.backoff(),
            )
            summary.append(f"mailbox {watch.pk}: {error}")
            continue
        MailboxWatch.objects.filter(pk=watch.pk).update(
            failures=0,
            last_error="",
            last_success_at=now,
            last_scan_read=result.read,
            next_attempt_at=now if not result.finished else now + interval,
        )
        summary.append(f"mailbox {watch.pk}: {result}")
    return "; ".join(summary) or "no mailbox due"
