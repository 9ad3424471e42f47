"""The production email backend (followups.smtp) writes MIME itself, for speed. A mail reader
must see exactly what it would see in Django's own rendering of the same email: the same
subject, addresses and headers, the same text and HTML. Both renderings are parsed with the
standard library's modern parser and compared; then real reminders go through a real SMTP
server with that backend."""

import email
import email.policy

import pytest
import time_machine
from django.core.mail import BadHeaderError, EmailMessage, EmailMultiAlternatives
from django.test import override_settings

from applications.services import log_rejection
from followups import outbox
from followups.smtp import mime_bytes
from tests.factories import UserFactory
from tests.followups.conftest import at, body_text

LONG_LINE = "Ünïcödé and a very long line " * 60  # > 998 octets: quoted-printable
SUBJECTS = [
    "Thank Dana at Acme by Wed 14:00",
    "Merci à Zoë chez Société Générale — d’ici mercredi 14:00, " * 3,
    "日本語のタイトルです。" * 8,
    "Well done 🎉 at Ünïcode GmbH, " * 4,  # four-byte characters across word boundaries
    "x" * 200,
]


def reader_view(data: bytes) -> dict:
    message = email.message_from_bytes(data, policy=email.policy.default)
    # On the wire every line ends in CRLF; a reader shows lines.
    parts = {
        part.get_content_type(): part.get_content().replace("\r\n", "\n")
        for part in message.walk()
        if not part.is_multipart()
    }
    names = sorted(name.lower() for name in message if name.lower() != "date")
    return {
        "content_type": message.get_content_type(),
        "headers": names,
        # Django folds a long subject before its first word; readers drop that space.
        "subject": str(message["Subject"]).lstrip(),
        "from": str(message["From"]),
        "to": str(message["To"]),
        "reply_to": str(message["Reply-To"]),
        "message_id": str(message["Message-ID"]),
        "unsubscribe": str(message["List-Unsubscribe"]),
        "date": bool(message["Date"]),
        "parts": parts,
    }


def django_bytes(message: EmailMessage) -> bytes:
    return message.message().as_bytes(linesep="\r\n")


def reminder_like(subject: str, *, text: str = "Hi Sam,\n\nThe draft.\n", html: str | None = None):
    message = EmailMultiAlternatives(
        subject,
        text,
        "Open Doors <reminders@opendoors.example>",
        ["Sam Ødegård <sam@example.com>"],
        reply_to=["help@opendoors.example"],
        headers={
            "Message-ID": "<reminder-42@opendoors.example>",
            "List-Unsubscribe": "<https://opendoors.example/followups/unsubscribe/abc:def/>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html or f"<p>{text}</p>", "text/html")
    return message


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_reader_sees_the_same_email_from_both_writers(subject):
    message = reminder_like(subject, text="Hi Sam,\r\nLine two.\rLine three.\n\n. A dot line\n")

    ours, djangos = reader_view(mime_bytes(message)), reader_view(django_bytes(message))

    assert ours == djangos
    assert ours["subject"] == subject
    assert ours["to"] == "Sam Ødegård <sam@example.com>"
    assert ours["parts"]["text/plain"].startswith("Hi Sam,\nLine two.\nLine three.\n")


def test_a_subject_that_looks_encoded_is_shown_as_typed():
    typed = "Ask about =?utf-8?q?this=20word?= at Acme"

    assert reader_view(mime_bytes(reminder_like(typed)))["subject"] == typed


def test_lines_too_long_for_smtp_are_wrapped_and_read_back_whole():
    message = reminder_like("Long", text=LONG_LINE, html=f"<p>{LONG_LINE}</p>")

    data = mime_bytes(message)

    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    assert b"Content-Transfer-Encoding: quoted-printable" in data
    assert reader_view(data) == reader_view(django_bytes(message))
    assert reader_view(data)["parts"]["text/plain"].rstrip("\n") == LONG_LINE


def test_a_text_only_email_is_one_part():
    message = EmailMessage(
        "Your password", "Follow the link.\n", "a@example.com", ["b@example.com"]
    )

    ours, djangos = reader_view(mime_bytes(message)), reader_view(django_bytes(message))

    assert ours["message_id"] != djangos["message_id"]  # a fresh one each time, as Django's
    assert {**ours, "message_id": ""} == {**djangos, "message_id": ""}
    assert ours["content_type"] == "text/plain"
    assert "@" in ours["message_id"] and ours["date"]


def test_a_newline_in_a_header_is_refused_as_django_refuses_it():
    message = reminder_like("Acme\r\nBcc: victim@evil.example")

    with pytest.raises(BadHeaderError):
        mime_bytes(message)


def test_an_email_with_an_attachment_is_left_to_django():
    message = reminder_like("With a file")
    message.attach("notes.txt", "hello", "text/plain")

    assert mime_bytes(message) is None


def test_reminders_reach_a_real_smtp_server_through_the_production_backend(db, smtp_server):
    sam = UserFactory(username="sam", email="sam@example.com")
    with time_machine.travel(at("2026-03-02 09:05"), tick=False):
        log_rejection(
            owner=sam,
            received_at=at("2026-03-02 09:00"),
            company_name="Société Générale",
            role_title="Analyste",
            contact_name="Zoë Brandt",
            contact_email="zoe@societe.example",
        )

    with override_settings(
        EMAIL_BACKEND="followups.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_server.port,
        DEFAULT_FROM_EMAIL="Open Doors <reminders@opendoors.example>",
    ):
        summary = outbox.dispatch_due_reminders(now=at("2026-03-03 15:00"))

    assert summary.emails == 1, summary
    [message] = smtp_server.received
    # The envelope: bounces go to the sender's address, the message to the person's.
    assert message["X-Envelope-From"] == "reminders@opendoors.example"
    assert message["X-Envelope-To"] == "sam@example.com"
    subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
    assert "Société Générale" in subject
    assert "Dear Zoë," in body_text(message)


@pytest.mark.parametrize(
    "line, encoded",
    [
        ("a" * 998, False),  # exactly the limit
        ("a" * 999, True),
        ("é" * 499, False),  # 998 octets in 499 characters
        ("é" * 500, True),
        ("🙂" * 249, False),  # 996 octets in 249 characters
        ("🙂" * 250, True),  # 1,000 octets in 250 characters
    ],
)
def test_a_line_is_too_long_by_its_octets_not_its_characters(line, encoded):
    data = mime_bytes(reminder_like("Octets", text=f"Hi,\n{line}\nBye", html="<p>Hi</p>"))

    assert max(len(part) for part in data.split(b"\r\n")) <= 998
    assert (b"Content-Transfer-Encoding: quoted-printable" in data) == encoded
    assert reader_view(data)["parts"]["text/plain"] == f"Hi,\n{line}\nBye"
