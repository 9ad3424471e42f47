"""The goals card: improvement goals in progress, overdue ones flagged and first."""

import datetime as dt

import pytest
import time_machine

from dashboard import cards as dashboard
from tests.factories import ImprovementGoalFactory

NOW = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2025, 3, 11)

# Goal rows link to their page (goals:goal-detail).
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def goal(user, what: str, target_in_days: int, **fields):
    return ImprovementGoalFactory(
        owner=user, what=what, target_date=TODAY + dt.timedelta(days=target_in_days), **fields
    )


def test_it_lists_goals_in_progress_with_overdue_ones_first(user, other_user):
    goal(user, "Tailor my résumé", 10, progress=30)
    goal(user, "Mock interviews", -2, progress=60)
    goal(user, "Research companies", 3)
    goal(user, "Done already", -20, progress=100, completed_on=TODAY - dt.timedelta(days=21))
    goal(other_user, "Not mine", -5)

    card = dashboard.improvement_goals(user, NOW)

    assert [(row.what, row.is_overdue) for row in card.rows] == [
        ("Mock interviews", True),
        ("Research companies", False),
        ("Tailor my résumé", False),
    ]
    assert (card.in_progress, card.overdue, card.completed) == (3, 1, 1)
    assert [g.what for g in card.completed_goals] == ["Done already"]


def test_a_goal_due_today_is_not_overdue_yet(user):
    goal(user, "Today", 0)

    [row] = dashboard.improvement_goals(user, NOW).rows

    assert not row.is_overdue


def test_it_lists_five_and_counts_the_rest(user):
    for n in range(7):
        goal(user, f"Goal {n}", n + 1)

    card = dashboard.improvement_goals(user, NOW)

    assert len(card.rows) == 5
    assert card.more == 2


def test_it_flags_overdue_goals_on_the_page(user, user_client):
    goal(user, "Mock interviews", -2, progress=60)

    page = user_client.get("/dashboard/").content.decode()

    assert 'data-testid="goals-overdue-count"' in page
    assert "1 overdue" in page
    assert 'data-overdue="true"' in page
    assert "Overdue: Sun 9 Mar" in page


def test_it_says_how_to_start_when_there_are_no_goals(user_client):
    page = user_client.get("/dashboard/").content.decode()

    assert 'data-testid="goals-empty"' in page
    assert 'href="/goals/new/"' in page
