"""Feedback themes become proposed SMART goals: what, how it is measured, a target date."""

import datetime as dt

import pytest

from applications.models import Feedback
from goals.models import ImprovementGoal
from goals.services import GOAL_TEMPLATES, propose_goals
from tests.factories import FeedbackFactory, ImprovementGoalFactory

TODAY = dt.date(2025, 3, 11)
Theme = Feedback.Theme

pytestmark = pytest.mark.django_db


def test_every_theme_has_a_goal_with_a_measure_and_a_date():
    assert set(GOAL_TEMPLATES) == set(Theme.values)
    for template in GOAL_TEMPLATES.values():
        assert template.what and template.how_measured
        assert 7 <= template.days <= 60
        assert len(template.what) <= ImprovementGoal._meta.get_field("what").max_length
        assert len(template.how_measured) <= 300


def test_it_proposes_the_advices_goal_for_each_theme(user):
    feedback = FeedbackFactory(
        owner=user,
        themes=[Theme.EXPERIENCE_FIT, Theme.COMMUNICATION, Theme.NERVES, Theme.ENTHUSIASM],
        what_they_said="Thank you for your time; we went another way.",
    )

    goals = propose_goals(feedback=feedback, today=TODAY)

    assert [goal.theme for goal in goals] == [
        Theme.EXPERIENCE_FIT,
        Theme.COMMUNICATION,
        Theme.NERVES,
        Theme.ENTHUSIASM,
    ]
    experience, communication, nerves, enthusiasm = goals
    assert "résumé" in experience.what and "role" in experience.what
    assert "aloud" in communication.what
    assert "mock interviews" in nerves.what
    assert "Research" in enthusiasm.what and "why I want the role" in enthusiasm.what
    assert experience.target_date == TODAY + dt.timedelta(days=14)
    for goal in goals:
        assert goal.pk is None
        assert goal.owner == user and goal.feedback == feedback
        assert goal.how_measured


def test_it_proposes_nothing_twice(user):
    feedback = FeedbackFactory(owner=user, themes=[Theme.NERVES, Theme.NERVES, "made-up"])

    assert [goal.theme for goal in propose_goals(feedback=feedback, today=TODAY)] == [Theme.NERVES]


def test_it_skips_themes_that_already_have_a_goal_from_this_feedback(user):
    feedback = FeedbackFactory(owner=user, themes=[Theme.NERVES, Theme.TECHNICAL_SKILLS])
    ImprovementGoalFactory(owner=user, feedback=feedback, theme=Theme.NERVES)

    goals = propose_goals(feedback=feedback, today=TODAY)

    assert [goal.theme for goal in goals] == [Theme.TECHNICAL_SKILLS]


def test_feedback_without_themes_proposes_nothing(user):
    feedback = FeedbackFactory(owner=user, themes=[])

    assert propose_goals(feedback=feedback, today=TODAY) == []


def test_each_theme_fills_its_goal_with_what_the_feedback_named(user):
    """GIVEN feedback that says what it missed ("needs more Kafka experience")
    THEN every theme's proposal names Kafka, in the person's own spelling."""
    feedback = FeedbackFactory(
        owner=user, themes=list(Theme.values), what_they_said="Really needs more Kafka experience."
    )

    goals = {goal.theme: goal.what for goal in propose_goals(feedback=feedback, today=TODAY)}

    assert goals[Theme.TECHNICAL_SKILLS] == "Build a small project with Kafka"
    assert goals[Theme.EXPERIENCE_FIT] == (
        "Gain hands-on experience with Kafka and show it on my résumé"
    )
    assert all("Kafka" in what for what in goals.values())
