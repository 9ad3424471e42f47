"""Notes are private: whatever a person writes in a note never reaches a draft, in any kind of
follow-up, on the page, in the reminder email or in the "Open in my email app" link."""

import datetime as dt
from urllib.parse import unquote

import pytest
import time_machine

from followups import emails
from followups.drafts import draft_for, with_draft_data
from followups.models import FollowUp, Reminder
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FeedbackFactory,
    FollowUpFactory,
    ImprovementGoalFactory,
    InterviewFactory,
    RejectionFactory,
    UserFactory,
)

NOW = dt.datetime(2025, 3, 12, 9, 0, tzinfo=dt.UTC)

# What people write in notes: remarks about the interviewer in the third person, criticism of
# the company, a phone number, worries. None of it may leave the app.
HOSTILE_NOTES = {
    "interview": "She seemed bored and kept checking Slack. Their codebase is a mess.",
    "application": "Lowball salary, recruiter was pushy. Call Mo back on +49 170 5551234.",
    "contact": "Dana ghosted two other candidates I know. Private cell +1 415 555 0199.",
    "company": "Glassdoor says the CTO is toxic; layoffs rumoured for April.",
}
FRAGMENTS = [
    "seemed bored",
    "Slack",
    "codebase is a mess",
    "Lowball",
    "pushy",
    "5551234",
    "ghosted",
    "555 0199",
    "toxic",
    "layoffs",
]


@pytest.fixture
def world(db):
    with time_machine.travel(NOW, tick=False):
        sam = UserFactory(username="sam")
        sam.profile.full_name = "Sam Rivera"
        sam.profile.save()
        rejection = RejectionFactory(
            owner=sam,
            application__company__name="Acme",
            application__company__notes=HOSTILE_NOTES["company"],
            application__role_title="Data Engineer",
            application__notes=HOSTILE_NOTES["application"],
        )
        application = rejection.application
        dana = ContactFactory(
            owner=sam,
            company=application.company,
            name="Dana Whitfield",
            email="dana@acme.example",
            linkedin_url="https://www.linkedin.com/in/dana",
            notes=HOSTILE_NOTES["contact"],
        )
        rejection.contact = dana
        rejection.save()
        interview = InterviewFactory(
            owner=sam,
            application=application,
            notes=HOSTILE_NOTES["interview"],
            detail_to_mention="your plan to move the pipeline to Dagster",
        )
        interview.interviewers.add(dana)
        feedback = FeedbackFactory(owner=sam, rejection=rejection)
        ImprovementGoalFactory(
            owner=sam, feedback=feedback, what="Ship a Dagster demo", completed_on=NOW.date()
        )
        new_application = ApplicationFactory(
            owner=sam,
            company=application.company,
            role_title="Senior Data Engineer",
            notes=HOSTILE_NOTES["application"],
        )
    return sam, rejection, interview, dana, new_application


def followup_of(world, kind: str) -> FollowUp:
    sam, rejection, interview, dana, new_application = world
    links = {
        "owner": sam,
        "company": rejection.application.company,
        "application": rejection.application,
        "rejection": rejection,
        "contact": dana,
    }
    if kind == FollowUp.Kind.INTERVIEW_THANKS:
        links.update(rejection=None, interview=interview)
    if kind == FollowUp.Kind.RECRUITER_NOTE:
        links.update(application=new_application)
    row = FollowUpFactory(kind=kind, due_at=NOW, deadline_at=NOW + dt.timedelta(days=2), **links)
    return with_draft_data(FollowUp.objects.filter(pk=row.pk)).get()


def assert_private(text: str) -> None:
    leaked = [fragment for fragment in FRAGMENTS if fragment.lower() in text.lower()]
    assert leaked == [], f"notes leaked into a message: {leaked}"


@pytest.mark.parametrize("kind", FollowUp.Kind.values)
def test_no_note_reaches_the_draft_its_email_link_or_the_reminder(world, kind, client_for):
    sam = world[0]
    followup = followup_of(world, kind)

    with time_machine.travel(NOW, tick=False):
        draft = draft_for(followup)
        page = client_for(sam).get(followup.get_absolute_url()).content.decode()
        reminder = Reminder.objects.create(
            owner=sam, followup=followup, send_at=NOW, next_attempt_at=NOW
        )
        message = emails.reminder_message(reminder, profile=sam.profile)

    assert draft.body.strip()
    assert_private(draft.subject)
    assert_private(draft.body)
    assert_private(unquote(draft.mailto))
    # The page shows the draft, but never the notes beside it.
    assert_private(page)
    assert_private(message.subject)
    assert_private(message.body)
    assert_private(message.alternatives[0][0])


def test_the_detail_written_for_the_thank_you_is_used_as_written(world):
    body = draft_for(followup_of(world, FollowUp.Kind.INTERVIEW_THANKS)).body

    assert (
        "I especially enjoyed our conversation about your plan to move the pipeline to Dagster."
        in body
    )
