"""Dispatch: the email the person gets, once, in their hours, only while it still matters."""

import datetime as dt
import smtplib

import pytest
from django.core import mail

from followups import outbox, services
from followups.models import FollowUp, Reminder
from tests.factories import InterviewFactory, RejectionFactory
from tests.followups.conftest import ScriptedBackend, at

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
    assert message.subject == "Thank Dana at Acme — by Wed 4 Mar, 14:00"
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
    """GIVEN a reminder the SMTP server refused once (attempts 1), then claimed again at 14:00
    by a dispatcher that died before the server answered
    WHEN ticks run within the lease and just after it
    THEN the first sends nothing, the second sends it with the same Message-ID, and the
    crash is not charged: two attempts in all, the refusal and the delivery."""
    Reminder.objects.filter(followup=thanks).update(
        status=Reminder.Status.SENDING,
        claim_token="dead-dispatcher",
        claimed_until=at("2026-03-03 14:00") + outbox.LEASE,
        attempts=1,
    )
    within = at("2026-03-03 14:00") + outbox.LEASE / 2
    assert outbox.dispatch_due_reminders(now=within).sent == 0
    after = at("2026-03-03 14:00") + outbox.LEASE + dt.timedelta(seconds=1)
    assert outbox.dispatch_due_reminders(now=after).sent == 1
    reminder = thanks.reminders.get()
    assert mail.outbox[0].message()["Message-ID"] == reminder.message_id
    assert reminder.status == Reminder.Status.SENT and reminder.attempts == 2


def test_a_reminder_reclaimed_after_crashes_keeps_its_retries(thanks):
    """GIVEN a reminder the SMTP server refused MAX_ATTEMPTS - 2 times, whose dispatchers then
    died three times in a row before the server answered
    WHEN the tick after the last lease gets one more 451, and the tick after the backoff an
    accepting server
    THEN the 451 is a retry, not "gave up" (the crashes were not charged), and the reminder
    is delivered, after MAX_ATTEMPTS tries the server answered."""
    start = at("2026-03-03 14:00")
    Reminder.objects.filter(followup=thanks).update(attempts=outbox.MAX_ATTEMPTS - 2)
    moment = start
    for crash in range(3):
        claimed = outbox._claim_batch(
            now=moment, token=f"dead-{crash}", limit=10, clock=outbox._Clock(moment)
        )
        assert [r.followup_id for r in claimed] == [thanks.pk]
        moment += outbox.LEASE + dt.timedelta(seconds=1)

    busy = smtplib.SMTPDataError(451, b"4.3.0 Mailbox busy, try again later")
    summary = outbox.dispatch_due_reminders(now=moment, connection=ScriptedBackend(script=[busy]))
    assert (summary.retrying, summary.failed) == (1, 0)
    reminder = thanks.reminders.get()
    assert (reminder.status, reminder.attempts) == (
        Reminder.Status.PENDING,
        outbox.MAX_ATTEMPTS - 1,
    )

    later = reminder.next_attempt_at
    assert outbox.dispatch_due_reminders(now=later).sent == 1 and len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.SENT, outbox.MAX_ATTEMPTS)


def test_it_cancels_reminders_when_emails_are_turned_off(person, thanks):
    person.profile.reminders_enabled = False
    person.profile.save()
    summary = outbox.dispatch_due_reminders(now=at("2026-03-03 14:00"))
    assert summary.sent == 0 and summary.cancelled == 1


def test_it_plans_no_reminder_for_a_deadline_already_past(person, dana, time_machine):
    """GIVEN a rejection logged a week after it arrived
    THEN the thank-you is on the record as missed (never due now), and no email chases it."""
    time_machine.move_to(at("2026-03-09 10:00"), tick=False)
    services.sync_rejection(
        rejection=RejectionFactory(
            owner=person, application__company=dana.company, received_at=at("2026-03-02 10:00")
        )
    )
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    assert thanks.status == FollowUp.Status.MISSED
    assert not thanks.reminders.exists()
