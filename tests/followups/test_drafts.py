"""Drafted messages for every follow-up kind, built from what the person recorded."""

import datetime as dt
from urllib.parse import quote, unquote

import pytest
import time_machine
from django.utils import timezone

from applications.models import Feedback, Rejection
from followups import drafts, emails, outbox, rules
from followups.drafts import draft_for, load_completed_goals, with_draft_data
from followups.models import FollowUp, Reminder
from followups.tone import LINKEDIN_CHAR_LIMIT, check_tone
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

BERLIN = dt.timezone(dt.timedelta(hours=1))


@pytest.fixture(autouse=True)
def _pinned_time():
    with time_machine.travel(dt.datetime(2025, 3, 12, 10, 0, tzinfo=BERLIN), tick=False):
        yield


@pytest.fixture
def person(db):
    user = UserFactory(username="sam")
    user.profile.full_name = "Sam Rivera"
    user.profile.signature = "sam@example.com\n+49 30 1234567"
    user.profile.save()
    return user


@pytest.fixture
def story(person):
    """Sam interviewed at Acme with Dana, who sent the rejection."""
    rejection = RejectionFactory(
        owner=person,
        application__company__name="Acme",
        application__role_title="Backend Engineer",
        stage_reached=Rejection.Stage.INTERVIEW,
    )
    application = rejection.application
    dana = ContactFactory(
        owner=person,
        company=application.company,
        name="Dana Whitfield",
        email="dana@acme.example",
        linkedin_url="https://www.linkedin.com/in/dana-whitfield",
    )
    rejection.contact = dana
    rejection.save()
    interview = InterviewFactory(
        owner=person,
        application=application,
        detail_to_mention="the billing platform migration",
        notes="Talked about the billing platform migration. Felt a bit nervous at the start.",
        looking_for="Someone who has run Postgres at scale.",
    )
    interview.interviewers.add(dana)
    return rejection, interview, dana


def followup(story, kind, **kwargs) -> FollowUp:
    rejection, interview, dana = story
    defaults = {
        "owner": rejection.owner,
        "company": rejection.application.company,
        "application": rejection.application,
        "rejection": rejection,
        "contact": dana,
    }
    if kind == FollowUp.Kind.INTERVIEW_THANKS:
        defaults.update(rejection=None, interview=interview)
    defaults.update(kwargs)
    row = FollowUpFactory(kind=kind, **defaults)
    return with_draft_data(FollowUp.objects.filter(pk=row.pk)).get()


def recruiter_followup(story, **kwargs) -> FollowUp:
    rejection, _, _ = story
    new = ApplicationFactory(
        owner=rejection.owner, company=rejection.application.company, role_title="Staff Engineer"
    )
    return followup(story, FollowUp.Kind.RECRUITER_NOTE, application=new, **kwargs)


# --- the thank-you after a rejection --------------------------------------------------------


def test_it_drafts_the_rejection_thank_you_from_what_was_recorded(story):
    draft = draft_for(followup(story, FollowUp.Kind.REJECTION_THANKS))

    assert draft.to == "dana@acme.example"
    assert draft.subject == "Thank you for the update on the Backend Engineer role"
    assert draft.body.startswith("Dear Dana,\n\nThank you for letting me know")
    assert "the Backend Engineer role at Acme" in draft.body
    assert "I especially enjoyed our conversation about the billing platform migration." in (
        draft.body
    )
    assert "grateful for any feedback on my interviews" in draft.body
    assert "would love to be considered for future openings" in draft.body
    assert draft.body.endswith("Best regards,\nSam Rivera\nsam@example.com\n+49 30 1234567\n")


def test_it_never_repeats_a_note_back_to_the_employer(story):
    _, interview, _ = story
    interview.notes = "Discussed why my answer on caching was weak.\nInterviewer seemed tired."
    interview.detail_to_mention = ""
    interview.save()

    body = draft_for(followup(story, FollowUp.Kind.REJECTION_THANKS)).body

    assert "weak" not in body and "tired" not in body and "caching" not in body
    # With no detail written for the message, no detail sentence, and it still reads well.
    assert "especially enjoyed" not in body
    assert "Thank you for letting me know" in body and "grateful for any feedback" in body


def test_it_leaves_out_the_feedback_request_once_feedback_arrived(story):
    rejection, _, _ = story
    FeedbackFactory(owner=rejection.owner, rejection=rejection)

    body = draft_for(followup(story, FollowUp.Kind.REJECTION_THANKS)).body

    assert "feedback" not in body
    assert "Thank you" in body


def test_it_reads_naturally_when_nothing_but_the_company_was_recorded(person):
    rejection = RejectionFactory(
        owner=person,
        application__company__name="Globex",
        application__role_title="Data Analyst",
        stage_reached=Rejection.Stage.APPLICATION,
    )
    row = FollowUpFactory(
        owner=person,
        kind=FollowUp.Kind.REJECTION_THANKS,
        company=rejection.application.company,
        rejection=rejection,
    )

    draft = draft_for(row)

    assert draft.body.startswith("Hello,\n\nThank you")
    assert "considering my application" in draft.body
    # A CV-screen "no": two short lines, no feedback request unless the person adds one.
    assert "feedback" not in draft.body
    assert "conversation" not in draft.body and "looking for" not in draft.body
    assert "None" not in draft.body and "None" not in draft.subject
    assert draft.to == ""
    assert draft.tone().ready


def test_it_signs_with_the_account_name_when_the_profile_has_none(db):
    user = UserFactory(username="kim", first_name="Kim", last_name="Lee")
    user.profile.full_name = ""
    user.profile.signature = ""
    user.profile.save()
    row = FollowUpFactory(owner=user, company__owner=user, kind=FollowUp.Kind.CHECK_IN)

    assert draft_for(row).body.endswith("Best regards,\nKim Lee\n")


def test_it_does_not_sign_twice_when_the_signature_starts_with_the_name(story, person):
    person.profile.signature = "Sam Rivera\nsam@example.com"
    person.profile.save()

    body = draft_for(followup(story, FollowUp.Kind.CHECK_IN)).body

    assert body.endswith("Best regards,\nSam Rivera\nsam@example.com\n")


def test_it_addresses_a_titled_contact_by_title_and_surname():
    draft = drafts.check_in(contact_name="Dr. Ada Okafor", company="Initech")
    assert draft.body.startswith("Dear Dr. Okafor,")


# --- the other kinds ------------------------------------------------------------------------


def test_it_drafts_the_interview_thank_you_to_the_interviewer(story):
    draft = draft_for(followup(story, FollowUp.Kind.INTERVIEW_THANKS, contact=None))

    assert draft.to == "dana@acme.example"  # the interviewer, as no contact was set
    assert draft.subject == "Thank you for your time: Backend Engineer interview"
    assert "Thank you for taking the time to speak with me" in draft.body
    assert "billing platform migration" in draft.body
    assert "I look forward to hearing from you." in draft.body


def test_it_drafts_one_polite_feedback_follow_up(story):
    draft = draft_for(followup(story, FollowUp.Kind.FEEDBACK_NUDGE))

    assert draft.subject == "Following up on my feedback request"
    assert "follow up on my earlier note asking for feedback" in draft.body
    assert "please don't worry if it isn't possible" in draft.body


def test_it_asks_whether_anything_opened_up_after_ninety_days(story):
    draft = draft_for(followup(story, FollowUp.Kind.CHECK_IN))

    assert draft.subject == "Checking in: any openings at Acme?"
    assert "about three months" in draft.body
    assert "has anything opened up" in draft.body


def test_it_keeps_in_touch_naming_a_goal_completed_since(story):
    rejection, _, _ = story
    ImprovementGoalFactory(
        owner=rejection.owner,
        what="Give a talk at the local Python meetup",
        completed_on=timezone.localdate(),
    )

    draft = draft_for(followup(story, FollowUp.Kind.KEEP_IN_TOUCH))

    assert draft.subject == "Keeping in touch: Acme"
    assert "I have completed a goal I set myself: Give a talk at the local Python meetup." in (
        draft.body
    )


def test_it_drafts_a_linkedin_note_within_the_limit(story):
    draft = draft_for(followup(story, FollowUp.Kind.LINKEDIN))

    assert len(draft.body) <= LINKEDIN_CHAR_LIMIT
    assert draft.body.startswith("Hi Dana, thank you again")
    assert "billing platform migration" in draft.body
    assert draft.linkedin_url == "https://www.linkedin.com/in/dana-whitfield"
    assert draft.subject == "" and draft.mailto == ""


def test_it_keeps_the_linkedin_note_within_the_limit_with_very_long_names(person):
    # The longest values the models allow.
    rejection = RejectionFactory(
        owner=person,
        application__company__name="Internationale Gesellschaft " + "C" * 92,
        application__role_title="Principal " + "Distributed-Systems " * 7 + "Engineer",
    )
    contact = ContactFactory(
        owner=person, company=rejection.application.company, name="Maximiliane" + "x" * 109
    )
    InterviewFactory(
        owner=person,
        application=rejection.application,
        detail_to_mention=("the very long migration of everything " * 20)[:200],
    )
    person.profile.full_name = "Alexandrina " + "Y" * 108
    person.profile.save()
    row = FollowUpFactory(
        owner=person,
        kind=FollowUp.Kind.LINKEDIN,
        company=rejection.application.company,
        rejection=rejection,
        contact=contact,
    )

    draft = draft_for(row)

    assert len(draft.body) <= LINKEDIN_CHAR_LIMIT
    assert "thank you" in draft.body
    assert check_tone(draft.body, kind=FollowUp.Kind.LINKEDIN).ready


@pytest.mark.parametrize("length", [0, 1, 50, 150, 300, 2000])
def test_it_never_exceeds_the_linkedin_limit_whatever_the_input(length):
    draft = drafts.linkedin_note(
        contact_name="N" * length,
        company="C" * length,
        role_title="R " * length,
        detail="topic " * length,
        sender_name="S" * length,
    )
    assert len(draft.body) <= LINKEDIN_CHAR_LIMIT
    assert draft.body.startswith(("Hi ", "Hello,"))


# --- the recruiter note on reapplying -------------------------------------------------------


def test_it_names_completed_goals_in_the_recruiter_note(story):
    rejection, _, _ = story
    owner = rejection.owner
    feedback = FeedbackFactory(
        owner=owner,
        rejection=rejection,
        themes=[Feedback.Theme.EXPERIENCE_FIT, Feedback.Theme.COMMUNICATION],
    )
    ImprovementGoalFactory(
        owner=owner,
        feedback=feedback,
        what="Tailor my résumé to each role",
        completed_on=timezone.localdate(),
    )
    ImprovementGoalFactory(
        owner=owner,
        feedback=feedback,
        what="Practise presenting in ten minutes",
        completed_on=timezone.localdate(),
    )
    ImprovementGoalFactory(owner=owner, feedback=feedback, what="Run three mock interviews")

    draft = draft_for(recruiter_followup(story))

    assert draft.to == "dana@acme.example"
    assert draft.subject == "Applying again: Staff Engineer at Acme"
    body = draft.body
    # How we know each other, what I did since, why this role, how I acted on the feedback.
    assert "We spoke in March 2025 when I interviewed for the Backend Engineer role at Acme." in (
        body
    )
    assert "I have just applied for the Staff Engineer role" in body
    # No "why this role" written: nothing pretends there is a reason.
    assert "wanted you to hear it from me directly." in body
    assert "still a place I would love" not in body
    # The feedback as what was done, never the diagnosis.
    assert (
        "Your feedback last time was really helpful. Since then I have shaped how I present my "
        "experience around each role and practised explaining my work clearly and concisely."
    ) in body
    assert "experience fit" not in body.lower() and "communication" not in body.lower()
    assert "I also set myself concrete goals and have completed them:\n" in body
    assert "- Tailor my résumé to each role\n" in body
    assert "- Practise presenting in ten minutes\n" in body
    assert "mock interviews" not in body  # not completed yet


def test_the_recruiter_note_names_the_month_of_the_interview_in_the_persons_zone(story):
    """GIVEN an interview on 30 November 23:30 in Berlin (22:30 UTC) and the rejection in December
    THEN the note says "We spoke in November 2024", not the rejection's month."""
    rejection, interview, _ = story
    interview.when = dt.datetime(2024, 11, 30, 22, 30, tzinfo=dt.UTC)
    interview.save()
    rejection.received_at = dt.datetime(2024, 12, 9, 10, 0, tzinfo=dt.UTC)
    rejection.save()
    rejection.owner.profile.time_zone = "Europe/Berlin"
    rejection.owner.profile.save()

    body = draft_for(recruiter_followup(story)).body

    assert "We spoke in November 2024 when I interviewed" in body


def test_the_recruiter_note_says_why_this_role_in_the_persons_words(story):
    rejection, _, _ = story
    feedback = FeedbackFactory(
        owner=rejection.owner, rejection=rejection, themes=[Feedback.Theme.NERVES]
    )
    ImprovementGoalFactory(
        owner=rejection.owner,
        feedback=feedback,
        what="Give three practice talks at meet-ups",
        completed_on=timezone.localdate(),
    )
    row = recruiter_followup(story)
    row.application.why_this_role = "It is the data platform work I hoped to do at Acme"
    row.application.save()

    body = draft_for(row).body

    assert "directly. It is the data platform work I hoped to do at Acme." in body
    assert "Since then I have practised presenting my work." in body
    assert "nerves" not in body.lower()
    assert "I also set myself a concrete goal and have completed it:\n" in body


def test_the_recruiter_note_follows_the_contacts_role(story):
    _, _, dana = story
    dana.role = dana.Role.HIRING_MANAGER
    dana.save()

    row = recruiter_followup(story)

    assert "A note to the hiring manager you already know" in row.why_text


def test_it_finds_the_earlier_rejection_when_the_row_does_not_name_it(story):
    draft = draft_for(recruiter_followup(story, rejection=None, contact=None))

    assert draft.body.startswith("Dear Dana,")  # who sent the earlier rejection
    assert "the Backend Engineer role at Acme" in draft.body
    assert "Since we spoke, I have kept developing my skills." in draft.body


def test_it_writes_the_recruiter_note_without_feedback_or_goals():
    draft = drafts.recruiter_note(company="Acme")

    assert draft.body.startswith("Hello,\n\nWe spoke when I interviewed for the role at Acme.")
    assert "I have just applied for a new role at Acme" in draft.body
    assert "None" not in draft.body
    assert draft.tone().ready


# --- every draft, the mailto link, the queries ----------------------------------------------


def test_it_maps_every_follow_up_kind_to_a_draft():
    assert set(drafts.DRAFTS) == set(FollowUp.Kind.values) == set(rules.RULES)


@pytest.mark.parametrize("kind", FollowUp.Kind.values)
def test_it_drafts_every_kind_ready_to_send(story, kind):
    rejection, _, _ = story
    feedback = FeedbackFactory(owner=rejection.owner, rejection=rejection)
    ImprovementGoalFactory(
        owner=rejection.owner, feedback=feedback, completed_on=timezone.localdate()
    )
    row = (
        recruiter_followup(story) if kind == FollowUp.Kind.RECRUITER_NOTE else followup(story, kind)
    )

    draft = draft_for(row)

    assert draft.kind == kind
    assert draft.body.strip() and "None" not in draft.body
    report = check_tone(draft.body, kind=kind)
    assert report.ready, report.flags
    assert check_tone(f"{draft.subject}\n{draft.body}", kind=kind).ready


@pytest.mark.parametrize("kind", FollowUp.Kind.values)
def test_it_drafts_every_kind_ready_to_send_with_nothing_recorded(db, kind):
    row = FollowUpFactory(kind=kind, company__name="Initech")

    draft = draft_for(row)

    assert "None" not in draft.body and "None" not in draft.subject
    assert draft.tone().ready, draft.tone().flags


def test_it_drafts_the_recruiter_note_from_names_alone_ready_to_send():
    draft = drafts.recruiter_note(
        contact_name="Dana Whitfield", company="Acme", role_title="Analyst"
    )
    assert check_tone(draft.body).ready


def test_it_builds_a_mailto_link_with_subject_and_body():
    draft = drafts.check_in(contact_name="Dana", company="Acme & Co", to="dana@acme.example")

    link = draft.mailto

    assert link.startswith("mailto:dana@acme.example?subject=Checking%20in%3A%20any%20")
    assert "Acme%20%26%20Co" in link and "+" not in link
    assert "%0D%0A%0D%0A" in link  # paragraphs as CRLF (RFC 6068)
    body = link.split("&body=", 1)[1]
    assert unquote(body).replace("\r\n", "\n") == draft.body


@pytest.mark.parametrize(
    "text",
    [
        "Thank you, Dana!",
        "Zoë & Łukasz at Société Générale: 100% (really) ~ #1 / café? +49 = ok; 'quoted' \"too\"",
        "Emoji 🙂 and CJK 東京, tabs\tand\r\nlines\r\n",
        "".join(chr(c) for c in range(32, 127)),
    ],
)
def test_the_mailto_link_quotes_every_character_as_urllib_would(text):
    """The email app receives exactly the text: the draft's quoting (by a table) writes what
    `urllib.parse.quote(text, safe="")` writes, and reads back as the text."""
    draft = drafts.check_in(contact_name="Dana", company=text, to="dana@acme.example")

    subject = draft.mailto.split("?subject=", 1)[1].split("&body=", 1)[0]

    as_sent = draft.subject.replace("\r\n", "\n").replace("\n", "\r\n")  # CRLF, RFC 6068
    assert subject == quote(as_sent, safe="")
    assert unquote(subject) == as_sent


def test_it_drafts_from_prefetched_rows_without_further_queries(story, django_assert_num_queries):
    rejection, _, _ = story
    for kind in FollowUp.Kind.values:
        if kind == FollowUp.Kind.RECRUITER_NOTE:
            recruiter_followup(story)
        else:
            followup(story, kind)
    rows = list(with_draft_data(FollowUp.objects.filter(owner=rejection.owner)))
    goals = load_completed_goals(rejection.owner)

    with django_assert_num_queries(0):
        for row in rows:
            draft_for(row, completed_goals=goals)

    # Without the goals passed in, the notes that name goals read them once each.
    note = next(r for r in rows if r.kind == FollowUp.Kind.RECRUITER_NOTE)
    with django_assert_num_queries(1):
        draft_for(note)


def test_the_engine_builds_every_kinds_email_from_its_batch_load_without_further_queries(
    story, django_assert_num_queries
):
    """The dispatcher loads a batch without the columns emails never read (notes, timestamps):
    none of them is needed after all, or this would query once per row."""
    rejection, _, _ = story
    for kind in FollowUp.Kind.values:
        if kind == FollowUp.Kind.RECRUITER_NOTE:
            recruiter_followup(story)
        else:
            followup(story, kind)
    pks = FollowUp.objects.filter(owner=rejection.owner).values_list("pk", flat=True)
    rows = outbox.load_for_emails(list(pks))
    goals = load_completed_goals(rejection.owner)
    with django_assert_num_queries(0):
        for row in rows.values():
            reminder = Reminder(followup=row, owner=row.owner, message_id="<r-1@x>")
            emails.reminder_message(
                reminder, profile=row.owner.profile, completed_goals=goals, now=row.due_at
            )
    assert len(rows) == len(FollowUp.Kind.values)


def test_the_engines_load_gives_each_draft_what_the_orms_prefetch_gives_it(story):
    """The email engine (and the dashboard) load the drafts' related rows by queries written
    once (drafts.attach_draft_related): each follow-up sees the same interviews, feedback and
    interviewers, so its draft reads the same, word for word."""
    rejection, _, _ = story
    FeedbackFactory(owner=rejection.owner, rejection=rejection)
    for kind in FollowUp.Kind.values:
        if kind == FollowUp.Kind.RECRUITER_NOTE:
            recruiter_followup(story)
        else:
            followup(story, kind)
    goals = load_completed_goals(rejection.owner)
    by_orm = {f.pk: f for f in with_draft_data(FollowUp.objects.filter(owner=rejection.owner))}

    by_engine = outbox.load_for_emails(list(by_orm))

    def related(row):  # what each row's related managers read without asking the database
        return {
            name: sorted(o.pk for o in owner._prefetched_objects_cache[name])
            for owner, name in (
                (row.application, "interviews"),
                (row.rejection and row.rejection.application, "interviews"),
                (row.rejection, "feedback"),
                (row.interview, "interviewers"),
            )
            if owner is not None
        }

    assert by_engine.keys() == by_orm.keys()
    for pk, row in by_orm.items():
        assert related(by_engine[pk]) == related(row)
        mine = draft_for(by_engine[pk], completed_goals=goals)
        theirs = draft_for(row, completed_goals=goals)
        assert (mine.subject, mine.body, mine.to) == (theirs.subject, theirs.body, theirs.to)
    assert any(related(row).get("feedback") for row in by_orm.values())
    assert any(related(row).get("interviewers") for row in by_orm.values())


@pytest.mark.parametrize("kind", FollowUp.Kind.values)
def test_a_person_without_a_name_gets_no_empty_sign_off_and_no_username(db, kind):
    kenji = UserFactory(username="kenji", first_name="", last_name="")
    kenji.profile.full_name = ""
    kenji.profile.signature = ""
    kenji.profile.save()
    rejection = RejectionFactory(owner=kenji, application__company__name="Acme")
    row = FollowUpFactory(
        owner=kenji,
        kind=kind,
        company=rejection.application.company,
        application=rejection.application,
        rejection=rejection,
    )

    body = draft_for(with_draft_data(FollowUp.objects.filter(pk=row.pk)).get()).body

    assert "kenji" not in body.lower()
    assert not body.rstrip().endswith(("regards,", "Best,", "Thanks,"))
    assert body.rstrip().endswith((".", "!", "?"))
