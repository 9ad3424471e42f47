import datetime as dt

import pytest
from django.utils import timezone

from applications.models import Interview
from followups.models import FollowUp
from followups.services import mark_done, sync_interview
from tests.factories import ContactFactory, InterviewFactory

pytestmark = pytest.mark.django_db


def test_it_keeps_the_linkedin_note_due_when_a_second_thank_you_goes_to_the_same_person(
    user, time_machine
):
    """GIVEN two interviews with Dana, who is on LinkedIn, and the first thank-you sent
    (which starts the LinkedIn connection note, due right away)
    WHEN the second thank-you to Dana is marked sent two days later
    THEN the LinkedIn note stays due when it was: it is not pushed back."""
    base = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    dana = ContactFactory(owner=user, linkedin_url="https://www.linkedin.com/in/dana")
    interviews: list[Interview] = []
    for days_ago in (3, 2):
        # Each interview is logged an hour after it took place, in time for its thank-you.
        when = base - dt.timedelta(days=days_ago)
        time_machine.move_to(when + dt.timedelta(hours=1), tick=False)
        interview = InterviewFactory(owner=user, application__company=dana.company, when=when)
        interview.interviewers.add(dana)
        sync_interview(interview=interview)
        interviews.append(interview)
    time_machine.move_to(base, tick=False)
    first, second = (
        FollowUp.objects.get(interview=interview, kind=FollowUp.Kind.INTERVIEW_THANKS)
        for interview in interviews
    )
    mark_done(followup=first, sent_text="Thanks!", done_at=timezone.now())
    linkedin = FollowUp.objects.get(owner=user, kind=FollowUp.Kind.LINKEDIN)
    due_before = linkedin.due_at

    time_machine.move_to(dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC), tick=False)
    mark_done(followup=second, sent_text="Thanks again!", done_at=timezone.now())

    linkedin.refresh_from_db()
    assert linkedin.status == FollowUp.Status.PENDING
    assert linkedin.due_at == due_before
