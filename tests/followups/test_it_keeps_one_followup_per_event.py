"""Re-saving an event never makes a second follow-up; editing its time moves pending ones."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from followups import services
from followups.models import FollowUp, Reminder
from tests.factories import InterviewFactory, RejectionFactory
from tests.followups.conftest import as_wall, at

Kind = FollowUp.Kind


@pytest.fixture
def rejection(person, dana, time_machine):
    time_machine.move_to(at("2026-03-02 10:30"), tick=False)
    rejection = RejectionFactory(
        owner=person,
        application__company=dana.company,
        contact=dana,
        received_at=at("2026-03-02 10:30"),
    )
    services.sync_rejection(rejection=rejection)
    return rejection


def test_it_creates_nothing_new_when_a_rejection_is_saved_again(person, rejection):
    services.sync_rejection(rejection=rejection)
    services.sync_rejection(rejection=rejection)
    kinds = sorted(FollowUp.objects.filter(owner=person).values_list("kind", flat=True))
    assert kinds == [Kind.CHECK_IN, Kind.REJECTION_THANKS]
    assert Reminder.objects.filter(owner=person).count() == 2


def test_the_database_refuses_a_second_row_with_the_same_key(person, rejection):
    """The guarantee is a constraint, not a check in Python."""
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(
            owner=person,
            kind=thanks.kind,
            key=thanks.key,
            company=thanks.company,
            due_at=thanks.due_at,
            deadline_at=thanks.deadline_at,
        )


def test_the_database_refuses_two_reminders_in_flight_for_one_followup(person, rejection):
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            followup=thanks, owner=person, send_at=thanks.due_at, next_attempt_at=thanks.due_at
        )


def test_it_moves_pending_followups_when_the_rejection_date_is_edited(person, rejection):
    """GIVEN a rejection logged as received 2 March 10:30
    WHEN the person corrects it to 5 March 14:00
    THEN the thank-you and the check-in move with it, and so do their reminders."""
    rejection.received_at = at("2026-03-05 14:00")
    rejection.save()
    services.sync_rejection(rejection=rejection)
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    assert as_wall(thanks.due_at) == "2026-03-06 14:00"
    assert as_wall(thanks.deadline_at) == "2026-03-07 14:00"
    assert as_wall(FollowUp.objects.get(kind=Kind.CHECK_IN).due_at) == "2026-06-03 14:00"
    reminder = thanks.reminders.get()
    assert reminder.status == Reminder.Status.PENDING
    assert as_wall(reminder.send_at) == "2026-03-06 14:00"


def test_it_leaves_a_done_followup_alone_when_the_date_is_edited(person, rejection):
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    services.mark_done(followup=thanks, done_at=at("2026-03-03 09:00"))
    rejection.received_at = at("2026-03-05 14:00")
    rejection.save()
    services.sync_rejection(rejection=rejection)
    thanks.refresh_from_db()
    assert thanks.status == FollowUp.Status.DONE
    assert as_wall(thanks.due_at) == "2026-03-03 10:30"


def test_a_snooze_survives_saving_the_rejection_again(person, rejection):
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    services.snooze(followup=thanks, until=at("2026-03-03 16:00"))
    services.sync_rejection(rejection=rejection)  # e.g. the reason was edited
    thanks.refresh_from_db()
    assert as_wall(thanks.due_at) == "2026-03-03 16:00"


def test_it_moves_the_interview_thank_you_when_the_interview_moves(person, time_machine):
    time_machine.move_to(at("2026-03-01 12:00"), tick=False)
    interview = InterviewFactory(owner=person, when=at("2026-03-02 11:00"))
    services.sync_interview(interview=interview)
    interview.when = at("2026-03-03 15:00")
    interview.save()
    services.sync_interview(interview=interview)
    thanks = FollowUp.objects.get(owner=person)
    assert as_wall(thanks.due_at) == "2026-03-03 18:00"


def test_deleting_the_application_removes_its_followups_and_reminders(person, rejection):
    rejection.application.delete()
    assert not FollowUp.objects.filter(owner=person).exists()
    assert not Reminder.objects.filter(owner=person).exists()


def test_marking_done_twice_changes_nothing_the_second_time(person, rejection):
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    first = services.mark_done(followup=thanks, done_at=at("2026-03-03 09:00"))
    second = services.mark_done(followup=thanks, done_at=at("2026-03-03 09:05"))
    assert first.changed and not second.changed
    thanks.refresh_from_db()
    assert as_wall(thanks.done_at) == "2026-03-03 09:00"
    assert FollowUp.objects.filter(kind=Kind.FEEDBACK_NUDGE).count() == 1


def test_marking_done_records_the_last_touch_with_the_contact(person, rejection, dana):
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    services.mark_done(
        followup=thanks, sent_text="Thank you, Dana!", done_at=at("2026-03-03 09:00")
    )
    dana.refresh_from_db()
    thanks.refresh_from_db()
    assert dana.last_touch_at == at("2026-03-03 09:00")
    assert thanks.sent_text == "Thank you, Dana!"
    assert thanks.reminders.get().status == Reminder.Status.CANCELLED


def test_a_snooze_past_the_deadline_keeps_the_window(person, rejection):
    """GIVEN the thank-you (due Tue 10:30, by Wed 10:30)
    WHEN snoozed until Friday 09:00
    THEN it is due Friday 09:00 and the 24-hour window follows: by Saturday 09:00."""
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    services.snooze(followup=thanks, until=at("2026-03-06 09:00"))
    thanks.refresh_from_db()
    assert as_wall(thanks.due_at) == "2026-03-06 09:00"
    assert thanks.deadline_at - thanks.due_at == dt.timedelta(hours=24)
