"""Each recorded event reaches the follow-up engine inside the event's own transaction."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from applications import services
from applications.models import Application, Interview, Rejection
from tests.applications.helpers import post_form
from tests.factories import ApplicationFactory, FeedbackFactory, RejectionFactory


@pytest.fixture
def engine(monkeypatch) -> list[tuple[str, object, bool]]:
    """Record each call with the object it got and whether a transaction was open."""
    calls = []
    for name in ("sync_application", "sync_interview", "sync_rejection", "feedback_logged"):

        def record(_name=name, **kwargs):
            [value] = kwargs.values()
            calls.append((_name, value, connection.in_atomic_block))

        monkeypatch.setattr(f"followups.services.{name}", record)
    return calls


@pytest.mark.django_db(transaction=True)
def test_it_tells_the_engine_about_a_logged_rejection(user, user_client, now, engine):
    post_form(
        user_client,
        reverse("applications:log-rejection"),
        {
            "company_name": "Acme",
            "role_title": "Backend Engineer",
            "received_at": "2025-03-10T09:00",
            "channel": "email",
            "stage_reached": "interview",
        },
    )

    rejection = Rejection.objects.get(owner=user)
    # The application made on the fly is already over: no "reapplying" sync for it.
    assert engine == [("sync_rejection", rejection, True)]


def test_it_tells_the_engine_about_a_new_application_and_a_new_status(
    user, user_client, now, engine
):
    data = {
        "company_name": "Acme",
        "role_title": "Backend Engineer",
        "source": "board",
        "applied_on": "2025-03-10",
        "status": "applied",
    }
    post_form(user_client, reverse("applications:application-create"), data)
    application = Application.objects.get(owner=user)
    update = reverse("applications:application-update", args=[application.pk])
    user_client.post(update, {**data, "notes": "Typo fixed"})
    user_client.post(update, {**data, "status": "accepted"})

    assert [(name, obj) for name, obj, _ in engine] == [
        ("sync_application", application),
        ("sync_application", application),
    ]
    assert engine[-1][1].status == Application.Status.ACCEPTED


def test_it_tells_the_engine_about_interviews_created_and_moved(user, user_client, now, engine):
    application = ApplicationFactory(owner=user, applied_on=dt.date(2025, 3, 1))
    data = {"application": application.pk, "when": "2025-03-05T10:00", "kind": "video"}
    post_form(user_client, reverse("applications:interview-create"), data)
    interview = Interview.objects.get(owner=user)
    user_client.post(
        reverse("applications:interview-update", args=[interview.pk]),
        {**data, "when": "2025-03-06T10:00"},
    )

    assert [(name, obj) for name, obj, _ in engine] == [
        ("sync_interview", interview),
        ("sync_interview", interview),
    ]


def test_it_tells_the_engine_when_a_rejections_date_changes(user, user_client, now, engine):
    rejection = RejectionFactory(owner=user)

    user_client.post(
        reverse("applications:rejection-update", args=[rejection.pk]),
        {"received_at": "2025-03-09T09:00", "channel": "email", "stage_reached": "interview"},
    )

    assert [(name, obj) for name, obj, _ in engine] == [("sync_rejection", rejection)]


def test_it_tells_the_engine_about_feedback(user, now, engine):
    feedback = FeedbackFactory.build(owner=user, rejection=RejectionFactory(owner=user))

    services.record_feedback(feedback=feedback)

    assert engine == [("feedback_logged", feedback, True)]


def test_it_undoes_the_event_when_the_engine_fails(user, now, monkeypatch):
    application = ApplicationFactory(owner=user)

    def fail(**kwargs):
        raise RuntimeError("engine failed")

    monkeypatch.setattr("followups.services.sync_rejection", fail)

    with pytest.raises(RuntimeError):
        services.record_rejection(
            rejection=Rejection(owner=user, application=application, received_at=now)
        )

    application.refresh_from_db()
    assert application.status == Application.Status.APPLIED
    assert not Rejection.objects.filter(owner=user).exists()
