"""The honest scorecard: the person's own rates over a chosen period, next to a published
figure only where it has a named primary source."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from dashboard import scorecard as sc
from followups import replies, services
from followups.models import FollowUp
from tests.factories import ApplicationFactory, FeedbackFactory, InterviewFactory, RejectionFactory
from tests.followups.conftest import at

Kind = FollowUp.Kind


def rejected(person, company: str, when: dt.datetime, contact=None):
    rejection = RejectionFactory(
        owner=person,
        application__owner=person,
        application__company__owner=person,
        application__company__name=company,
        received_at=when,
        contact=contact,
        reply_to=f"jobs@{company.lower()}.example",
    )
    services.sync_rejection(rejection=rejection)
    return rejection


@pytest.fixture
def history(person, dana, time_machine):
    """Sam's last months, seen on Mon 1 Jun 2026:
    - Acme (2 Mar): thanked within 48 h asking for feedback, nudged once, feedback came; the
      90-day check-in sent 31 May and Dana replied.
    - Initech (20 May): thanked three days late, no feedback asked.
    - Globex (1 Jan): thanked on time, asked, nothing came; an interview there on 15 May."""
    time_machine.move_to(at("2026-01-01 10:00"), tick=False)
    globex = rejected(person, "Globex", at("2026-01-01 10:00"))
    time_machine.move_to(at("2026-01-02 11:00"), tick=False)
    services.mark_done(
        followup=FollowUp.objects.get(rejection=globex, kind=Kind.REJECTION_THANKS),
        done_at=at("2026-01-02 11:00"),
        asked_for_feedback=True,
    )
    InterviewFactory(
        owner=person,
        application=ApplicationFactory(owner=person, company=globex.application.company),
        when=at("2026-05-15 10:00"),
    )

    time_machine.move_to(at("2026-03-02 10:00"), tick=False)
    acme = RejectionFactory(
        owner=person,
        application__company=dana.company,
        contact=dana,
        received_at=at("2026-03-02 10:00"),
    )
    services.sync_rejection(rejection=acme)
    time_machine.move_to(at("2026-03-03 12:00"), tick=False)
    services.mark_done(
        followup=FollowUp.objects.get(rejection=acme, kind=Kind.REJECTION_THANKS),
        done_at=at("2026-03-03 12:00"),
        asked_for_feedback=True,
    )
    time_machine.move_to(at("2026-03-10 12:00"), tick=False)
    services.mark_done(
        followup=FollowUp.objects.get(rejection=acme, kind=Kind.FEEDBACK_NUDGE),
        done_at=at("2026-03-10 12:00"),
    )
    FeedbackFactory(owner=person, rejection=acme)
    time_machine.move_to(at("2026-05-31 10:00"), tick=False)
    check_in = FollowUp.objects.get(rejection=acme, kind=Kind.CHECK_IN)
    services.mark_done(followup=check_in, done_at=at("2026-05-31 10:00"))
    check_in.refresh_from_db()
    replies.record_reply(followup=check_in, replied_on=dt.date(2026, 5, 31))

    time_machine.move_to(at("2026-05-20 10:00"), tick=False)
    initech = rejected(person, "Initech", at("2026-05-20 10:00"))
    time_machine.move_to(at("2026-05-23 10:00"), tick=False)
    services.mark_done(
        followup=FollowUp.objects.get(rejection=initech, kind=Kind.REJECTION_THANKS),
        done_at=at("2026-05-23 10:00"),
        asked_for_feedback=False,
    )
    time_machine.move_to(at("2026-06-01 09:00"), tick=False)
    return at("2026-06-01 09:00")


def scores(card) -> dict:
    return {s.key: (s.done, s.out_of) for s in card.scores}


def test_all_time(person, history):
    card = sc.scorecard(person, history, "all")
    assert scores(card) == {
        "thanks": (2, 3),  # Globex and Acme on time, Initech late
        "feedback": (1, 2),  # asked at Globex and Acme; Acme answered
        "replies": (1, 1),  # the check-in Dana answered
        "reopened": (1, None),  # the interview at Globex after its "no"
        "nudges": (1, 1),  # Acme chased once
    }
    assert card.scores[0].share == 67


def test_a_shorter_period_counts_only_what_happened_in_it(person, history):
    card = sc.scorecard(person, history, "30")
    assert scores(card) == {
        "thanks": (0, 1),  # only Initech's rejection is in the last 30 days
        "feedback": (0, 0),
        "replies": (1, 1),
        "reopened": (1, None),
        "nudges": (0, 0),
    }


def test_the_page_shows_sources_only_where_there_is_one(person, history, client_for):
    page = client_for(person).get(reverse("dashboard:scorecard") + "?period=all").text
    row = re.search(r'data-testid="score-thanks">(.*?)</tr>', page, re.S).group(1)
    assert "67%" in row and "(2/3)" in row
    assert "24%" in row and "Accountemps" in row and "2017" in row
    assert "press.roberthalf.com" in row
    feedback = re.search(r'data-testid="score-feedback">(.*?)</tr>', page, re.S).group(1)
    assert "No figure we could trace to a primary source." in feedback
    assert 'aria-current="page" href="?period=all"' in page


def test_an_unknown_period_falls_back_to_90_days(person, history, client_for):
    page = client_for(person).get(reverse("dashboard:scorecard") + "?period=evil").text
    assert 'aria-current="page" href="?period=90"' in page


def test_it_costs_one_query(person, history, django_assert_num_queries):
    with django_assert_num_queries(1):
        sc.scorecard(person, history, "90")


def test_the_dashboard_links_to_it_with_the_published_figure(person, history, client_for):
    page = client_for(person).get(reverse("dashboard:index")).text
    assert 'data-testid="scorecard-link"' in page
    assert "24% of applicants send a thank-you after an interview" in page
