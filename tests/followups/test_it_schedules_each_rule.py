"""Every rule of the table: when its follow-up is due and its deadline, as the person sees them.

Sam lives in Berlin (reminders 08:00-20:00). Times are read on Sam's wall clock.
"""

import pytest

from applications import reapplying
from applications.models import Application
from followups import rules, services
from followups.models import FollowUp
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FeedbackFactory,
    InterviewFactory,
    RejectionFactory,
)
from tests.followups.conftest import as_wall, at

Kind = FollowUp.Kind


def only(owner, kind) -> FollowUp:
    return FollowUp.objects.get(owner=owner, kind=kind)


@pytest.fixture
def rejection(person, dana, time_machine):
    time_machine.move_to(at("2026-03-02 10:30"), tick=False)  # a Monday
    rejection = RejectionFactory(
        owner=person,
        application__company=dana.company,
        application__role_title="Backend Engineer",
        contact=dana,
        received_at=at("2026-03-02 10:30"),
    )
    services.sync_rejection(rejection=rejection)
    return rejection


def test_it_plans_the_rejection_thank_you_a_day_later_with_a_48_hour_deadline(person, rejection):
    """GIVEN a rejection received Monday 10:30
    WHEN it is logged
    THEN the thank-you is due Tuesday 10:30 (24 h: a cool-off) and must go by Wednesday 10:30."""
    thanks = only(person, Kind.REJECTION_THANKS)
    assert as_wall(thanks.due_at) == "2026-03-03 10:30"
    assert as_wall(thanks.deadline_at) == "2026-03-04 10:30"
    assert thanks.contact.name == "Dana Whitfield"
    assert thanks.application == rejection.application


def test_it_moves_the_thank_you_into_the_persons_hours(person, dana, time_machine):
    """GIVEN a rejection email read at 22:15
    WHEN it is logged
    THEN the thank-you is due at 08:00 two days later (22:15 is after the 20:00 end of
    Sam's hours), and the 48 h deadline, 22:15 on Wednesday, lands at the end of Wednesday's
    hours: 20:00."""
    time_machine.move_to(at("2026-03-02 22:15"), tick=False)
    rejection = RejectionFactory(
        owner=person, application__company=dana.company, received_at=at("2026-03-02 22:15")
    )
    services.sync_rejection(rejection=rejection)
    thanks = only(person, Kind.REJECTION_THANKS)
    assert as_wall(thanks.due_at) == "2026-03-04 08:00"
    assert as_wall(thanks.deadline_at) == "2026-03-04 20:00"


def test_it_plans_the_90_day_check_in_with_a_14_day_window(person, rejection):
    """GIVEN a rejection received 2 March 10:30
    THEN "has anything opened up?" is due 90 days later, 31 May 10:30, open for 14 days."""
    check_in = only(person, Kind.CHECK_IN)
    assert as_wall(check_in.due_at) == "2026-05-31 10:30"
    assert as_wall(check_in.deadline_at) == "2026-06-14 10:30"


def test_it_plans_the_interview_thank_you_a_few_hours_after(person, time_machine):
    """GIVEN an interview at 11:00
    THEN the thank-you is due at 14:00 and must go within 24 h, by 11:00 the next day."""
    time_machine.move_to(at("2026-03-02 12:00"), tick=False)
    interviewer = ContactFactory(owner=person, name="Lee Park")
    interview = InterviewFactory(
        owner=person, application__company=interviewer.company, when=at("2026-03-02 11:00")
    )
    interview.interviewers.add(interviewer)
    services.sync_interview(interview=interview)
    thanks = only(person, Kind.INTERVIEW_THANKS)
    assert as_wall(thanks.due_at) == "2026-03-02 14:00"
    assert as_wall(thanks.deadline_at) == "2026-03-03 11:00"
    assert thanks.contact == interviewer


def test_it_plans_one_feedback_nudge_a_week_after_asking(person, rejection, time_machine):
    """GIVEN the thank-you marked sent on Tuesday 09:00, asking for feedback
    THEN one polite nudge is due a week later, Tuesday 10 March 09:00, deadline two weeks
    after asking."""
    sent_at = at("2026-03-03 09:00")
    time_machine.move_to(sent_at, tick=False)
    outcome = services.mark_done(
        followup=only(person, Kind.REJECTION_THANKS), asked_for_feedback=True, done_at=sent_at
    )
    nudge = only(person, Kind.FEEDBACK_NUDGE)
    assert nudge in outcome.scheduled
    assert as_wall(nudge.due_at) == "2026-03-10 09:00"
    assert as_wall(nudge.deadline_at) == "2026-03-17 09:00"


def test_it_does_not_nudge_when_feedback_was_not_asked_for(person, rejection):
    services.mark_done(
        followup=only(person, Kind.REJECTION_THANKS),
        asked_for_feedback=False,
        done_at=at("2026-03-03 09:00"),
    )
    assert not FollowUp.objects.filter(kind=Kind.FEEDBACK_NUDGE).exists()


def test_it_does_not_nudge_when_the_feedback_already_came(person, rejection):
    FeedbackFactory(owner=person, rejection=rejection)
    services.mark_done(followup=only(person, Kind.REJECTION_THANKS), done_at=at("2026-03-03 09:00"))
    assert not FollowUp.objects.filter(kind=Kind.FEEDBACK_NUDGE).exists()


def test_it_suggests_linkedin_right_away_when_the_contact_is_on_linkedin(
    person, rejection, dana, time_machine
):
    """GIVEN Dana has a LinkedIn URL
    WHEN the thank-you is marked sent at 09:00
    THEN connecting on LinkedIn is due right away, within 7 days."""
    dana.linkedin_url = "https://www.linkedin.com/in/dana"
    dana.save()
    time_machine.move_to(at("2026-03-03 09:00"), tick=False)
    services.mark_done(followup=only(person, Kind.REJECTION_THANKS), done_at=at("2026-03-03 09:00"))
    linkedin = only(person, Kind.LINKEDIN)
    assert as_wall(linkedin.due_at) == "2026-03-03 09:00"
    assert as_wall(linkedin.deadline_at) == "2026-03-10 09:00"
    assert linkedin.contact == dana


def test_it_does_not_suggest_linkedin_without_a_profile_url(person, rejection):
    services.mark_done(followup=only(person, Kind.REJECTION_THANKS), done_at=at("2026-03-03 09:00"))
    assert not FollowUp.objects.filter(kind=Kind.LINKEDIN).exists()


def test_it_starts_keeping_in_touch_after_the_check_in(person, rejection, time_machine):
    """GIVEN the 90-day check-in marked sent on 1 June 10:00
    THEN the next check-in is due 90 days later (Sam's cadence), 30 August, 14 days open."""
    time_machine.move_to(at("2026-06-01 10:00"), tick=False)
    services.mark_done(followup=only(person, Kind.CHECK_IN), done_at=at("2026-06-01 10:00"))
    keep = only(person, Kind.KEEP_IN_TOUCH)
    assert keep.sequence == 1
    assert as_wall(keep.due_at) == "2026-08-30 10:00"
    assert as_wall(keep.deadline_at) == "2026-09-13 10:00"


def test_it_uses_the_persons_cadence_within_bounds(person, rejection, time_machine):
    person.profile.keep_in_touch_days = 120
    person.profile.save()
    time_machine.move_to(at("2026-06-01 10:00"), tick=False)
    services.mark_done(followup=only(person, Kind.CHECK_IN), done_at=at("2026-06-01 10:00"))
    assert as_wall(only(person, Kind.KEEP_IN_TOUCH).due_at) == "2026-09-29 10:00"
    assert rules.SETTING_BOUNDS["keep_in_touch_days"] == (60, 180)


def test_it_plans_the_recruiter_note_when_reapplying(person, rejection, dana, time_machine):
    """GIVEN Acme rejected Sam in March
    WHEN Sam applies to Acme again on 15 July 11:00
    THEN a note to Dana, the old recruiter, is due right away, within 3 days."""
    time_machine.move_to(at("2026-07-15 11:00"), tick=False)
    application = ApplicationFactory(
        owner=person, company=dana.company, role_title="Staff Engineer"
    )
    services.sync_application(application=application)
    note = only(person, Kind.RECRUITER_NOTE)
    assert as_wall(note.due_at) == "2026-07-15 11:00"
    assert as_wall(note.deadline_at) == "2026-07-18 11:00"
    assert note.contact == dana
    assert note.application == application


def test_it_plans_no_recruiter_note_for_a_company_that_never_said_no(person, time_machine):
    time_machine.move_to(at("2026-07-15 11:00"), tick=False)
    services.sync_application(application=ApplicationFactory(owner=person))
    assert not FollowUp.objects.filter(kind=Kind.RECRUITER_NOTE).exists()


def test_every_rule_names_its_source_and_why(person):
    for rule in rules.RULES.values():
        assert rule.source and rule.why and rule.action, rule.kind
    assert set(rules.RULES) == set(Kind.values)
    assert rules.rule_for(Kind.FEEDBACK_NUDGE).cap == 1
    assert rules.rule_for(Kind.KEEP_IN_TOUCH).cap == 4
    assert reapplying.DONT_PUMMEL.applications == 3 and reapplying.DONT_PUMMEL.within_days == 30
    assert reapplying.REAPPLY_COOLDOWN.default_days == 90
    assert Application.Status.ACCEPTED  # "stops when hired there" reads this status


def test_it_plans_no_recruiter_note_for_an_application_logged_with_its_rejection(
    person, rejection, dana, time_machine
):
    time_machine.move_to(at("2026-07-15 11:00"), tick=False)
    rejected = ApplicationFactory(
        owner=person, company=dana.company, status=Application.Status.REJECTED
    )
    services.sync_application(application=rejected)
    assert not FollowUp.objects.filter(kind=Kind.RECRUITER_NOTE).exists()


def test_it_plans_no_recruiter_note_for_an_application_older_than_the_rejection(
    person, dana, time_machine
):
    """GIVEN Sam applied to Acme for two roles in February
    WHEN one is rejected in March and the other later moves to interviewing
    THEN no "applying again" note: that application was not a new try."""
    time_machine.move_to(at("2026-02-01 10:00"), tick=False)
    older = ApplicationFactory(owner=person, company=dana.company)
    time_machine.move_to(at("2026-03-02 10:30"), tick=False)
    services.sync_rejection(
        rejection=RejectionFactory(owner=person, application__company=dana.company, contact=dana)
    )
    older.status = Application.Status.INTERVIEWING
    older.save()
    services.sync_application(application=older)
    assert not FollowUp.objects.filter(kind=Kind.RECRUITER_NOTE).exists()
