"""The dispatcher builds each email ahead of its turn, a step at a time while it waits for the
servers: what reaches the SMTP server is byte for byte the email built on its own
(`reminder_message` written by the production backend), Message-ID and links included."""

import re

import pytest

from followups import emails, outbox
from followups.drafts import load_completed_goals
from followups.smtp import mime_bytes
from tests.followups.conftest import (
    THANKS_DUE,
    at,
    body_text,
    production_backend,
    thank_yous_due,
)

DUE = THANKS_DUE
BOUNDARY = re.compile(rb"===============[0-9a-f]{24}==")


@pytest.fixture
def due_reminders(person, time_machine):
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    # More than a chunk: each chunk's emails are built ahead within it.
    return thank_yous_due(person, outbox.CHUNK + 5, interviewed=lambda n: n % 2 == 1)


def test_each_email_sent_is_the_one_built_alone(due_reminders, smtp_server, monkeypatch):
    """GIVEN several reminders due at 14:00 and a real SMTP server
    WHEN the tick sends them with the production backend
    THEN each message received is, byte for byte (but the random MIME boundary), what
    `reminder_message` and the backend write for that reminder on their own."""
    received = []
    accept = smtp_server.handle_DATA

    async def keeping_bytes(server, session, envelope):
        received.append(envelope.content)
        return await accept(server, session, envelope)

    monkeypatch.setattr(smtp_server, "handle_DATA", keeping_bytes)
    summary = outbox.dispatch_due_reminders(now=DUE, connection=production_backend(smtp_server))
    assert summary.sent == len(due_reminders) > outbox.CHUNK

    followups = outbox.load_for_emails([r.followup_id for r in due_reminders])
    expected = []
    for reminder in due_reminders:
        reminder.followup = followup = followups[reminder.followup_id]
        message = emails.reminder_message(
            reminder,
            profile=followup.owner.profile,
            completed_goals=load_completed_goals(followup.owner_id),
            now=DUE,
        )
        expected.append(BOUNDARY.sub(b"BOUNDARY", mime_bytes(message)))
    assert [BOUNDARY.sub(b"BOUNDARY", data.replace(b"\r\n", b"\n")) for data in received] == [
        data.replace(b"\r\n", b"\n") for data in expected
    ]


def test_a_line_that_starts_with_a_period_arrives_as_written(person, smtp_server, time_machine):
    """GIVEN a signature with a line that starts with a period (".NET developer")
    WHEN the tick sends a reminder whose draft ends with it, bytes prepared ahead of its turn
    THEN the server receives that line as written: SMTP's period doubling (RFC 5321 4.5.2)
    was applied to the prepared bytes, and undone by the server."""
    person.profile.signature = "Sam Rivera\n.NET developer"
    person.profile.save()
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    due = thank_yous_due(person, 2)

    summary = outbox.dispatch_due_reminders(now=DUE, connection=production_backend(smtp_server))

    assert summary.sent == len(due) == len(smtp_server.received)
    for message in smtp_server.received:
        assert "\n.NET developer\n" in body_text(message).replace("\r\n", "\n")
