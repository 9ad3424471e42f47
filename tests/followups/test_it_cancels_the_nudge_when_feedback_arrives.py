"""Logging feedback ends the one nudge that asked for it."""

from followups import outbox, services
from followups.models import FollowUp, Reminder
from tests.factories import FeedbackFactory, RejectionFactory
from tests.followups.conftest import at

Kind = FollowUp.Kind


def test_it_cancels_the_pending_nudge_and_its_reminder(person, dana, time_machine):
    """GIVEN a thank-you sent on 3 March asking for feedback (nudge due 10 March)
    WHEN feedback is logged on 6 March
    THEN the nudge is cancelled and its reminder never goes out."""
    time_machine.move_to(at("2026-03-02 10:30"), tick=False)
    rejection = RejectionFactory(
        owner=person,
        application__company=dana.company,
        contact=dana,
        received_at=at("2026-03-02 10:30"),
    )
    services.sync_rejection(rejection=rejection)
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    services.mark_done(followup=thanks, asked_for_feedback=True, done_at=at("2026-03-03 09:00"))
    nudge = FollowUp.objects.get(kind=Kind.FEEDBACK_NUDGE)
    assert nudge.reminders.get().status == Reminder.Status.PENDING

    time_machine.move_to(at("2026-03-06 12:00"), tick=False)
    services.feedback_logged(feedback=FeedbackFactory(owner=person, rejection=rejection))

    nudge.refresh_from_db()
    assert nudge.status == FollowUp.Status.CANCELLED
    assert nudge.reminders.get().status == Reminder.Status.CANCELLED
    summary = outbox.dispatch_due_reminders(now=at("2026-03-10 09:00"))
    assert summary.sent == 0


def test_it_leaves_other_followups_alone(person, dana, time_machine):
    time_machine.move_to(at("2026-03-02 10:30"), tick=False)
    rejection = RejectionFactory(owner=person, application__company=dana.company, contact=dana)
    services.sync_rejection(rejection=rejection)
    services.feedback_logged(feedback=FeedbackFactory(owner=person, rejection=rejection))
    assert set(FollowUp.objects.values_list("status", flat=True)) == {FollowUp.Status.PENDING}
