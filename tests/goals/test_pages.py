"""The goal pages: list, create, edit, progress, complete, delete, and goals from feedback."""

import datetime as dt

import pytest
from django.urls import reverse

from applications.models import Feedback
from goals.models import ImprovementGoal
from tests.applications.helpers import field_errors, page_text, post_form
from tests.factories import FeedbackFactory, ImprovementGoalFactory

Theme = Feedback.Theme
# The `now` fixture pins Tuesday 11 March 2025, 11:00 in Berlin.
TODAY = dt.date(2025, 3, 11)


def url(name: str, *args) -> str:
    namespace = "goals" if name.startswith("goal-") else "applications"
    return reverse(f"{namespace}:{name}", args=args)


def goal(owner, what: str, days: int, **fields) -> ImprovementGoal:
    return ImprovementGoalFactory(
        owner=owner, what=what, target_date=TODAY + dt.timedelta(days=days), **fields
    )


def test_the_list_separates_overdue_in_progress_and_completed(user, other_user, user_client, now):
    goal(user, "Mock interviews", -3, progress=50)
    goal(user, "Tailor my résumé", 10)
    goal(user, "Research Acme", -30, progress=100, completed_on=TODAY - dt.timedelta(days=31))
    goal(other_user, "Someone else's goal", 5)

    page = user_client.get(url("goal-list")).content.decode()

    overdue = page[
        page.index('data-testid="goals-overdue"') : page.index('data-testid="goals-in-progress"')
    ]
    in_progress = page[
        page.index('data-testid="goals-in-progress"') : page.index('data-testid="goals-completed"')
    ]
    completed = page[page.index('data-testid="goals-completed"') :]
    assert "Mock interviews" in overdue and "Overdue since Sat 8 Mar" in overdue
    assert "Tailor my résumé" in in_progress
    assert "Research Acme" in completed and "Done Sat 8 Feb" in completed
    assert "Someone else" not in page


def test_the_list_says_how_goals_come_about_when_empty(user_client, now):
    text = page_text(user_client.get(url("goal-list")))

    assert "No goals yet" in text
    assert "Open Doors proposes a goal for each" in text


def test_it_creates_a_goal(user, user_client, now):
    response = post_form(
        user_client,
        url("goal-create"),
        {
            "what": "  Add three   measurable results to my résumé ",
            "theme": Theme.EXPERIENCE_FIT,
            "how_measured": "Two friends review it",
            "target_date": "2025-03-28",
            "progress": "0",
        },
    )

    created = ImprovementGoal.objects.get(owner=user)
    assert response.url == created.get_absolute_url()
    assert created.what == "Add three measurable results to my résumé"
    assert created.target_date == dt.date(2025, 3, 28)


@pytest.mark.parametrize("progress", ["-5", "120", "half"])
def test_progress_outside_0_to_100_gets_a_clear_message(user, user_client, now, progress):
    response = post_form(
        user_client,
        url("goal-create"),
        {
            "what": "Mock interviews",
            "theme": Theme.NERVES,
            "target_date": "2025-03-28",
            "progress": progress,
        },
    )

    assert response.status_code == 200
    assert field_errors(response, "progress") == [
        "Enter how far along you are as a whole number from 0 to 100 (percent)."
    ]
    assert not ImprovementGoal.objects.exists()


def test_a_new_goal_needs_a_date_from_today_on(user_client, now):
    response = post_form(
        user_client,
        url("goal-create"),
        {
            "what": "Mock interviews",
            "theme": Theme.NERVES,
            "target_date": "2025-03-10",
            "progress": "0",
        },
    )

    assert field_errors(response, "target_date") == ["Pick a target date from today on."]


def test_editing_to_100_percent_completes_the_goal(user, user_client, now):
    mine = goal(user, "Mock interviews", 5)

    user_client.post(
        url("goal-update", mine.pk),
        {
            "what": "Mock interviews",
            "theme": Theme.NERVES,
            "target_date": "2025-03-16",
            "progress": "100",
        },
    )

    mine.refresh_from_db()
    assert (mine.progress, mine.completed_on) == (100, TODAY)


def test_it_records_progress_from_the_goal_page(user, user_client, now):
    mine = goal(user, "Mock interviews", 5)

    response = user_client.post(url("goal-progress", mine.pk), {"progress": "60"}, follow=True)

    assert "Progress saved: 60%." in page_text(response)
    mine.refresh_from_db()
    assert mine.progress == 60


def test_it_completes_a_goal(user, user_client, now):
    mine = goal(user, "Mock interviews", -1, progress=80)

    response = user_client.post(url("goal-complete", mine.pk), follow=True)

    text = page_text(response)
    assert "Goal completed." in text
    assert "Completed Tue 11 Mar" in text
    mine.refresh_from_db()
    assert mine.completed_on == TODAY


def test_it_deletes_a_goal_after_asking(user, user_client, now):
    mine = goal(user, "Mock interviews", 5)

    assert "Delete this improvement goal?" in page_text(
        user_client.get(url("goal-delete", mine.pk))
    )
    response = user_client.post(url("goal-delete", mine.pk))

    assert response.url == url("goal-list")
    assert not ImprovementGoal.objects.filter(pk=mine.pk).exists()


def test_another_persons_goal_is_not_found(user, other_user, user_client, now):
    theirs = goal(other_user, "Their goal", 5, progress=10)

    for name in ("goal-detail", "goal-update", "goal-delete"):
        assert user_client.get(url(name, theirs.pk)).status_code == 404
    for name in ("goal-complete", "goal-progress", "goal-delete"):
        assert user_client.post(url(name, theirs.pk), {"progress": "90"}).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.progress, theirs.completed_on) == (10, None)


def test_it_proposes_a_goal_per_feedback_theme(user, user_client, now):
    feedback = FeedbackFactory(
        owner=user,
        themes=[Theme.EXPERIENCE_FIT, Theme.NERVES],
        what_they_said="We went with someone else this time.",
    )

    response = user_client.get(url("goal-propose", feedback.pk))

    page = response.content.decode()
    assert page.count('data-testid="goal-proposal"') == 2
    text = page_text(response)
    assert "Experience fit" in text and "Nerves" in text
    assert "Tailor my résumé and cover letter to each role I apply for" in page
    assert "Build confidence with mock interviews" in page
    assert 'value="2025-03-25"' in page  # experience fit: two weeks
    assert page.count('type="checkbox"') == 2


def proposal_data(**forms) -> dict:
    data = {"form-TOTAL_FORMS": str(len(forms)), "form-INITIAL_FORMS": str(len(forms))}
    for n, (theme, fields) in enumerate(forms.items()):
        for name, value in {"theme": theme, **fields}.items():
            data[f"form-{n}-{name}"] = value
    return data


def test_it_creates_the_ticked_proposals_as_edited(user, user_client, now):
    feedback = FeedbackFactory(owner=user, themes=[Theme.EXPERIENCE_FIT, Theme.NERVES])
    data = proposal_data(
        experience_fit={
            "what": "Tailor my CV",
            "how_measured": "5 applications",
            "target_date": "2025-03-20",
        },
        nerves={"what": "Mock interviews", "how_measured": "", "target_date": "2025-04-01"},
    )
    data["form-0-create"] = "on"  # nerves left unticked

    response = user_client.post(url("goal-propose", feedback.pk), data, follow=True)

    assert "1 goal created." in page_text(response)
    [created] = ImprovementGoal.objects.filter(owner=user)
    assert (created.theme, created.what, created.target_date, created.feedback) == (
        Theme.EXPERIENCE_FIT,
        "Tailor my CV",
        dt.date(2025, 3, 20),
        feedback,
    )


def test_a_ticked_proposal_needs_what_and_a_date_and_nothing_is_half_saved(user, user_client, now):
    feedback = FeedbackFactory(owner=user, themes=[Theme.EXPERIENCE_FIT, Theme.NERVES])
    data = proposal_data(
        experience_fit={"create": "on", "what": "Tailor my CV", "target_date": "2025-03-20"},
        nerves={"create": "on", "what": "", "target_date": ""},
    )

    response = user_client.post(url("goal-propose", feedback.pk), data)

    text = page_text(response)
    assert "Say what you will do, or untick this goal." in text
    assert "Pick a target date, or untick this goal." in text
    assert not ImprovementGoal.objects.exists()


def test_sending_the_proposals_twice_creates_them_once(user, user_client, now):
    feedback = FeedbackFactory(owner=user, themes=[Theme.NERVES])
    data = proposal_data(
        nerves={"create": "on", "what": "Mock interviews", "target_date": "2025-04-01"}
    )

    user_client.post(url("goal-propose", feedback.pk), data)
    response = user_client.post(url("goal-propose", feedback.pk), data, follow=True)

    assert "Those goals were already created." in page_text(response)
    assert ImprovementGoal.objects.filter(feedback=feedback).count() == 1


def test_a_theme_the_feedback_does_not_have_is_not_created(user, user_client, now):
    feedback = FeedbackFactory(owner=user, themes=[Theme.NERVES])
    data = proposal_data(
        culture_fit={"create": "on", "what": "Sneaked in", "target_date": "2025-04-01"}
    )

    user_client.post(url("goal-propose", feedback.pk), data)

    assert not ImprovementGoal.objects.exists()


def test_another_persons_feedback_is_not_found(user, other_user, user_client, now):
    theirs = FeedbackFactory(owner=other_user, themes=[Theme.NERVES])
    data = proposal_data(nerves={"create": "on", "what": "Mine now", "target_date": "2025-04-01"})

    assert user_client.get(url("goal-propose", theirs.pk)).status_code == 404
    assert user_client.post(url("goal-propose", theirs.pk), data).status_code == 404
    assert not ImprovementGoal.objects.exists()


def test_feedback_without_themes_says_what_to_do(user, user_client, now):
    feedback = FeedbackFactory(owner=user, themes=[])

    text = page_text(user_client.get(url("goal-propose", feedback.pk)))

    assert "This feedback has no themes yet." in text


def test_it_proposes_a_goal_in_the_feedbacks_own_words_and_saves_the_persons_edit(
    user, user_client, now
):
    """GIVEN feedback "needs more Kafka experience" about technical skills
    WHEN the person opens the goals proposed from it
    THEN the proposal says "Build a small project with Kafka", and what they change it to
    is what is saved."""
    feedback = FeedbackFactory(
        owner=user, themes=[Theme.TECHNICAL_SKILLS], what_they_said="needs more Kafka experience"
    )

    page = user_client.get(url("goal-propose", feedback.pk)).content.decode()

    assert "Build a small project with Kafka</textarea>" in page
    assert "Close the skill gap the feedback named" not in page
    data = proposal_data(
        technical_skills={
            "create": "on",
            "what": "Build a small Kafka consumer in Python",
            "target_date": "2025-04-22",
        }
    )
    user_client.post(url("goal-propose", feedback.pk), data)
    assert ImprovementGoal.objects.get(owner=user).what == "Build a small Kafka consumer in Python"


def test_an_edited_goal_cannot_aim_before_its_feedback(user, user_client, now):
    """GIVEN a goal from feedback that came on 5 March
    WHEN the person moves its target date to 1 March
    THEN the form says the feedback's day and the goal keeps its date."""
    feedback = FeedbackFactory(owner=user, received_on=dt.date(2025, 3, 5))
    mine = goal(user, "Mock interviews", 5, feedback=feedback)

    response = user_client.post(
        url("goal-update", mine.pk),
        {
            "what": "Mock interviews",
            "theme": Theme.NERVES,
            "target_date": "2025-03-01",
            "progress": "10",
            "feedback": str(feedback.pk),
        },
    )

    assert field_errors(response, "target_date") == [
        "The feedback came on 05 Mar 2025: pick a target date on or after that day."
    ]
    mine.refresh_from_db()
    assert mine.target_date == TODAY + dt.timedelta(days=5)


@pytest.mark.parametrize("progress", ["33", "7", "99"])
def test_progress_takes_any_whole_percentage(user, user_client, now, progress):
    mine = goal(user, "Mock interviews", 5)

    page = page_text(
        user_client.post(url("goal-progress", mine.pk), {"progress": progress}, follow=True)
    )
    assert f"Progress saved: {progress}%." in page
    edit = user_client.post(
        url("goal-update", mine.pk),
        {"what": "Mock", "theme": Theme.NERVES, "target_date": "2025-03-16", "progress": progress},
    )
    assert edit.status_code == 302
    mine.refresh_from_db()
    assert mine.progress == int(progress)
    # The browser checks the step too: 33 must not be refused as "not a multiple of 5".
    for page_name in ("goal-update", "goal-detail"):
        page = user_client.get(url(page_name, mine.pk)).content.decode()
        assert 'name="progress"' in page and 'step="1"' in page and 'step="5"' not in page


def test_a_completed_goal_can_be_reopened(user, user_client, now):
    mine = goal(user, "Mock interviews", 5, progress=100, completed_on=TODAY)

    page = user_client.get(url("goal-detail", mine.pk)).content.decode()
    assert 'data-testid="goal-reopen"' in page
    response = user_client.post(url("goal-progress", mine.pk), {"progress": "80"}, follow=True)

    text = page_text(response)
    assert "Goal reopened at 80%." in text
    assert "In progress, by Sun 16 Mar" in text
    mine.refresh_from_db()
    assert (mine.progress, mine.completed_on) == (80, None)
