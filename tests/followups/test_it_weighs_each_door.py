"""Door strength: how far the person got (application screen < recruiter screen < interviews
< final round), feedback given, open-door words in the rejection and replies. It orders the
open-doors card and sets the cadence: a finalist's door gets check-ins every 60-90 days and
the LinkedIn note; a CV-screen door gets the cooldown and one optional check-in."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import Profile
from followups import replies, rules, services
from followups.models import FollowUp
from followups.rules import Strength
from tests.factories import FeedbackFactory, RejectionFactory
from tests.followups.conftest import at

Kind = FollowUp.Kind
Status = FollowUp.Status


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        ("application", Strength.FAINT),
        ("screening", Strength.FAIR),
        ("interview", Strength.GOOD),
        ("final", Strength.STRONG),
        ("offer", Strength.STRONG),
    ],
)
def test_the_further_the_person_got_the_stronger_the_door(stage, expected):
    door = rules.door_strength(stage=stage)
    assert door.strength == expected
    assert door.reasons[0].why  # every rule says why


def test_what_the_company_did_since_adds_to_it():
    assert rules.door_strength(stage="application", feedback=True).strength == Strength.FAIR
    both = rules.door_strength(stage="screening", open_door=True, replied=True)
    assert both.strength == Strength.STRONG
    assert both.reason_names == "recruiter screen · open-door words · they replied"
    # Capped at strong, but a finalist who got feedback still sorts above a bare finalist.
    assert rules.door_strength(stage="final", feedback=True).points > (
        rules.door_strength(stage="final").points
    )


@pytest.fixture
def reject(person, dana, time_machine):
    def make(stage: str, **fields):
        time_machine.move_to(at("2026-03-02 10:30"), tick=False)
        rejection = RejectionFactory(
            owner=person,
            application__company=dana.company,
            contact=dana,
            stage_reached=stage,
            received_at=at("2026-03-02 10:30"),
            **fields,
        )
        services.sync_rejection(rejection=rejection)
        return rejection

    return make


def send(kind: str) -> services.Outcome:
    followup = FollowUp.objects.get(kind=kind, status=Status.PENDING)
    return services.mark_done(followup=followup, done_at=followup.due_at)


def test_a_cv_screen_door_gets_one_check_in_and_no_series_or_linkedin(reject, dana):
    """GIVEN Dana on LinkedIn, and a "no" at the application screen
    WHEN the thank-you and then the 90-day check-in are sent
    THEN no LinkedIn note and no keep-in-touch series follow: the check-in was the one."""
    dana.linkedin_url = "https://www.linkedin.com/in/dana"
    dana.save()
    reject("application")
    send(Kind.REJECTION_THANKS)
    assert not FollowUp.objects.filter(kind=Kind.LINKEDIN).exists()
    assert send(Kind.CHECK_IN).scheduled == []
    assert not FollowUp.objects.filter(kind=Kind.KEEP_IN_TOUCH).exists()


def test_feedback_at_the_cv_screen_makes_the_door_worth_a_series(reject, person):
    rejection = reject("application")
    FeedbackFactory(owner=person, rejection=rejection)
    assert [step.kind for step in send(Kind.CHECK_IN).scheduled] == [Kind.KEEP_IN_TOUCH]


def test_a_finalist_gets_the_linkedin_note(reject, dana):
    dana.linkedin_url = "https://www.linkedin.com/in/dana"
    dana.save()
    reject("final")
    assert Kind.LINKEDIN in [step.kind for step in send(Kind.REJECTION_THANKS).scheduled]


@pytest.mark.parametrize(("cadence", "expected_days"), [(180, 90), (120, 90), (60, 60)])
def test_a_finalists_check_ins_run_every_60_to_90_days(
    reject, person, cadence, expected_days, time_machine
):
    """GIVEN a person who keeps in touch every `cadence` days, and a final-round "no"
    WHEN the 90-day check-in is sent
    THEN the next check-in is due within 60-90 days of it, not `cadence`."""
    Profile.objects.filter(user=person).update(keep_in_touch_days=cadence)
    reject("final")
    check_in = FollowUp.objects.get(kind=Kind.CHECK_IN)
    time_machine.move_to(check_in.due_at, tick=False)
    [keep] = send(Kind.CHECK_IN).scheduled
    assert (keep.due_at - check_in.due_at).days == expected_days


def test_an_interview_door_keeps_the_persons_own_cadence(reject, person, time_machine):
    Profile.objects.filter(user=person).update(keep_in_touch_days=150)
    reject("interview")
    check_in = FollowUp.objects.get(kind=Kind.CHECK_IN)
    time_machine.move_to(check_in.due_at, tick=False)
    [keep] = send(Kind.CHECK_IN).scheduled
    assert (keep.due_at - check_in.due_at).days == 150


def test_open_door_words_and_a_reply_make_a_door_stronger(reject, person):
    rejection = reject("screening")
    assert services.door_strength(rejection=rejection).strength == Strength.FAIR
    kept = services.record_open_door_signals(
        rejection=rejection,
        phrases=["We'll keep your CV on file", "we'll  keep your cv on file", "", "x" * 500],
    )
    assert kept == ["We'll keep your CV on file", "x" * 200]
    assert services.door_strength(rejection=rejection).strength == Strength.GOOD
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    replies.record_reply(followup=thanks, replied_on=dt.date(2026, 3, 2))
    assert services.door_strength(rejection=rejection).strength == Strength.STRONG


def test_the_dashboard_puts_the_finalists_door_first(person, client_for, time_machine):
    time_machine.move_to(at("2026-03-10 10:00"), tick=False)
    for name, stage, days_ago in (
        ("Initech", "application", 3),
        ("Globex", "final", 20),
        ("Acme Rockets", "interview", 1),
    ):
        RejectionFactory(
            owner=person,
            application__owner=person,
            application__company__owner=person,
            application__company__name=name,
            stage_reached=stage,
            received_at=at("2026-03-10 10:00") - dt.timedelta(days=days_ago),
        )
    page = client_for(person).get(reverse("dashboard:index")).text
    page = page[page.index('id="card-open-doors"') :]
    assert "Finalist at Globex: the strongest door you have." in page
    order = [page.index(name) for name in ("Globex", "Acme Rockets", "Initech")]
    assert order == sorted(order)
    assert "Strong door" in page and "Faint door" in page
