"""Digest mode: one email a day at the start of the person's hours, listing everything that
became due since the last one; each follow-up in exactly one digest."""

import smtplib

import pytest
from django.core import mail

from accounts.models import Delivery
from followups import outbox, services
from followups.models import Digest, FollowUp, Reminder
from tests.factories import ContactFactory, InterviewFactory, RejectionFactory
from tests.followups.conftest import ScriptedBackend, at

Kind = FollowUp.Kind


@pytest.fixture
def digest_person(person):
    person.profile.delivery = Delivery.DIGEST
    person.profile.save()
    return person


def reject(person, company_name: str, when: str) -> None:
    contact = ContactFactory(owner=person, company__name=company_name, name=f"Jo {company_name}")
    services.sync_rejection(
        rejection=RejectionFactory(
            owner=person,
            application__company=contact.company,
            contact=contact,
            received_at=at(when),
        )
    )


def test_it_sends_one_digest_at_the_start_of_the_hours(digest_person, time_machine):
    """GIVEN thank-yous that fall due Tuesday 10:00 and Tuesday 15:00
    WHEN the ticks run through Tuesday and Wednesday morning
    THEN nothing goes out on Tuesday, and one email at 08:00 on Wednesday lists both."""
    time_machine.move_to(at("2026-03-02 15:00"), tick=False)
    reject(digest_person, "Acme", "2026-03-02 10:00")
    reject(digest_person, "Globex", "2026-03-02 15:00")

    for tick in ("2026-03-03 10:00", "2026-03-03 15:00", "2026-03-04 07:59"):
        assert outbox.dispatch_due_reminders(now=at(tick)).sent == 0
    summary = outbox.dispatch_due_reminders(now=at("2026-03-04 08:00"))

    assert summary.emails == 1 and summary.sent == 2 and summary.digests == 1
    [message] = mail.outbox
    assert message.subject.startswith("2 follow-ups for today — Thank Jo at ")
    assert "Thank Jo at Acme, by Wed 4 Mar, 10:00." in message.body
    assert "Thank Jo at Globex, by Wed 4 Mar, 15:00." in message.body
    assert message.body.count("Mark as sent:") == 2
    assert message.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_each_followup_is_in_exactly_one_digest(digest_person, time_machine):
    time_machine.move_to(at("2026-03-02 15:00"), tick=False)
    reject(digest_person, "Acme", "2026-03-02 10:00")
    outbox.dispatch_due_reminders(now=at("2026-03-04 08:00"))
    time_machine.move_to(at("2026-03-04 09:00"), tick=False)
    reject(digest_person, "Globex", "2026-03-04 09:00")  # due Thursday 09:00

    assert outbox.dispatch_due_reminders(now=at("2026-03-04 08:01")).sent == 0
    assert outbox.dispatch_due_reminders(now=at("2026-03-06 08:00")).sent == 1

    assert len(mail.outbox) == 2
    assert "Globex" not in mail.outbox[0].body and "Acme" not in mail.outbox[1].body
    thanks = Reminder.objects.filter(followup__kind=Kind.REJECTION_THANKS)
    assert thanks.count() == 2 and all(r.digest_id for r in thanks)
    assert thanks.values("digest").distinct().count() == 2
    assert Digest.objects.filter(sent_at__isnull=False).count() == 2


def test_a_retried_digest_is_the_same_email(digest_person, time_machine):
    """GIVEN the digest refused once (451)
    THEN a minute later the same digest goes out: same items, same Message-ID."""
    time_machine.move_to(at("2026-03-02 15:00"), tick=False)
    reject(digest_person, "Acme", "2026-03-02 10:00")
    reject(digest_person, "Globex", "2026-03-02 11:00")
    backend = ScriptedBackend(script=[smtplib.SMTPDataError(451, b"busy")])
    first = outbox.dispatch_due_reminders(now=at("2026-03-04 08:00"), connection=backend)
    assert first.retrying == 2 and mail.outbox == []
    digest = Digest.objects.get()

    outbox.dispatch_due_reminders(now=at("2026-03-04 08:01"), connection=backend)

    [message] = mail.outbox
    assert message.message()["Message-ID"] == digest.message_id
    assert "Acme" in message.body and "Globex" in message.body
    assert Digest.objects.count() == 1


def test_a_digest_that_would_miss_the_deadline_goes_out_on_its_own(digest_person, time_machine):
    """GIVEN an interview thank-you, due Tuesday 19:00, by Wednesday 16:00
    WHEN Sam reschedules it to Wednesday 15:30
    THEN the next digest (08:00 on Thursday) is too late: the reminder goes at 15:30, alone."""
    time_machine.move_to(at("2026-03-03 16:30"), tick=False)
    services.sync_interview(
        interview=InterviewFactory(owner=digest_person, when=at("2026-03-03 16:00"))
    )
    thanks = FollowUp.objects.get()
    assert thanks.deadline_at == at("2026-03-04 16:00")
    services.reschedule(followup=thanks, due_at=at("2026-03-04 15:30"))
    reminder = Reminder.objects.get(status=Reminder.Status.PENDING)
    assert reminder.mode == Reminder.Mode.IMMEDIATE
    assert outbox.dispatch_due_reminders(now=at("2026-03-04 15:30")).sent == 1
    assert mail.outbox[0].subject.startswith("Thank your interviewers at ")


def test_switching_to_the_digest_moves_a_planned_reminder_into_it(person, time_machine):
    time_machine.move_to(at("2026-03-02 15:00"), tick=False)
    reject(person, "Acme", "2026-03-02 10:00")
    person.profile.delivery = Delivery.DIGEST
    person.profile.save()
    assert outbox.dispatch_due_reminders(now=at("2026-03-03 10:00")).deferred == 1
    assert outbox.dispatch_due_reminders(now=at("2026-03-04 08:00")).digests == 1
