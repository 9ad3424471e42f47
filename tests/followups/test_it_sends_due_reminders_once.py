"""Dispatch: the email the person gets, once, in their hours, only while it still matters."""

import pytest
from django.core import mail

from followups import outbox, services
from followups.models import FollowUp, Reminder
from tests.factories import InterviewFactory, RejectionFactory
from tests.followups.conftest import at

Kind = FollowUp.Kind


@pytest.fixture
def thanks(person, dana, time_machine):
    """Acme rejected Sam on Monday 2 March 14:00; the thank-you is due Tuesday 14:00, by
    Wednesday 14:00."""
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    interview = InterviewFactory(
        owner=person,
        application__company=dana.company,
        application__role_title="Backend Engineer",
        when=at("2026-02-25 10:00"),
        detail_to_mention="the billing platform migration",
    )
    rejection = RejectionFactory(
        owner=person,
        application=interview.application,
        contact=dana,
        received_at=at("2026-03-02 14:00"),
    )
    services.sync_rejection(rejection=rejection)
    return FollowUp.objects.get(kind=Kind.REJECTION_THANKS)


def test_it_sends_nothing_before_the_due_time(thanks):
    assert outbox.dispatch_due_reminders(now=at("2026-03-03 13:59")).sent == 0
    assert mail.outbox == []


def test_it_sends_the_reminder_with_what_when_and_why(person, thanks):
    summary = outbox.dispatch_due_reminders(now=at("2026-03-03 14:00"))
    assert summary.sent == 1
    [message] = mail.outbox
    assert message.subject == "Thank Dana at Acme — by Wed 14:00"
    assert message.to == ["sam@example.com"]
    text = message.body
    assert "24 to 48 hours" in text  # the why, from the advice
    assert "Dear Dana," in text  # the draft, greeting by name
    assert "billing platform migration" in text  # a detail from the interview notes
    assert "Backend Engineer" in text
    for label in ("Mark as sent:", "Snooze a day:", "Skip:", "Open in Open Doors:"):
        assert label in text
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert ">Mark as sent</a>" in html and ">Snooze a day</a>" in html and ">Skip</a>" in html


def test_it_sends_each_reminder_once(thanks):
    outbox.dispatch_due_reminders(now=at("2026-03-03 14:00"))
    again = outbox.dispatch_due_reminders(now=at("2026-03-03 14:00"))
    later = outbox.dispatch_due_reminders(now=at("2026-03-03 15:00"))
    assert again.sent == later.sent == 0
    assert len(mail.outbox) == 1
    reminder = thanks.reminders.get()
    assert reminder.status == Reminder.Status.SENT
    assert reminder.sent_at == at("2026-03-03 14:00")
    assert reminder.attempts == 1


def test_it_carries_one_click_unsubscribe_and_a_deterministic_message_id(thanks):
    outbox.dispatch_due_reminders(now=at("2026-03-03 14:00"))
    headers = mail.outbox[0].message()
    reminder = thanks.reminders.get()
    assert headers["Message-ID"] == f"<reminder-{reminder.pk}@127.0.0.1>" == reminder.message_id
    assert headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/followups/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_it_sends_nothing_for_a_followup_done_before_its_reminder(thanks):
    services.mark_done(followup=thanks, done_at=at("2026-03-03 09:00"))
    assert outbox.dispatch_due_reminders(now=at("2026-03-03 14:00")).sent == 0
    assert mail.outbox == []


def test_it_rechecks_the_followup_at_send_time(thanks):
    """GIVEN a reminder already claimed by a dispatcher
    WHEN the follow-up is marked done (straight in the database, as a race would)
    THEN the dispatcher sends nothing and the reminder ends cancelled."""
    FollowUp.objects.filter(pk=thanks.pk).update(status=FollowUp.Status.DONE)
    summary = outbox.dispatch_due_reminders(now=at("2026-03-03 14:00"))
    assert summary.sent == 0 and summary.cancelled == 1
    assert thanks.reminders.get().status == Reminder.Status.CANCELLED
    assert mail.outbox == []


def test_it_waits_for_the_persons_hours_if_they_changed(person, thanks):
    """GIVEN the reminder planned for Tuesday 14:00
    WHEN Sam changes their hours to start at 15:00 before then
    THEN the tick at 14:00 defers it to 15:00, and it goes out then."""
    import datetime as dt

    person.profile.reminder_start = dt.time(15, 0)
    person.profile.save()
    summary = outbox.dispatch_due_reminders(now=at("2026-03-03 14:00"))
    assert summary.deferred == 1 and mail.outbox == []
    assert outbox.dispatch_due_reminders(now=at("2026-03-03 15:00")).sent == 1


def test_it_picks_up_a_reminder_stuck_past_its_lease(thanks):
    """GIVEN a dispatcher that claimed the reminder at 14:00 and died before marking it
    THEN the tick after the lease sends it again, with the same Message-ID."""
    Reminder.objects.filter(followup=thanks).update(
        status=Reminder.Status.SENDING,
        claim_token="dead-dispatcher",
        claimed_until=at("2026-03-03 14:10"),
        attempts=1,
    )
    assert outbox.dispatch_due_reminders(now=at("2026-03-03 14:05")).sent == 0
    assert outbox.dispatch_due_reminders(now=at("2026-03-03 14:11")).sent == 1
    reminder = thanks.reminders.get()
    assert mail.outbox[0].message()["Message-ID"] == reminder.message_id
    assert reminder.status == Reminder.Status.SENT and reminder.attempts == 2


def test_it_cancels_reminders_when_emails_are_turned_off(person, thanks):
    person.profile.reminders_enabled = False
    person.profile.save()
    summary = outbox.dispatch_due_reminders(now=at("2026-03-03 14:00"))
    assert summary.sent == 0 and summary.cancelled == 1


def test_it_plans_no_reminder_for_a_deadline_already_past(person, dana, time_machine):
    """GIVEN a rejection logged a week after it arrived
    THEN the thank-you shows as overdue in the app, but no email chases it."""
    time_machine.move_to(at("2026-03-09 10:00"), tick=False)
    services.sync_rejection(
        rejection=RejectionFactory(
            owner=person, application__company=dana.company, received_at=at("2026-03-02 10:00")
        )
    )
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    assert thanks.is_overdue(at("2026-03-09 10:00"))
    assert not thanks.reminders.exists()
