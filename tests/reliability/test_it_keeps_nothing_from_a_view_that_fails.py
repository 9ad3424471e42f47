"""A page that fails after the engine created follow-ups leaves nothing behind: the event, its
follow-ups and their reminders are one transaction, and a request never puts anything on the
broker (so there is no task to run for rows that were rolled back). A real dispatcher run
afterwards sends nothing."""

import datetime as dt
import uuid
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Company, Contact, Interview, Rejection
from followups.models import FollowUp, Reminder
from tests.factories import ApplicationFactory, ContactFactory, UserFactory
from tests.reliability.conftest import BERLIN, any_time, spy_on_publishing

pytestmark = pytest.mark.processes


def local(moment: dt.datetime) -> str:
    return moment.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M")


def log_rejection(sam) -> tuple[str, dict]:
    return reverse("applications:log-rejection"), {
        "company_name": "Globex",
        "role_title": "Platform Engineer",
        "received_at": local(timezone.now() - dt.timedelta(hours=30)),
        "channel": "email",
        "stage_reached": "interview",
        "contact_name": "Priya Raman",
        "contact_email": "priya@globex.example",
    }


def log_interview(sam) -> tuple[str, dict]:
    application = ApplicationFactory(owner=sam, company__name="Initech")
    dana = ContactFactory(owner=sam, company=application.company)
    return reverse("applications:interview-create"), {
        "application": application.pk,
        "when": local(timezone.now() - dt.timedelta(hours=5)),
        "kind": "video",
        "interviewers": [dana.pk],
    }


@pytest.mark.parametrize(
    ("form", "breaks"),
    [(log_rejection, Application), (log_interview, Interview)],
    ids=["log-rejection", "interview-create"],
)
def test_a_view_that_fails_after_the_engine_ran_keeps_no_rows_and_enqueues_nothing(
    dispatchers, smtp_server, form, breaks
):
    """GIVEN Sam submits a form whose service creates follow-ups and reminders
    WHEN the view then fails (building the page it redirects to raises)
    THEN the answer is a 500, the event, its follow-ups and reminders are gone, nothing was
    put on the broker, and a dispatcher run a day later sends nothing."""
    sam = UserFactory(username="sam")
    any_time(sam)
    url, data = form(sam)
    before = {model: model.objects.count() for model in (Company, Contact, Application, Interview)}
    seen_inside: list[int] = []

    def fail(self):
        seen_inside.append(FollowUp.objects.filter(owner=sam).count())
        raise RuntimeError("the page broke after the engine ran")

    client = Client(raise_request_exception=False)
    client.force_login(sam, backend="django.contrib.auth.backends.ModelBackend")
    with spy_on_publishing() as publishes, mock.patch.object(breaks, "get_absolute_url", fail):
        response = client.post(url, {"form_token": str(uuid.uuid4()), **data})

    assert response.status_code == 500
    assert seen_inside and seen_inside[0] > 0  # the follow-ups existed when it failed
    assert publishes == []
    assert not FollowUp.objects.exists() and not Reminder.objects.exists()
    assert not Rejection.objects.exists()
    assert {model: model.objects.count() for model in before} == before

    dispatchers.run(now=timezone.now() + dt.timedelta(days=1))
    assert smtp_server.received == []
