"""Django's SMTP email backend, with a lean MIME writer for the emails Open Doors sends.

Set `EMAIL_BACKEND=followups.smtp.EmailBackend` in production. It speaks SMTP exactly as
Django's backend does (same settings, same connection handling, same errors); only the step
that turns an email into bytes differs, for the shape every Open Doors email has: a UTF-8
text body, at most one HTML alternative, no attachments. Anything else goes through Django.

Why: Django builds a `email.mime` tree and lets the standard library's generator fold and
encode every header. That costs more per reminder than the SMTP conversation itself (see
docs/PERFORMANCE.md). The same bytes' worth of MIME can be written directly:

- header values must be one line (`BadHeaderError` otherwise, as in Django); non-ASCII text is
  written as RFC 2047 encoded words, at most 75 characters each, one per folded line;
- addresses go through Django's own `sanitize_address` (cached: there are few of them);
- a body is 7bit or 8bit with CRLF line ends, or quoted-printable when a line is longer than
  RFC 5322 allows, which is the choice Django makes.

tests/followups/test_it_writes_emails_any_mail_reader_understands.py parses both writers'
output and compares what a mail reader sees.
"""

import base64
import binascii
import functools
import re
import secrets
import smtplib
from collections.abc import Generator
from email.utils import formatdate, getaddresses, make_msgid

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as DjangoEmailBackend
from django.core.mail.message import ADDRESS_HEADERS, DNS_NAME, sanitize_address
from django.utils.encoding import force_str

from followups.reused import finish

CRLF = "\r\n"
LINE_LIMIT = 998  # RFC 5322: a line, without its CRLF, is at most 998 octets.
ENCODED_WORD_BYTES = 45  # 45 octets are 60 in base64; with "=?utf-8?b?" and "?=", 72 <= 75.
_LEADING_PERIOD = re.compile(rb"(?m)^\.")  # smtplib's own pattern


class EmailBackend(DjangoEmailBackend):
    @property
    def connection_class(self):
        return _WaitingSMTP_SSL if self.use_ssl else _WaitingSMTP

    def prepare_steps(self, email_message) -> Generator[None, None, None]:
        """Write the message's bytes now (before its turn to be sent), with a pause (`yield`)
        between one part and the next: `_send` uses them, and the DATA command sends them as
        they were prepared (`_Prepared`)."""
        data = yield from mime_bytes_steps(email_message)
        yield
        email_message.prepared_mime = _Prepared(data) if data is not None else None

    def _send(self, email_message) -> bool:
        if not email_message.recipients():
            return False
        data = getattr(email_message, "prepared_mime", None) or mime_bytes(email_message)
        if data is None:
            return super()._send(email_message)
        from_email = _address(email_message.from_email)
        recipients = [_address(addr) for addr in email_message.recipients()]
        try:
            self.connection.sendmail(from_email, recipients, data)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True


class _Waiting:
    """smtplib's client, which may do other work before it reads each reply: `while_waiting`
    (if set) is called with the socket, and returns when the reply is there or the work is
    done. The conversation itself is smtplib's, command by command, each reply awaited."""

    while_waiting = None
    # Called after DATA's 354, before the message itself goes: the last moment before the
    # server can accept it (followups.outbox settles the previous email's "sent" here).
    before_body = None

    def getreply(self):
        if self.while_waiting is not None and self.sock is not None:
            self.while_waiting(self.sock)
        return super().getreply()

    # smtplib's MAIL and RCPT, with each address quoted once per dispatcher: smtplib parses
    # it again for every message (email.utils.parseaddr), a twentieth of an email's CPU.
    def mail(self, sender, options=()):
        if any(option.lower() == "smtputf8" for option in options):
            return super().mail(sender, options)
        optionlist = " " + " ".join(options) if options and self.does_esmtp else ""
        self.putcmd("mail", f"FROM:{_quoted(sender)}{optionlist}")
        return self.getreply()

    def rcpt(self, recip, options=()):
        optionlist = " " + " ".join(options) if options and self.does_esmtp else ""
        self.putcmd("rcpt", f"TO:{_quoted(recip)}{optionlist}")
        return self.getreply()

    def data(self, msg):
        """smtplib's DATA, with `before_body` between the server's 354 and the message; a
        `_Prepared` message goes out as it was written ahead."""
        if not isinstance(msg, _Prepared):
            msg = _Prepared(msg)  # sendmail() hands DATA bytes, with CRLF line ends
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if self.before_body is not None:
            try:
                self.before_body()
            except BaseException:
                # The message must not go: the server drops a message whose end it never
                # saw. Closed, not QUIT (which the server would read as the message's text).
                self.close()
                raise
        self.send(msg.wire)
        return self.getreply()


class _Prepared(bytes):
    """A message's bytes, with what smtplib's DATA would make of them at its turn, made when
    the message is prepared (while waiting for the server): lines that start with a period
    get a second one (RFC 5321, 4.5.2), and the end-of-data line follows."""

    def __new__(cls, data: bytes):
        prepared = super().__new__(cls, data)
        # Most emails have no line that starts with a period: a search costs less than a
        # substitution, which copies the whole message.
        stuffed = data.startswith(b".") or b"\n." in data
        wire = _LEADING_PERIOD.sub(b"..", data) if stuffed else data
        if not wire.endswith(b"\r\n"):
            wire += b"\r\n"
        prepared.wire = wire + b".\r\n"
        return prepared


class _WaitingSMTP(_Waiting, smtplib.SMTP):
    pass


class _WaitingSMTP_SSL(_Waiting, smtplib.SMTP_SSL):
    pass


def mime_bytes(message: EmailMessage) -> bytes | None:
    """The message as SMTP DATA (CRLF line ends), or None when it is not of the simple shape
    this writer handles, so that Django writes it."""
    return finish(mime_bytes_steps(message))


def mime_bytes_steps(message: EmailMessage) -> Generator[None, None, bytes | None]:
    """`mime_bytes()` with a pause (`yield`) after each part."""
    if type(message) not in (EmailMessage, EmailMultiAlternatives):
        return None
    alternatives = getattr(message, "alternatives", [])
    if (
        message.attachments
        or message.content_subtype != "plain"
        or (message.encoding or settings.DEFAULT_CHARSET).lower() not in ("utf-8", "utf8")
        or len(alternatives) > 1
        or any(mimetype != "text/html" for _content, mimetype in alternatives)
    ):
        return None
    text_part = _part("plain", message.body)
    parts = [text_part]
    for content, _mimetype in alternatives:
        yield
        parts.append(_part("html", content))
    yield
    lines: list[str] = []
    if len(parts) == 1:
        head, body = text_part
        lines += head
    else:
        boundary = _boundary(parts)
        lines.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
        lines.append("MIME-Version: 1.0")
        body = ""
        for head, content in parts:
            body += f"--{boundary}{CRLF}{CRLF.join(head)}{CRLF}{CRLF}{content}{CRLF}"
        body += f"--{boundary}--{CRLF}"
    lines += _headers(message)
    return (CRLF.join(lines) + CRLF + CRLF + body).encode("utf-8")


def _headers(message: EmailMessage) -> list[str]:
    extra = {name.lower(): (name, value) for name, value in message.extra_headers.items()}
    headers = [("Subject", message.subject)]
    headers.append(("From", extra.get("from", (None, message.from_email))[1]))
    for name, values in (("To", message.to), ("Cc", message.cc), ("Reply-To", message.reply_to)):
        if name.lower() in extra:
            headers.append((name, extra[name.lower()][1]))
        elif values:
            headers.append((name, ", ".join(str(v) for v in values)))
    if "date" not in extra:
        headers.append(("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))
    if "message-id" not in extra:
        headers.append(("Message-ID", make_msgid(domain=DNS_NAME)))
    headers += [
        (name, value)
        for key, (name, value) in extra.items()
        if key not in {"from", "to", "cc", "reply-to"}
    ]
    return [f"{name}: {_header_value(name, value)}" for name, value in headers]


def _header_value(name: str, value) -> str:
    value = force_str(value)
    if "\n" in value or "\r" in value:
        raise BadHeaderError(f"Header values can't contain newlines (got {value!r} for {name!r})")
    if value.isascii() and "=?" not in value and len(name) + 2 + len(value) <= LINE_LIMIT:
        return value
    if name.lower() in ADDRESS_HEADERS:
        return _address_list(value)
    return _encoded_words(value)


def _encoded_words(value: str) -> str:
    """RFC 2047 base64 encoded words, whole characters in each, one per folded line."""
    data = value.encode("utf-8")
    words, start = [], 0
    while start < len(data):
        end = start + ENCODED_WORD_BYTES
        # Never split a character: a word ends before the first byte of the one that does
        # not fit (UTF-8 continuation bytes are 10xxxxxx).
        while end < len(data) and data[end] & 0xC0 == 0x80:
            end -= 1
        words.append(f"=?utf-8?b?{base64.b64encode(data[start:end]).decode('ascii')}?=")
        start = end
    return (CRLF + " ").join(words)


# A dispatch run meets few addresses (one sender, one per person), each many times.
@functools.lru_cache(maxsize=4096)
def _address(addr: str) -> str:
    return sanitize_address(addr, "utf-8")


@functools.lru_cache(maxsize=4096)
def _quoted(addr: str) -> str:
    """smtplib.quoteaddr(addr): `<address>` for MAIL and RCPT."""
    return smtplib.quoteaddr(addr)


@functools.lru_cache(maxsize=4096)
def _address_list(value: str) -> str:
    """An address header's value, parsed and re-formatted as Django does (display names
    quoted or encoded as needed)."""
    return ", ".join(_address(addr) for addr in getaddresses((value,)))


def _part(subtype: str, content: str) -> tuple[list[str], str]:
    """(headers, encoded body) of one text part."""
    text = force_str(content)
    if "\r" in text:  # any line end (CRLF, CR, LF) counts as one
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    data = text.replace("\n", CRLF)
    # A character is at most 4 bytes in UTF-8: only a line longer than a quarter of the limit
    # can be too long, and only such lines are encoded to be measured.
    if max(map(len, lines)) > LINE_LIMIT // 4 and any(
        len(line.encode("utf-8")) > LINE_LIMIT for line in lines if len(line) > LINE_LIMIT // 4
    ):
        encoding = "quoted-printable"
        encoded = binascii.b2a_qp("\n".join(lines).encode("utf-8"), istext=True)
        data = CRLF.join(encoded.decode("ascii").split("\n"))
    else:
        encoding = "7bit" if data.isascii() else "8bit"
    head = [
        f'Content-Type: text/{subtype}; charset="utf-8"',
        "MIME-Version: 1.0",
        f"Content-Transfer-Encoding: {encoding}",
    ]
    return head, data


def _boundary(parts: list[tuple[list[str], str]]) -> str:
    while True:
        boundary = f"==============={secrets.token_hex(12)}=="
        if not any(boundary in content for _head, content in parts):
            return boundary
