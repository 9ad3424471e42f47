"""Feedback turned into improvement goals: one SMART goal proposed per feedback theme.

The table follows shared/advice 003 ("Common types of feedback and how to address them",
and "Create SMART goals": specific, measurable, achievable, relevant, time-bound). Each
row says what to do, how the person will know it is done, and how many days to allow.
When the feedback names a thing ("needs more Kafka experience"), the row's `what_named` is
filled with the person's own words for it ("Build a small project with Kafka"); otherwise
the plain `what` is proposed. Either way the person edits it before anything is saved.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction

from applications.models import Feedback
from goals.models import ImprovementGoal
from goals.topics import named_topic

Theme = Feedback.Theme


@dataclass(frozen=True)
class GoalTemplate:
    what: str
    how_measured: str
    days: int  # From today to the proposed target date.
    what_named: str = ""  # With a {topic} slot, for feedback that names a thing.

    def what_for(self, topic: str) -> str:
        return self.what_named.format(topic=topic) if topic and self.what_named else self.what


GOAL_TEMPLATES: dict[str, GoalTemplate] = {
    # 003: "your experience didn't align" → tailor the résumé and cover letter to the role.
    Theme.EXPERIENCE_FIT: GoalTemplate(
        what="Tailor my résumé and cover letter to each role I apply for",
        what_named="Gain hands-on experience with {topic} and show it on my résumé",
        how_measured=(
            "My next 5 applications each have a résumé that names the role's "
            "top three requirements with an example for each"
        ),
        days=14,
    ),
    # 003: "stronger communication skills" → present aloud (a speaking group, at work).
    Theme.COMMUNICATION: GoalTemplate(
        what="Practise presenting my answers aloud",
        what_named="Practise explaining {topic} aloud",
        how_measured=(
            "Record and play back my answers to 10 common interview questions, "
            "and present at least twice (a speaking group or at work)"
        ),
        days=30,
    ),
    # 003: "you seemed nervous" → relaxation before interviews and mock interviews.
    Theme.NERVES: GoalTemplate(
        what="Build confidence with mock interviews",
        what_named="Build confidence for {topic} with mock interviews",
        how_measured=(
            "3 mock interviews with a friend, mentor or coach, each started with "
            "the same short relaxation routine"
        ),
        days=21,
    ),
    # 003: "lacked enthusiasm" → research the company and prepare specific reasons.
    Theme.ENTHUSIASM: GoalTemplate(
        what="Research each company and prepare why I want the role",
        what_named="Research {topic} and prepare why it matters to me",
        how_measured=(
            "Before every interview, one page of notes with 3 specific reasons "
            "this company and role excite me"
        ),
        days=14,
    ),
    # 003: "make changes now", "enhancing your portfolio": close the named gap.
    Theme.TECHNICAL_SKILLS: GoalTemplate(
        what="Close the skill gap the feedback named",
        what_named="Build a small project with {topic}",
        how_measured=(
            "Finish one course or build one small project that uses the skill, "
            "and add it to my résumé or portfolio"
        ),
        days=42,
    ),
    # 003: research the company; show how you would work with this team.
    Theme.CULTURE_FIT: GoalTemplate(
        what="Learn how each team works and show where I fit",
        what_named="Learn how teams work with {topic} and show where I fit",
        how_measured=(
            "Before each interview, talk to someone who works there or read 3 of "
            "the team's posts, and prepare 2 stories that match their values"
        ),
        days=21,
    ),
    # 003: "identify actionable steps": one concrete change, tried soon.
    Theme.OTHER: GoalTemplate(
        what="Act on the feedback with one concrete change",
        what_named="Work on {topic} with one concrete change",
        how_measured="Write the change down and apply it in my next 3 applications",
        days=30,
    ),
}


@dataclass(frozen=True)
class GoalEdit:
    """What the person changed in a proposal before creating it."""

    what: str
    how_measured: str
    target_date: dt.date


def _themes_of(feedback: Feedback) -> list[str]:
    """The feedback's known themes, once each, in the order they were recorded."""
    seen: list[str] = []
    for theme in feedback.themes or []:
        if theme in GOAL_TEMPLATES and theme not in seen:
            seen.append(theme)
    return seen


def proposal_for(*, feedback: Feedback, theme: str, today: dt.date) -> ImprovementGoal:
    template = GOAL_TEMPLATES[theme]
    return ImprovementGoal(
        owner=feedback.owner,
        feedback=feedback,
        theme=theme,
        what=template.what_for(named_topic(feedback.what_they_said)),
        how_measured=template.how_measured,
        target_date=today + dt.timedelta(days=template.days),
    )


def propose_goals(*, feedback: Feedback, today: dt.date) -> list[ImprovementGoal]:
    """Unsaved goals, one per theme of `feedback` that has no goal from it yet."""
    taken = set(feedback.goals.values_list("theme", flat=True)) if feedback.pk else set()
    return [
        proposal_for(feedback=feedback, theme=theme, today=today)
        for theme in _themes_of(feedback)
        if theme not in taken
    ]


@transaction.atomic
def create_goals_from_feedback(
    *,
    feedback: Feedback,
    themes: Iterable[str],
    today: dt.date,
    edits: Mapping[str, GoalEdit] | None = None,
) -> list[ImprovementGoal]:
    """Create the chosen proposals in one transaction; a theme already covered is skipped.

    1. Lock the feedback row (PostgreSQL), so two submits of the same page line up.
    2. Skip themes unknown to the table or that already have a goal from this feedback.
    3. Apply the person's edits and save.
    """
    Feedback.objects.select_for_update().filter(pk=feedback.pk).first()
    taken = set(feedback.goals.values_list("theme", flat=True))
    edits = edits or {}
    goals = []
    for theme in dict.fromkeys(themes):
        if theme not in GOAL_TEMPLATES or theme in taken:
            continue
        goal = proposal_for(feedback=feedback, theme=theme, today=today)
        if theme in edits:
            edit = edits[theme]
            goal.what, goal.how_measured = edit.what, edit.how_measured
            goal.target_date = edit.target_date
        goal.full_clean()
        goal.save()
        goals.append(goal)
    return goals


def update_goal_progress(*, goal: ImprovementGoal, progress: int, today: dt.date) -> None:
    """Record progress (percent); 100 completes the goal, less reopens a completed one."""
    if not 0 <= progress <= 100:
        raise ValueError("Progress is a percentage from 0 to 100.")
    goal.progress = progress
    if progress == 100:
        goal.completed_on = goal.completed_on or today
    else:
        goal.completed_on = None
    goal.save()


def complete_goal(*, goal: ImprovementGoal, today: dt.date) -> None:
    update_goal_progress(goal=goal, progress=100, today=today)
