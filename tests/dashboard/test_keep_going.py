"""The keep-going card: active applications, and a nudge to keep applying while waiting."""

import datetime as dt

import pytest
import time_machine

from applications.models import Application
from dashboard import cards as dashboard
from tests.factories import ApplicationFactory

# Tuesday 11 March 2025, 11:00 in Berlin.
NOW = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2025, 3, 11)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def applied(user, count: int, *, days_ago: int, status=Application.Status.APPLIED) -> None:
    for _ in range(count):
        ApplicationFactory(
            owner=user, applied_on=TODAY - dt.timedelta(days=days_ago), status=status
        )


def test_it_counts_active_applications_only(user, other_user):
    applied(user, 2, days_ago=3)
    applied(user, 1, days_ago=3, status=Application.Status.INTERVIEWING)
    applied(user, 1, days_ago=3, status=Application.Status.OFFER)
    applied(user, 2, days_ago=3, status=Application.Status.REJECTED)
    applied(user, 1, days_ago=3, status=Application.Status.WITHDRAWN)
    applied(other_user, 5, days_ago=1)

    card = dashboard.keep_going(user, NOW)

    assert card.active == 4
    assert card.total == 7
    assert card.applied_this_week == 7


def test_it_nudges_when_fewer_than_five_are_active(user):
    applied(user, 4, days_ago=1)

    card = dashboard.keep_going(user, NOW)

    assert card.too_few_active
    assert not card.none_this_week
    assert card.nudge


def test_it_nudges_when_nothing_was_applied_for_in_seven_days(user):
    applied(user, 6, days_ago=7)

    card = dashboard.keep_going(user, NOW)

    assert not card.too_few_active
    assert card.none_this_week
    assert card.last_applied_on == dt.date(2025, 3, 4)
    assert card.nudge


def test_it_does_not_nudge_a_healthy_search(user):
    applied(user, 4, days_ago=20)
    applied(user, 1, days_ago=6)

    card = dashboard.keep_going(user, NOW)

    assert card.active == 5
    assert card.applied_this_week == 1
    assert not card.nudge


def test_it_shows_the_nudge_with_the_advice(user, user_client):
    applied(user, 2, days_ago=9)

    page = user_client.get("/dashboard/").content.decode()

    assert 'data-testid="keep-going-nudge"' in page
    assert "Fewer than 5 applications are active." in page
    assert "You haven't applied anywhere in 7 days (last: Sun 2 Mar)." in page
    assert "Never stop looking while you wait" in page


def test_it_asks_for_the_first_application_when_there_is_none(user_client):
    page = user_client.get("/dashboard/").content.decode()

    assert 'data-testid="keep-going-empty"' in page
    assert "Log your first application" in page
    assert 'href="/applications/new/"' in page
