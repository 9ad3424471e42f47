"""Keep in touch every few months: stop after four unanswered check-ins, or when hired."""

import datetime as dt
import itertools

import pytest

from applications.models import Application
from followups import services
from followups.models import FollowUp
from tests.factories import ApplicationFactory, RejectionFactory
from tests.followups.conftest import at

Kind = FollowUp.Kind


@pytest.fixture
def check_in(person, dana, time_machine):
    time_machine.move_to(at("2026-03-02 10:30"), tick=False)
    rejection = RejectionFactory(owner=person, application__company=dana.company, contact=dana)
    services.sync_rejection(rejection=rejection)
    return FollowUp.objects.get(kind=Kind.CHECK_IN)


def send_next(person, *, got_reply=False):
    followup = FollowUp.objects.filter(owner=person, status=FollowUp.Status.PENDING).get(
        kind__in=[Kind.CHECK_IN, Kind.KEEP_IN_TOUCH]
    )
    return services.mark_done(followup=followup, done_at=followup.due_at, got_reply=got_reply)


def test_it_repeats_every_90_days_and_stops_after_four_unanswered(person, check_in, dana):
    """GIVEN the 90-day check-in sent
    WHEN four keep-in-touch notes in a row get no reply
    THEN no fifth is planned, and Open Doors suggests closing the door at Acme."""
    send_next(person)  # the 90-day check-in
    outcomes = [send_next(person) for _ in range(4)]
    keeps = FollowUp.objects.filter(kind=Kind.KEEP_IN_TOUCH).order_by("sequence")
    assert [k.sequence for k in keeps] == [1, 2, 3, 4]
    gaps = [b.due_at - a.due_at for a, b in itertools.pairwise(keeps)]
    assert all(dt.timedelta(days=89) <= gap <= dt.timedelta(days=91) for gap in gaps)
    assert [o.suggest_closing_door for o in outcomes] == [False, False, False, True]
    assert outcomes[-1].scheduled == []
    assert "Four check-ins went unanswered: consider closing the door at Acme." in (
        outcomes[-1].message()
    )


def test_a_reply_starts_the_count_again(person, check_in):
    send_next(person)
    send_next(person)
    send_next(person)
    send_next(person, got_reply=True)  # #3 was answered
    outcome = send_next(person)  # #4: one unanswered since the reply
    assert not outcome.suggest_closing_door
    assert (
        FollowUp.objects.filter(kind=Kind.KEEP_IN_TOUCH, status=FollowUp.Status.PENDING)
        .get()
        .sequence
        == 5
    )


def test_a_skipped_check_in_still_plans_the_next_and_does_not_count(person, check_in):
    send_next(person)
    keep = FollowUp.objects.get(kind=Kind.KEEP_IN_TOUCH)
    outcome = services.skip(followup=keep)
    assert [f.sequence for f in outcome.scheduled] == [2]


def test_it_stops_when_hired_there(person, check_in, dana):
    ApplicationFactory(owner=person, company=dana.company, status=Application.Status.ACCEPTED)
    outcome = send_next(person)
    assert outcome.scheduled == []
    assert not FollowUp.objects.filter(kind=Kind.KEEP_IN_TOUCH).exists()


def test_an_accepted_offer_cancels_pending_check_ins(person, check_in, dana):
    hired = ApplicationFactory(
        owner=person, company=dana.company, status=Application.Status.ACCEPTED
    )
    services.sync_application(application=hired)
    check_in.refresh_from_db()
    assert check_in.status == FollowUp.Status.CANCELLED
