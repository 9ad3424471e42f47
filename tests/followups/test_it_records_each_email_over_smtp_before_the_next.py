"""With the production backend (followups.smtp) and a real SMTP server: each email is answered
and recorded before the next one goes out, and a refusal of one email is that email's alone."""

import smtplib

import pytest

from followups import outbox
from followups.models import Reminder
from tests.followups.conftest import THANKS_DUE, at, production_backend, thank_yous_due

DUE = THANKS_DUE


@pytest.fixture
def six_thank_yous(person, time_machine):
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    return thank_yous_due(person, 6)


def test_each_email_is_recorded_before_the_next_goes_out(six_thank_yous, smtp_server, monkeypatch):
    """GIVEN six thank-yous due at 14:00 and a real SMTP server
    WHEN the tick sends them with the production backend
    THEN as each email goes out, every earlier one is already recorded as sent."""
    sent_before = []
    sendmail = smtplib.SMTP.sendmail

    def watching(*args, **kwargs):
        sent_before.append(Reminder.objects.filter(status=Reminder.Status.SENT).count())
        return sendmail(*args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "sendmail", watching)
    summary = outbox.dispatch_due_reminders(now=DUE, connection=production_backend(smtp_server))
    assert summary.sent == 6
    assert sent_before == [0, 1, 2, 3, 4, 5]
    assert len(smtp_server.message_ids()) == 6


def test_a_refused_email_is_that_emails_alone(six_thank_yous, smtp_server, monkeypatch):
    """GIVEN six thank-yous, and a server that answers the 2nd email "451 try later" and the
    4th "550 no such mailbox" after reading them
    WHEN the tick sends them
    THEN the 2nd waits for its retry, the 4th failed, and the four others were sent, once."""
    answers = iter(["", "451 4.3.0 Try again later", "", "550 5.1.1 No such mailbox", "", ""])
    accept = smtp_server.handle_DATA

    async def refusing_some(server, session, envelope):
        answer = next(answers)
        return answer or await accept(server, session, envelope)

    monkeypatch.setattr(smtp_server, "handle_DATA", refusing_some)
    summary = outbox.dispatch_due_reminders(now=DUE, connection=production_backend(smtp_server))
    assert (summary.sent, summary.retrying, summary.failed) == (4, 1, 1)
    rows = {r.pk: r for r in Reminder.objects.all()}
    statuses = [rows[r.pk].status for r in six_thank_yous]
    assert statuses == ["sent", "pending", "sent", "failed", "sent", "sent"]
    second, fourth = rows[six_thank_yous[1].pk], rows[six_thank_yous[3].pk]
    assert second.attempts == 1 and second.last_error.startswith("451")
    assert fourth.attempts == 1 and fourth.last_error.startswith("550")
    assert len(smtp_server.message_ids()) == 4
