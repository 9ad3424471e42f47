"""A reminder that goes out after its deadline (the worker was down, the mail server refused
for days) says so, instead of asking the person to act "by" a time that has passed."""

import pytest
from django.core import mail

from followups import outbox, services
from tests.factories import RejectionFactory
from tests.followups.conftest import at


@pytest.fixture
def rejected_on_monday(person, dana, time_machine):
    """Acme rejected Sam on Monday 2 March 14:00: thank Dana by Wednesday 14:00."""
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    services.sync_rejection(
        rejection=RejectionFactory(
            owner=person,
            application__company=dana.company,
            contact=dana,
            received_at=at("2026-03-02 14:00"),
        )
    )


def test_a_reminder_sent_after_its_deadline_says_overdue_since(rejected_on_monday):
    """GIVEN the thank-you for Monday's rejection, due by Wednesday 14:00
    WHEN the first dispatch runs on Friday 10:00, the worker having been down since Tuesday
    THEN the email says the thank-you is overdue since Wednesday 14:00."""
    assert outbox.dispatch_due_reminders(now=at("2026-03-06 10:00")).sent == 1

    [message] = mail.outbox
    assert message.subject == "Thank Dana at Acme — overdue since Wed 4 Mar, 14:00"
    assert "Thank Dana at Acme, overdue since Wed 4 Mar, 14:00." in message.body
    assert "overdue since <strong>Wed 4 Mar, 14:00</strong>" in message.alternatives[0][0]


def test_a_deadline_weeks_ago_is_named_by_its_date(rejected_on_monday):
    outbox.dispatch_due_reminders(now=at("2026-03-20 10:00"))

    [message] = mail.outbox
    assert message.subject == "Thank Dana at Acme — overdue since Wed 4 Mar, 14:00"
