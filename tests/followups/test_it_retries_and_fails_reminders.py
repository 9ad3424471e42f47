"""SMTP trouble: a refusal (4xx) retries with backoff kept in the row; a permanent error
(5xx, a bad header) fails the reminder and the person sees it in the app; a server that is
down costs nothing and the reminders wait their turn."""

import smtplib

import pytest
from django.core import mail
from django.core.mail import BadHeaderError
from django.urls import reverse

from followups import outbox, services
from followups.models import FollowUp, Reminder
from tests.factories import RejectionFactory
from tests.followups.conftest import ScriptedBackend, at

Kind = FollowUp.Kind
DUE = at("2026-03-03 14:00")


@pytest.fixture
def thanks(person, dana, time_machine):
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    rejection = RejectionFactory(
        owner=person,
        application__company=dana.company,
        contact=dana,
        received_at=at("2026-03-02 14:00"),
    )
    services.sync_rejection(rejection=rejection)
    return FollowUp.objects.get(kind=Kind.REJECTION_THANKS)


def busy() -> smtplib.SMTPDataError:
    return smtplib.SMTPDataError(451, b"4.3.0 Mailbox busy, try again later")


def refused() -> smtplib.SMTPRecipientsRefused:
    return smtplib.SMTPRecipientsRefused({"sam@example.com": (550, b"5.1.1 No such user")})


def test_it_retries_a_refusal_with_backoff_and_sends_once(thanks):
    """GIVEN the mail server answers 451 (try later) to the first attempt
    THEN the row waits a minute (attempts 1), and the tick a minute later sends it once."""
    backend = ScriptedBackend(script=[busy()])
    first = outbox.dispatch_due_reminders(now=DUE, connection=backend)
    reminder = thanks.reminders.get()
    assert first.retrying == 1 and first.sent == 0
    assert reminder.status == Reminder.Status.PENDING
    assert reminder.attempts == 1
    assert reminder.next_attempt_at == at("2026-03-03 14:01")
    assert "451" in reminder.last_error

    assert (
        outbox.dispatch_due_reminders(now=at("2026-03-03 14:00:30"), connection=backend).sent == 0
    )
    assert outbox.dispatch_due_reminders(now=at("2026-03-03 14:01"), connection=backend).sent == 1
    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT and reminder.attempts == 2


def test_it_backs_off_longer_each_time():
    assert [outbox.backoff(n).total_seconds() / 60 for n in range(1, 9)] == [
        1,
        2,
        5,
        10,
        30,
        60,
        60,
        60,
    ]


def test_it_gives_up_after_the_last_attempt(thanks):
    Reminder.objects.filter(followup=thanks).update(attempts=outbox.MAX_ATTEMPTS - 1)
    summary = outbox.dispatch_due_reminders(now=DUE, connection=ScriptedBackend(script=[busy()]))
    reminder = thanks.reminders.get()
    assert summary.failed == 1
    assert reminder.status == Reminder.Status.FAILED
    assert reminder.last_error.startswith(f"Gave up after {outbox.MAX_ATTEMPTS} attempts")


def test_it_fails_a_refused_recipient_at_once_and_shows_it(person, thanks, client_for):
    summary = outbox.dispatch_due_reminders(now=DUE, connection=ScriptedBackend(script=[refused()]))
    reminder = thanks.reminders.get()
    assert summary.failed == 1
    assert reminder.status == Reminder.Status.FAILED
    assert "550" in reminder.last_error

    client = client_for(person)
    page = client.get(thanks.get_absolute_url()).text
    assert "could not be delivered" in page and "550 5.1.1 No such user" in page
    listing = client.get(reverse("followups:reminder-failed-list")).text
    assert "Thank-you after a rejection" in listing and "No such user" in listing


def test_the_person_can_try_a_failed_reminder_again(person, thanks, client_for):
    outbox.dispatch_due_reminders(now=DUE, connection=ScriptedBackend(script=[refused()]))
    reminder = thanks.reminders.get()
    client_for(person).post(reverse("followups:reminder-retry", args=[reminder.pk]))
    assert outbox.dispatch_due_reminders(now=at("2026-03-03 14:05")).sent == 1


def test_it_fails_a_message_with_a_bad_header(thanks):
    summary = outbox.dispatch_due_reminders(
        now=DUE,
        connection=ScriptedBackend(script=[BadHeaderError("Header values can't contain newlines")]),
    )
    assert summary.failed == 1
    assert "BadHeaderError" in thanks.reminders.get().last_error


def test_a_newline_in_a_company_name_cannot_inject_a_header(thanks):
    thanks.company.name = "Acme\nBcc: everyone@example.com"
    thanks.company.save()
    assert outbox.dispatch_due_reminders(now=DUE).sent == 1
    headers = mail.outbox[0].message()
    assert headers["Bcc"] is None
    assert "\n" not in mail.outbox[0].subject
    assert mail.outbox[0].subject.startswith("Thank Dana at Acme Bcc: everyone@example.com")


def test_a_server_that_is_down_costs_nothing_and_nothing_is_lost(thanks):
    """GIVEN the mail server refuses connections
    THEN the reminder goes back to pending untouched (no attempt counted, same place in the
    queue), and the next tick sends it once the server is back."""
    down = ScriptedBackend(open_error=ConnectionRefusedError(111, "Connection refused"))
    summary = outbox.dispatch_due_reminders(now=DUE, connection=down)
    reminder = thanks.reminders.get()
    assert summary.outage and summary.released == 1 and summary.sent == 0
    assert reminder.status == Reminder.Status.PENDING
    assert reminder.attempts == 0
    assert reminder.next_attempt_at == DUE
    assert outbox.dispatch_due_reminders(now=at("2026-03-03 14:01")).sent == 1


def test_a_dropped_connection_retries_that_reminder_and_reconnects(person, dana, time_machine):
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    for _ in range(2):
        services.sync_rejection(
            rejection=RejectionFactory(
                owner=person, application__company=dana.company, received_at=at("2026-03-02 14:00")
            )
        )
    backend = ScriptedBackend(
        script=[smtplib.SMTPServerDisconnected("Connection unexpectedly closed")]
    )
    summary = outbox.dispatch_due_reminders(now=DUE, connection=backend)
    assert summary.sent == 1 and summary.retrying == 1
    assert outbox.dispatch_due_reminders(now=at("2026-03-03 14:01"), connection=backend).sent == 1
    assert len(mail.outbox) == 2
