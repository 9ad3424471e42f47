"""A message fits what happened: the rejection's channel and stage, and whether there is anyone
to write to, decide which follow-ups are planned and what their drafts say."""

import datetime as dt

import pytest
import time_machine

from applications.models import Rejection
from followups import services
from followups.drafts import draft_for, with_draft_data
from followups.forms import DoneForm
from followups.models import FollowUp
from tests.factories import ContactFactory, RejectionFactory

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
Kind = FollowUp.Kind
Channel, Stage = Rejection.Channel, Rejection.Stage


def log(person, *, channel, stage, contact=True, reply_to="") -> Rejection:
    with time_machine.travel(NOW, tick=False):
        rejection = RejectionFactory(
            owner=person,
            application__company__name="Acme",
            application__role_title="Data Engineer",
            channel=channel,
            stage_reached=stage,
            received_at=NOW,
            reply_to=reply_to,
        )
        if contact:
            rejection.contact = ContactFactory(
                owner=person,
                company=rejection.application.company,
                name="Dana Whitfield",
                email="dana@acme.example",
            )
            rejection.save()
        services.sync_rejection(rejection=rejection)
    return rejection


def planned(person) -> set[str]:
    return set(FollowUp.objects.filter(owner=person).values_list("kind", flat=True))


def draft(person, kind):
    row = with_draft_data(FollowUp.objects.filter(owner=person, kind=kind)).get()
    return draft_for(row)


@pytest.mark.parametrize("stage", Stage.values)
@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.PHONE, Channel.PORTAL])
def test_a_decision_with_someone_to_thank_gets_the_thank_you(person, channel, stage):
    log(person, channel=channel, stage=stage)

    assert planned(person) == {Kind.REJECTION_THANKS, Kind.CHECK_IN}
    body = draft(person, Kind.REJECTION_THANKS).body
    assert "Thank you for" in body
    if stage == Stage.APPLICATION:
        # A CV-screen "no": two short lines, no feedback request, so no nudge will follow.
        assert "feedback" not in body
        assert len(body.split("\n\n")) <= 4  # greeting, thanks, the door, sign-off
    else:
        assert "grateful for any feedback" in body
    if channel == Channel.PHONE:
        assert "calling to let me know" in body
    if stage in (Stage.FINAL, Stage.OFFER):
        assert "over the interview rounds" in body


@pytest.mark.parametrize("stage", Stage.values)
@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.PHONE, Channel.PORTAL])
def test_nobody_to_address_plans_nothing_that_needs_a_person(person, channel, stage):
    log(person, channel=channel, stage=stage, contact=False)

    assert planned(person) == set()


def test_a_portal_with_a_reply_to_address_gets_the_thank_you_there(person):
    log(
        person,
        channel=Channel.PORTAL,
        stage=Stage.SCREENING,
        contact=False,
        reply_to="jobs@acme.example",
    )

    assert planned(person) == {Kind.REJECTION_THANKS, Kind.CHECK_IN}
    thanks = draft(person, Kind.REJECTION_THANKS)
    assert thanks.to == "jobs@acme.example"
    assert thanks.body.startswith("Hello,")


@pytest.mark.parametrize("stage", Stage.values)
def test_never_heard_back_gets_no_thank_you_for_a_decision(person, stage):
    log(person, channel=Channel.NEVER_HEARD, stage=stage)

    assert planned(person) == {Kind.CLOSE_THE_LOOP, Kind.CHECK_IN}
    body = draft(person, Kind.CLOSE_THE_LOOP).body
    assert "letting me know" not in body and "your decision" not in body
    assert "haven't heard back" in body
    assert "feedback" not in body


@pytest.mark.parametrize("stage", Stage.values)
def test_never_heard_back_with_nobody_to_write_to_plans_nothing(person, stage):
    log(person, channel=Channel.NEVER_HEARD, stage=stage, contact=False)

    assert planned(person) == set()


@pytest.mark.parametrize(
    ("stage", "nudge_follows"),
    [(Stage.APPLICATION, False), (Stage.SCREENING, True), (Stage.FINAL, True)],
)
def test_the_feedback_nudge_follows_only_a_request(person, stage, nudge_follows):
    log(person, channel=Channel.EMAIL, stage=stage)
    thanks = FollowUp.objects.get(owner=person, kind=Kind.REJECTION_THANKS)

    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        form = DoneForm(
            {"sent_text": "Thanks"} | ({} if not nudge_follows else {"asked_for_feedback": "on"}),
            followup=thanks,
        )
        # The form's own default: ticked from a recruiter screen on, not after a CV screen.
        assert form.fields["asked_for_feedback"].initial is nudge_follows
        assert form.is_valid(), form.errors
        services.mark_done(followup=thanks, **form.service_kwargs())

    assert FollowUp.objects.filter(owner=person, kind=Kind.FEEDBACK_NUDGE).exists() is nudge_follows


def test_an_edit_to_never_heard_back_takes_the_thank_you_back(person):
    rejection = log(person, channel=Channel.EMAIL, stage=Stage.INTERVIEW)
    rejection.channel = Channel.NEVER_HEARD
    rejection.save()
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        services.sync_rejection(rejection=rejection)

    statuses = dict(FollowUp.objects.filter(owner=person).values_list("kind", "status"))
    assert statuses[Kind.REJECTION_THANKS] == FollowUp.Status.CANCELLED
    assert statuses[Kind.CLOSE_THE_LOOP] == FollowUp.Status.PENDING


def test_the_application_page_says_why_nothing_was_planned(person, client_for):
    rejection = log(person, channel=Channel.PORTAL, stage=Stage.APPLICATION, contact=False)

    page = client_for(person).get(rejection.application.get_absolute_url()).content.decode()

    assert "No thank-you is planned: there is no one to write to" in page
