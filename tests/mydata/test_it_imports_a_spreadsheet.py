import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from applications.models import Application, Company, Contact, Rejection
from followups.models import FollowUp, Reminder
from followups.outbox import dispatch_due_reminders
from mydata.importer import guess_mapping
from tests.factories import CompanyFactory
from tests.mydata.importing import import_file, mapping, uploaded, uploads_left

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC)

SHEET = (
    "Company;Position;Date applied;Status;Link;Notes;Contact\r\n"
    "Société Générale;Data Engineer;05.03.2026;Applied;https://jobs.example/1;Café chat;\r\n"
    "acme;Platform Engineer;2026-02-01;Rejected;;;Dana Whitfield\r\n"
    "ACME ;SRE;2026-03-02;Interviewing;;;\r\n"
    "Globex;Backend Engineer;2026-03-01;Maybe later;;;\r\n"
    ";Nameless role;2026-03-01;Applied;;;\r\n"
    "Initech;Analyst;2026-02-30;Applied;;;\r\n"
)
FIELDS = ("company", "role_title", "applied_on", "status", "job_url", "notes", "contact_name")


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def test_it_guesses_common_headers():
    assert guess_mapping(
        ["Company", "Job Title", "Date Applied", "Status", "URL", "Notes", "Recruiter", "E-mail"]
    ) == [
        "company",
        "role_title",
        "applied_on",
        "status",
        "job_url",
        "notes",
        "contact_name",
        "contact_email",
    ]
    assert guess_mapping(["Firma", "Role", "Date", "Stage", "Comments", "Whatever"]) == [
        "company",
        "role_title",
        "applied_on",
        "status",
        "notes",
        "",
    ]


def test_the_review_page_shows_the_guess_and_then_created_merged_and_refused_rows(
    user, user_client
):
    CompanyFactory(owner=user, name="Acme")
    review = uploaded(user_client, SHEET.encode("cp1252"))

    page = user_client.get(review).content.decode()
    assert "read as Windows-1252, separated by semicolons" in page
    assert '<option value="role_title" selected>' in page
    assert "Société Générale" in page

    page = user_client.get(review, mapping(*FIELDS)).content.decode()
    assert "<strong>1</strong> new, <strong>2</strong> added to a company already known" in page
    assert "<strong>3</strong> left out" in page
    assert "Added to Acme, already in your account." in page
    assert "Unknown status “Maybe later”: use one of Applied, Interviewing" in page
    assert "No company." in page
    assert "Date applied: “2026-02-30” is not a real day." in page
    # Nothing is saved before the confirmation.
    assert Application.objects.filter(owner=user).count() == 0


def test_confirming_imports_the_rows_and_a_second_import_creates_nothing(user, user_client):
    CompanyFactory(owner=user, name="Acme")
    response = import_file(user_client, SHEET.encode("cp1252"), FIELDS)

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:application-list")
    apps = {a.role_title: a for a in Application.objects.filter(owner=user)}
    assert set(apps) == {"Data Engineer", "Platform Engineer", "SRE"}
    assert apps["Data Engineer"].company.name == "Société Générale"
    assert apps["Data Engineer"].applied_on == dt.date(2026, 3, 5)
    assert apps["Data Engineer"].job_url == "https://jobs.example/1"
    assert apps["Data Engineer"].notes == "Café chat"
    assert apps["SRE"].status == Application.Status.INTERVIEWING
    assert apps["SRE"].company == apps["Platform Engineer"].company
    assert Company.objects.filter(owner=user).count() == 2
    assert Contact.objects.get(owner=user).name == "Dana Whitfield"
    assert uploads_left() == 0

    again = import_file(user_client, SHEET.encode("cp1252"), FIELDS)
    assert again.status_code == 302
    assert Application.objects.filter(owner=user).count() == 3
    assert Company.objects.filter(owner=user).count() == 2
    assert Rejection.objects.filter(owner=user).count() == 1
    assert FollowUp.objects.filter(owner=user).count() == 2


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ";"), ("utf-8", "\t"), ("utf-8-sig", ";")],
)
def test_it_reads_every_common_encoding_and_delimiter(user, user_client, encoding, delimiter):
    rows = [["Company", "Role", "Date applied"], ["Zürich Bank", "Quant, Senior", "2026-03-01"]]
    text = "\r\n".join(
        delimiter.join(f'"{c}"' if delimiter in c or "," in c else c for c in row) for row in rows
    )
    response = import_file(
        user_client, text.encode(encoding), ("company", "role_title", "applied_on")
    )
    assert response.status_code == 302
    application = Application.objects.get(owner=user)
    assert (application.company.name, application.role_title) == ("Zürich Bank", "Quant, Senior")


def test_a_rejected_row_schedules_only_the_followups_still_ahead_and_emails_nothing_past(
    user, user_client
):
    """GIVEN a spreadsheet row "rejected" on 1 Feb (seven weeks ago)
    WHEN it is imported on 20 Mar
    THEN the rejection is recorded (from Dana); the thank-you (due within 48 h of 1 Feb) gets no reminder
    and no email goes out for it, while the 90-day check-in (early May) is reminded as usual."""
    sheet = (
        "Company,Role,Applied,Status,Rejected on,Recruiter email\n"
        "Acme,Platform Engineer,2026-01-10,Rejected,2026-02-01,dana@acme.example\n"
    )
    import_file(
        user_client,
        sheet.encode(),
        ("company", "role_title", "applied_on", "status", "rejected_on", "contact_email"),
    )
    rejection = Rejection.objects.get(owner=user)
    assert rejection.received_at.date() == dt.date(2026, 2, 1)
    thanks = FollowUp.objects.get(rejection=rejection, kind=FollowUp.Kind.REJECTION_THANKS)
    check_in = FollowUp.objects.get(rejection=rejection, kind=FollowUp.Kind.CHECK_IN)
    assert thanks.deadline_at < NOW
    assert not thanks.reminders.filter(status__in=Reminder.ACTIVE_STATUSES).exists()
    assert check_in.reminders.get().status == Reminder.Status.PENDING

    dispatch_due_reminders(now=NOW + dt.timedelta(hours=1))
    assert mail.outbox == []


def test_a_rejected_row_with_one_date_is_rejected_on_that_date(user, user_client):
    sheet = "Company,Role,Date,Status,Contact\nAcme,SRE,2026-03-18,rejected,Dana Whitfield\n"
    import_file(
        user_client,
        sheet.encode(),
        ("company", "role_title", "applied_on", "status", "contact_name"),
    )
    rejection = Rejection.objects.get(owner=user)
    assert rejection.received_at.date() == dt.date(2026, 3, 18)
    assert rejection.application.status == Application.Status.REJECTED
    # Still ahead: its thank-you is reminded.
    thanks = FollowUp.objects.get(rejection=rejection, kind=FollowUp.Kind.REJECTION_THANKS)
    assert thanks.deadline_at > NOW
    assert thanks.reminders.get().status == Reminder.Status.PENDING


def test_another_persons_upload_is_not_found(user_client, client_for, other_user):
    review = uploaded(user_client, b"Company,Role,Date\nAcme,SRE,2026-03-01\n")
    intruder = client_for(other_user)
    assert intruder.get(review).status_code == 404
    assert intruder.post(review, mapping("company", "role_title", "applied_on")).status_code == 404
    assert Application.objects.count() == 0


def test_the_your_data_page_leads_to_the_import(user_client):
    page = user_client.get(reverse("mydata:overview")).content.decode()
    assert f'href="{reverse("mydata:import")}"' in page
    upload_page = user_client.get(reverse("mydata:import")).content.decode()
    assert 'type="file"' in upload_page
