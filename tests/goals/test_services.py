"""Creating goals from feedback, tracking their progress, completing them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from applications.models import Feedback
from goals.models import ImprovementGoal
from goals.services import (
    GoalEdit,
    complete_goal,
    create_goals_from_feedback,
    update_goal_progress,
)
from tests.factories import FeedbackFactory, ImprovementGoalFactory

TODAY = dt.date(2025, 3, 11)
Theme = Feedback.Theme

pytestmark = pytest.mark.django_db


def test_it_creates_the_chosen_goals_with_the_persons_edits(user):
    feedback = FeedbackFactory(
        owner=user, received_on=TODAY, themes=[Theme.NERVES, Theme.ENTHUSIASM]
    )
    edit = GoalEdit(
        what="Two mock interviews with Alex",
        how_measured="Both done, notes written",
        target_date=dt.date(2025, 4, 1),
    )

    goals = create_goals_from_feedback(
        feedback=feedback, themes=[Theme.NERVES], today=TODAY, edits={Theme.NERVES: edit}
    )

    [goal] = goals
    goal.refresh_from_db()
    assert (goal.what, goal.how_measured, goal.target_date) == (
        "Two mock interviews with Alex",
        "Both done, notes written",
        dt.date(2025, 4, 1),
    )
    assert (goal.owner, goal.feedback, goal.theme) == (user, feedback, Theme.NERVES)
    assert goal.progress == 0 and goal.completed_on is None


def test_it_creates_a_goal_per_theme_only_once(user):
    feedback = FeedbackFactory(
        owner=user, received_on=TODAY, themes=[Theme.NERVES, Theme.ENTHUSIASM]
    )

    create_goals_from_feedback(feedback=feedback, themes=feedback.themes, today=TODAY)
    again = create_goals_from_feedback(feedback=feedback, themes=feedback.themes, today=TODAY)

    assert again == []
    assert ImprovementGoal.objects.filter(feedback=feedback).count() == 2


def test_a_bad_edit_saves_none_of_the_goals(user):
    feedback = FeedbackFactory(
        owner=user, received_on=TODAY, themes=[Theme.NERVES, Theme.ENTHUSIASM]
    )
    too_long = GoalEdit(what="x" * 500, how_measured="", target_date=TODAY)

    with pytest.raises(ValidationError):
        create_goals_from_feedback(
            feedback=feedback,
            themes=[Theme.NERVES, Theme.ENTHUSIASM],
            today=TODAY,
            edits={Theme.ENTHUSIASM: too_long},
        )

    assert not ImprovementGoal.objects.filter(feedback=feedback).exists()


def test_progress_of_100_completes_the_goal_and_less_reopens_it(user):
    goal = ImprovementGoalFactory(owner=user)

    update_goal_progress(goal=goal, progress=40, today=TODAY)
    goal.refresh_from_db()
    assert (goal.progress, goal.completed_on) == (40, None)

    update_goal_progress(goal=goal, progress=100, today=TODAY)
    goal.refresh_from_db()
    assert (goal.progress, goal.completed_on) == (100, TODAY)

    update_goal_progress(goal=goal, progress=90, today=TODAY + dt.timedelta(days=1))
    goal.refresh_from_db()
    assert (goal.progress, goal.completed_on) == (90, None)


@pytest.mark.parametrize("progress", [-1, 101])
def test_progress_outside_0_to_100_is_refused(user, progress):
    goal = ImprovementGoalFactory(owner=user, progress=10)

    with pytest.raises(ValueError, match="0 to 100"):
        update_goal_progress(goal=goal, progress=progress, today=TODAY)

    goal.refresh_from_db()
    assert goal.progress == 10


def test_completing_a_goal_sets_the_day_and_full_progress(user):
    goal = ImprovementGoalFactory(owner=user, progress=70)

    complete_goal(goal=goal, today=TODAY)

    goal.refresh_from_db()
    assert (goal.progress, goal.completed_on) == (100, TODAY)
    assert not goal.is_overdue(TODAY + dt.timedelta(days=365))


def test_a_goal_aimed_before_its_feedback_saves_none_of_the_goals(user):
    """GIVEN feedback that came on 11 March
    WHEN one of its goals is edited to aim at 10 March
    THEN nothing is created, and the message names the feedback's day."""
    feedback = FeedbackFactory(
        owner=user, received_on=TODAY, themes=[Theme.NERVES, Theme.ENTHUSIASM]
    )
    early = GoalEdit(what="Mock interviews", how_measured="", target_date=dt.date(2025, 3, 10))

    with pytest.raises(ValidationError, match="The feedback came on 11 Mar 2025"):
        create_goals_from_feedback(
            feedback=feedback,
            themes=[Theme.NERVES, Theme.ENTHUSIASM],
            today=TODAY,
            edits={Theme.ENTHUSIASM: early},
        )

    assert not ImprovementGoal.objects.filter(feedback=feedback).exists()
