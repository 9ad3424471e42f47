import csv
import datetime as dt
import io
import json
import zipfile

import pytest
import time_machine
from django.urls import reverse

from applications.models import Application
from applications.services import log_rejection, record_feedback, record_interview
from followups import services as followups
from followups.models import FollowUp
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FeedbackFactory,
    ImprovementGoalFactory,
    InterviewFactory,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def _download(client) -> zipfile.ZipFile:
    response = client.get(reverse("mydata:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def search(user, other_user):
    with time_machine.travel(NOW, tick=False):
        rejection = log_rejection(
            owner=user,
            received_at=NOW - dt.timedelta(hours=2),
            company_name="Acme",
            role_title="Platform Engineer",
            contact_name="Dana Whitfield",
            contact_email="dana@acme.example",
        )
        application = rejection.application
        interview = InterviewFactory(owner=user, application=application)
        record_interview(interview=interview, interviewers=[rejection.contact])
        feedback = FeedbackFactory.build(owner=user, rejection=rejection)
        record_feedback(feedback=feedback)
        ImprovementGoalFactory(owner=user, feedback=feedback, what='=HYPERLINK("http://x")')
        thanks = FollowUp.objects.get(owner=user, kind=FollowUp.Kind.REJECTION_THANKS)
        followups.mark_done(
            followup=thanks, done_at=NOW, sent_text="Thank you for letting me know."
        )
        ContactFactory(owner=user, company=application.company, name="Lee Park")
        # Someone else's search, which must not appear.
        ApplicationFactory(owner=other_user, role_title="Secret role of another person")
    return rejection


def test_it_gives_a_zip_with_one_json_document_and_one_csv_per_kind(user_client, search):
    archive = _download(user_client)
    names = set(archive.namelist())
    assert {"open-doors.json", "README.txt"} <= names
    for kind in (
        "companies",
        "applications",
        "contacts",
        "interviews",
        "rejections",
        "feedback",
        "goals",
        "followups",
        "reminders",
    ):
        assert f"{kind}.csv" in names

    document = json.loads(archive.read("open-doors.json"))
    assert document["format"] == "open-doors-export"
    assert document["account"]["username"] == "sam"
    assert document["account"]["settings"]["time_zone"] == "Europe/Berlin"
    assert [c["name"] for c in document["companies"]] == ["Acme"]
    assert document["applications"][0]["role_title"] == "Platform Engineer"
    assert document["applications"][0]["status"] == Application.Status.REJECTED
    assert {c["name"] for c in document["contacts"]} == {"Dana Whitfield", "Lee Park"}
    assert document["interviews"][0]["interviewer_ids"] == [search.contact.pk]
    assert document["rejections"][0]["received_at"] == "2026-03-10T07:00:00Z"
    assert document["feedback"][0]["themes"] == ["experience_fit"]
    done = [f for f in document["followups"] if f["status"] == "done"]
    assert [f["sent_text"] for f in done] == ["Thank you for letting me know."]
    assert any(r["status"] == "pending" for r in document["reminders"])


def test_it_leaves_out_the_password_and_other_peoples_data(user_client, search, other_user):
    archive = _download(user_client)
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert "password" not in everything
    assert "md5$" not in everything
    assert "Secret role of another person" not in everything
    assert "intruder" not in everything


def test_its_csvs_have_a_header_row_iso_dates_and_no_live_formulas(user_client, search):
    archive = _download(user_client)
    applications = list(csv.DictReader(io.StringIO(archive.read("applications.csv").decode())))
    assert applications[0]["role_title"] == "Platform Engineer"
    assert applications[0]["applied_on"] == "2026-03-10"
    rejections = list(csv.DictReader(io.StringIO(archive.read("rejections.csv").decode())))
    assert rejections[0]["received_at"] == "2026-03-10T07:00:00Z"
    goals = list(csv.DictReader(io.StringIO(archive.read("goals.csv").decode())))
    # A spreadsheet shows this as text, not as a clickable formula.
    assert goals[0]["what"] == '\'=HYPERLINK("http://x")'
    # The JSON keeps the person's text exactly as written.
    document = json.loads(archive.read("open-doors.json"))
    assert document["goals"][0]["what"] == '=HYPERLINK("http://x")'


def test_it_needs_a_login(client):
    response = client.get(reverse("mydata:export"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
