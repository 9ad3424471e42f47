"""`manage.py seed_demo` makes a realistic search once, and says how to log in."""

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from applications.models import Application, Company, Contact, Feedback, Interview, Rejection
from followups.models import FollowUp


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_it_creates_the_demo_user_with_a_realistic_search(db, now):
    output = seed()

    assert "Demo login: demo / open-doors-demo" in output
    demo = get_user_model().objects.get(username="demo")
    assert demo.check_password("open-doors-demo")
    assert demo.profile.time_zone == "Europe/Berlin"
    assert 28 <= Application.objects.filter(owner=demo).count() <= 32
    assert Company.objects.filter(owner=demo).count() >= 12
    assert Contact.objects.filter(owner=demo).exists()
    assert Interview.objects.filter(owner=demo).exclude(notes="").exists()
    assert Feedback.objects.filter(owner=demo).exists()
    rejections = Rejection.objects.filter(owner=demo)
    assert rejections.count() >= 8
    today = timezone.localdate()
    ages = {(today - r.received_at.date()).days for r in rejections}
    for age in (1, 3, 10, 40, 95, 200):
        assert {age - 1, age, age + 1} & ages, f"no rejection about {age} days old"
    assert (
        not Application.objects.filter(owner=demo, rejection__isnull=False)
        .exclude(status=Application.Status.REJECTED)
        .exists()
    )


def test_it_keeps_dates_consistent(db, now):
    seed()

    for rejection in Rejection.objects.select_related("application"):
        assert rejection.application.applied_on <= rejection.received_at.date()
        for interview in rejection.application.interviews.all():
            assert interview.when < rejection.received_at
    for feedback in Feedback.objects.select_related("rejection"):
        assert feedback.received_on >= feedback.rejection.received_at.date()


def test_it_does_nothing_the_second_time(db, now):
    seed()
    counts = Application.objects.count(), Company.objects.count(), Rejection.objects.count()

    output = seed()

    assert "already has 30 applications; nothing to do" in output
    assert "Demo login: demo / open-doors-demo" in output
    assert (
        Application.objects.count(),
        Company.objects.count(),
        Rejection.objects.count(),
    ) == counts


def test_it_seeds_another_user_with_a_thousand_applications(db, now, monkeypatch):
    # The rows only: the engine's own work on them is timed by the benchmark script.
    for name in ("sync_application", "sync_interview", "sync_rejection", "feedback_logged"):
        monkeypatch.setattr(f"followups.services.{name}", lambda **kwargs: None)

    output = seed("--user", "big", "--applications", "1000")

    big = get_user_model().objects.get(username="big")
    assert Application.objects.filter(owner=big).count() == 1000
    assert Rejection.objects.filter(owner=big).count() >= 300
    assert "Demo login: big / open-doors-demo" in output
    assert "in " in output and " s." in output, "it prints how long it took (no timed assert)"


def test_it_tells_the_follow_up_engine_about_every_event(db, now, monkeypatch):
    heard = []
    for name in ("sync_application", "sync_interview", "sync_rejection", "feedback_logged"):
        monkeypatch.setattr(
            f"followups.services.{name}", lambda _name=name, **kwargs: heard.append(_name)
        )

    seed()

    assert heard.count("sync_application") == Application.objects.count()
    assert heard.count("sync_rejection") == Rejection.objects.count()
    assert heard.count("sync_interview") == Interview.objects.count()
    assert heard.count("feedback_logged") == Feedback.objects.count()


def test_it_leaves_only_recent_follow_ups_pending(db, now):
    seed()

    demo = get_user_model().objects.get(username="demo")
    pending = FollowUp.objects.filter(owner=demo, status=FollowUp.Status.PENDING)
    assert pending.exists(), "the dashboard has something to do"
    assert not pending.filter(deadline_at__lt=now - dt.timedelta(days=2)).exists()
    assert FollowUp.objects.filter(owner=demo, status=FollowUp.Status.DONE).exists()


@pytest.mark.parametrize(
    "when",
    [
        # A Monday morning, a Saturday night, a Wednesday afternoon, a Tuesday before dawn.
        "2025-03-10T08:30:00+01:00",
        "2026-03-07T23:10:00+01:00",
        "2026-07-15T15:00:00+02:00",
        "2026-12-01T05:35:00+01:00",
    ],
)
def test_the_dashboard_opens_with_at_most_three_overdue_items_inside_their_grace(
    db, client_for, settings, when
):
    now = dt.datetime.fromisoformat(when)
    with time_machine.travel(now, tick=False):
        seed()
        demo = get_user_model().objects.get(username="demo")
        page = client_for(demo).get("/dashboard/").content.decode()

    overdue = page.count('data-testid="overdue"')
    assert 1 <= overdue <= 3, f"{overdue} overdue cards"
    assert 'data-testid="missed-row"' not in page
    late = FollowUp.objects.filter(owner=demo, status=FollowUp.Status.PENDING, deadline_at__lt=now)
    assert late.count() == overdue
    grace = dt.timedelta(days=settings.MISSED_GRACE_DAYS)
    assert all(now - followup.deadline_at < grace for followup in late)


def test_it_turns_early_feedback_into_goals_done_and_under_way(db, now):
    from goals.models import ImprovementGoal

    seed()

    goals = ImprovementGoal.objects.filter(owner__username="demo")
    assert goals.filter(completed_on__isnull=False).exists()
    assert goals.filter(completed_on__isnull=True, progress__gt=0).exists()
    assert all(goal.feedback_id for goal in goals)
