"""Paste or upload an email on "Log a rejection": the form comes back filled, nothing saved."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application, Company, Contact, Rejection
from tests.capture.conftest import email_bytes
from tests.factories import ApplicationFactory, CompanyFactory

URL = reverse("capture:from-email")


def field_value(response, name: str) -> str:
    form = response.context["form"]
    return str(form[name].value() or "")


def nothing_saved(owner) -> bool:
    return not (
        Rejection.objects.filter(owner=owner).exists()
        or Application.objects.filter(owner=owner).exists()
        or Company.objects.filter(owner=owner).exists()
        or Contact.objects.filter(owner=owner).exists()
    )


def test_it_fills_the_form_from_a_pasted_email_and_says_why(user, user_client, now):
    response = user_client.post(
        URL, {"email_text": email_bytes("09_personal_dana_quoted.eml").decode()}
    )

    assert response.status_code == 200
    assert field_value(response, "company_name") == "Fabrikam"
    assert field_value(response, "role_title") == "Staff Engineer"
    assert field_value(response, "contact_name") == "Dana Whitfield"
    assert field_value(response, "contact_email") == "dana.whitfield@fabrikam.com"
    assert field_value(response, "channel") == "email"
    assert "Kubernetes in production" in field_value(response, "reason_given")
    # Received: the email's Date (16:02 UTC) in Sam's zone, Berlin.
    assert 'value="2026-11-20T17:02"' in response.content.decode()
    page = response.content.decode()
    assert "Decided by: “decided not to move forward with your candidacy”" in page
    assert "A company you haven't logged yet" in page
    assert "The door is open: “stay in touch”" in page
    # The prefilled form is the normal one, sent to the normal view.
    assert f'action="{reverse("applications:log-rejection")}"' in page
    assert nothing_saved(user)


def test_it_reads_an_uploaded_eml_file(user, user_client, now):
    upload = SimpleUploadedFile(
        "rejection.eml", email_bytes("13_latin1_de_sonnenschein.eml"), "message/rfc822"
    )
    response = user_client.post(URL, {"email_file": upload})

    assert field_value(response, "company_name") == "Sonnenschein Energie AG"
    assert field_value(response, "role_title") == "Projektmanager"
    assert "Decided by: “Ihre Bewerbung nicht weiter berücksichtigen”" in response.content.decode()
    assert nothing_saved(user)


def test_it_names_the_application_it_matched_and_saving_uses_it(user, user_client, now):
    fabrikam = CompanyFactory(owner=user, name="Fabrikam")
    application = ApplicationFactory(
        owner=user, company=fabrikam, role_title="Staff engineer", applied_on=dt.date(2026, 10, 1)
    )
    response = user_client.post(
        URL, {"email_text": email_bytes("09_personal_dana_quoted.eml").decode()}
    )
    page = response.content.decode()
    assert "Matches your application: Staff engineer at Fabrikam (applied Thu 1 Oct)" in page
    assert field_value(response, "role_title") == "Staff engineer"

    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["received_at"] = "2026-11-20T17:02"
    saved = user_client.post(reverse("applications:log-rejection"), data)

    assert saved.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert Application.objects.filter(owner=user).count() == 1
    rejection = application.rejection
    assert rejection.received_at == dt.datetime(2026, 11, 20, 16, 2, tzinfo=dt.UTC)
    assert rejection.contact.email == "dana.whitfield@fabrikam.com"


def test_a_typo_in_the_company_still_matches(user, user_client, now):
    CompanyFactory(owner=user, name="Fabrikan")  # as the person typed it once
    response = user_client.post(
        URL, {"email_text": email_bytes("01_greenhouse_fabrikam.eml").decode()}
    )
    assert field_value(response, "company_name") == "Fabrikan"
    assert "Matches your company Fabrikan" in response.content.decode()


def test_another_persons_company_is_never_matched(user, other_user, user_client, now):
    CompanyFactory(owner=other_user, name="Fabrikam")
    response = user_client.post(
        URL, {"email_text": email_bytes("01_greenhouse_fabrikam.eml").decode()}
    )
    assert "A company you haven't logged yet" in response.content.decode()


def test_not_a_rejection_says_so_and_offers_the_plain_form(user, user_client, now):
    response = user_client.post(
        URL, {"email_text": email_bytes("n01_interview_invite_greenhouse.eml").decode()}
    )
    page = response.content.decode()
    assert "This doesn't look like a rejection." in page
    assert "Not a rejection: it invites you to a next step." in page
    assert field_value(response, "company_name") == ""
    assert nothing_saved(user)


def test_a_missing_date_is_said_and_received_is_left_for_the_person(user, user_client, now):
    raw = (
        "From: Dana Whitfield <dana@fabrikam.example>\nSubject: Your application\n\n"
        "We have decided to move forward with other candidates.\n"
    )
    response = user_client.post(URL, {"email_text": raw})
    page = response.content.decode()
    assert "The email has no Date: set when it arrived yourself." in page
    assert 'value="2026-12-02T10:00"' in page  # the form's usual "now", in Berlin
    assert nothing_saved(user)


def test_email_text_is_escaped_and_its_links_are_not_links(user, user_client, now):
    raw = (
        'From: "<script>alert(1)</script> Hiring" <jobs@evil.example>\n'
        "Subject: Your application\nDate: Tue, 10 Nov 2026 10:00:00 +0000\n\n"
        "We have decided to move forward with other candidates. "
        "See https://evil.example/phish?<b>now</b>\n"
    )
    response = user_client.post(URL, {"email_text": raw})
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert 'href="https://evil.example' not in page
    assert "<b>now</b>" not in page


def test_the_open_door_phrases_are_proposed_and_kept_only_as_confirmed(user, user_client, now):
    """GIVEN an email that says "stay in touch"
    WHEN it is pasted, the person edits the proposed phrases and logs the rejection
    THEN the rejection keeps what the person confirmed, which makes the door a stronger one."""
    response = user_client.post(
        URL, {"email_text": email_bytes("09_personal_dana_quoted.eml").decode()}
    )
    assert "stay in touch" in field_value(response, "open_door_signals")
    assert nothing_saved(user)

    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["received_at"] = "2026-11-20T17:02"
    data["open_door_signals"] = "stay in touch\nwe would love to hear from you again"
    user_client.post(reverse("applications:log-rejection"), data)

    rejection = Rejection.objects.get(owner=user)
    assert rejection.open_door_signals == ["stay in touch", "we would love to hear from you again"]
