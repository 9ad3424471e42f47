"""A real SMTP server that refuses (451) and then accepts: each reminder arrives once, after
the retry, and the backoff lived in the database rows in between."""

import pytest

from followups import services
from followups.models import Reminder
from tests.factories import ContactFactory, RejectionFactory, UserFactory
from tests.followups.conftest import at

pytestmark = pytest.mark.processes


def test_a_refusing_server_gets_each_reminder_once_after_the_retry(
    dispatchers, smtp_server, time_machine
):
    """GIVEN 5 reminders due at 14:00 and a mail server answering "451 try again later"
    WHEN a dispatcher runs at 14:00, the server recovers, and dispatchers run at 14:00:30,
    14:01 and 14:02
    THEN nothing arrives at 14:00 or 14:00:30 (backoff: one minute), each arrives once at 14:01,
    and 14:02 sends nothing more."""
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    person = UserFactory(username="sam")
    for n in range(5):
        contact = ContactFactory(owner=person, company__name=f"Co {n}")
        services.sync_rejection(
            rejection=RejectionFactory(
                owner=person,
                application__company=contact.company,
                contact=contact,
                received_at=at("2026-03-02 14:00"),
            )
        )
    expected = set(
        Reminder.objects.filter(send_at__lte=at("2026-03-03 14:00")).values_list(
            "message_id", flat=True
        )
    )

    smtp_server.refusing = True
    [first] = dispatchers.run(now=at("2026-03-03 14:00"))
    assert "retrying 5" in first
    assert smtp_server.refused == 5 and smtp_server.received == []
    waiting = Reminder.objects.filter(message_id__in=expected)
    assert {(r.status, r.attempts, r.next_attempt_at) for r in waiting} == {
        (Reminder.Status.PENDING, 1, at("2026-03-03 14:01"))
    }
    assert all("451" in r.last_error for r in waiting)

    smtp_server.refusing = False
    dispatchers.run(now=at("2026-03-03 14:00:30"))
    assert smtp_server.received == []
    dispatchers.run(now=at("2026-03-03 14:01"))
    dispatchers.run(now=at("2026-03-03 14:02"))

    ids = smtp_server.message_ids()
    assert sorted(ids) == sorted(expected)
    assert {(r.status, r.attempts) for r in waiting.all()} == {(Reminder.Status.SENT, 2)}
