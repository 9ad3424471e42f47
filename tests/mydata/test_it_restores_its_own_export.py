import datetime as dt
import io
import json
import zipfile

import pytest
import time_machine
from django.urls import reverse

from applications.models import Application, Company, Interview, Rejection
from applications.services import log_rejection, record_feedback, record_interview
from followups import services as followups
from followups.models import FollowUp, Reminder
from followups.replies import record_reply
from mydata.export import KINDS
from tests.factories import (
    ContactFactory,
    FeedbackFactory,
    ImprovementGoalFactory,
    InterviewFactory,
    UserFactory,
)
from tests.mydata.importing import upload, uploaded
from watch.models import BoardWatch

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def _export(client) -> tuple[bytes, dict]:
    response = client.get(reverse("mydata:export"))
    raw = b"".join(response.streaming_content)
    return raw, json.loads(zipfile.ZipFile(io.BytesIO(raw)).read("open-doors.json"))


def _without_ids(document: dict) -> dict:
    """The document with each id replaced by the row's place in its list."""
    place = {
        kind.name: {row["id"]: index for index, row in enumerate(document[kind.name])}
        for kind in KINDS
    }
    out = {"settings": document["account"]["settings"]}
    for kind in KINDS:
        rows = []
        for row in document[kind.name]:
            row = dict(row)
            del row["id"]
            for name, target in kind.refs.items():
                value = row[name]
                if isinstance(value, list):
                    row[name] = [place[target][v] for v in value]
                elif value is not None:
                    row[name] = place[target][value]
            rows.append(row)
        out[kind.name] = rows
    return out


@pytest.fixture
def search(user):
    user.profile.keep_in_touch_days = 120
    user.profile.save()
    with time_machine.travel(NOW - dt.timedelta(days=3), tick=False):
        rejection = log_rejection(
            owner=user,
            received_at=NOW - dt.timedelta(days=3, hours=2),
            company_name="Acme",
            role_title="Platform Engineer",
            contact_name="Dana Whitfield",
            contact_email="dana@acme.example",
        )
        interview = InterviewFactory(owner=user, application=rejection.application)
        record_interview(interview=interview, interviewers=[rejection.contact])
        feedback = record_feedback(feedback=FeedbackFactory.build(owner=user, rejection=rejection))
        ImprovementGoalFactory(owner=user, feedback=feedback)
        ContactFactory(owner=user, company=rejection.application.company, name="Lee Park")
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        thanks = FollowUp.objects.get(owner=user, kind=FollowUp.Kind.REJECTION_THANKS)
        followups.mark_done(followup=thanks, done_at=NOW - dt.timedelta(days=1), sent_text="Hi")
        # The door-care records travel too: a reply, and the company's watched job board.
        record_reply(
            followup=thanks, replied_on=(NOW - dt.timedelta(days=1)).date(), words="Thanks!"
        )
        BoardWatch.objects.create(
            owner=user,
            company=rejection.application.company,
            url="https://boards.greenhouse.io/acme",
            provider="greenhouse",
        )
    return rejection


def test_export_then_import_into_an_empty_account_then_export_gives_the_same_document(
    user_client, client_for, search
):
    with time_machine.travel(NOW, tick=False):
        raw, before = _export(user_client)
        newcomer = UserFactory(username="sam-on-another-server")
        client = client_for(newcomer)
        review = uploaded(client, raw, "open-doors-2026-03-10.zip")
        page = client.get(review).content.decode()
        assert "<li>1 applications</li>" in page and "<li>2 contacts</li>" in page
        response = client.post(review)
        assert response.status_code == 302
        _raw, after = _export(client)

    assert len(before["followups"]) >= 3
    assert any(f["status"] == "done" for f in before["followups"])
    assert any(r["status"] == "pending" for r in before["reminders"])
    assert before["replies"] and before["job_boards"]
    assert _without_ids(after) == _without_ids(before)
    # Restored follow-ups are the engine's own: re-saving the rejection and the interview
    # finds them (their keys were rebuilt on the new ids) instead of planning them again.
    count = FollowUp.objects.filter(owner=newcomer).count()
    with time_machine.travel(NOW, tick=False):
        followups.sync_rejection(rejection=Rejection.objects.get(owner=newcomer))
        followups.sync_interview(interview=Interview.objects.get(owner=newcomer))
    assert FollowUp.objects.filter(owner=newcomer).count() == count
    assert Reminder.objects.filter(owner=newcomer, status="pending").exists()


def test_the_json_document_alone_works_too(user_client, client_for, search):
    raw, _before = _export(user_client)
    document = zipfile.ZipFile(io.BytesIO(raw)).read("open-doors.json")
    client = client_for(UserFactory(username="newcomer"))
    client.post(uploaded(client, document, "open-doors.json"))
    assert Application.objects.filter(owner__username="newcomer").count() == 1


def test_an_account_with_records_is_not_doubled(user, user_client, search):
    raw, _before = _export(user_client)
    review = uploaded(user_client, raw, "open-doors.zip")
    assert "can only be imported into an empty account" in user_client.get(review).content.decode()
    response = user_client.post(review)
    assert "can only be imported into an empty account" in response.content.decode()
    assert Company.objects.filter(owner=user).count() == 1


def test_a_tampered_export_imports_nothing(user_client, client_for, search):
    _raw, before = _export(user_client)
    before["contacts"][1]["email"] = "not an email"
    client = client_for(UserFactory(username="newcomer"))
    response = client.post(uploaded(client, json.dumps(before).encode(), "open-doors.json"))
    assert "not a complete Open Doors export" in response.content.decode()
    assert not Company.objects.filter(owner__username="newcomer").exists()

    cut = json.dumps(before).encode()[:500]
    page = upload(client, cut, "open-doors.json").content.decode()
    assert "not a complete Open Doors export" in page


def test_a_restore_after_a_deadline_passed_emails_nothing_for_it(user_client, client_for, search):
    """GIVEN an export with a pending feedback nudge reminded for next week
    WHEN it is imported a year later
    THEN that reminder is cancelled and a dispatch sends the newcomer nothing."""
    from django.core import mail

    from followups.outbox import dispatch_due_reminders

    with time_machine.travel(NOW, tick=False):
        raw, before = _export(user_client)
    pending = [r for r in before["reminders"] if r["status"] == "pending"]
    assert pending
    later = NOW + dt.timedelta(days=365)
    with time_machine.travel(later, tick=False):
        client = client_for(UserFactory(username="newcomer"))
        client.post(uploaded(client, raw, "open-doors.zip"))
        mine = Reminder.objects.filter(owner__username="newcomer")
        assert mine.count() == len(before["reminders"])
        assert not mine.filter(status="pending", followup__deadline_at__lte=later).exists()
        dispatch_due_reminders(now=later)

    # (Sam's own account, still there, is reminded: "overdue since".)
    assert all("newcomer@example.com" not in m.to for m in mail.outbox)
    assert any("sam@example.com" in m.to for m in mail.outbox)
