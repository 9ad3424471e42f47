"""Logging a rejection in one form: company, application and contact made on the fly."""

import datetime as dt

import pytest
from django.urls import reverse

from applications.models import Application, Company, Contact, Rejection
from tests.applications.helpers import page_errors, page_text, post_form
from tests.factories import ApplicationFactory, RejectionFactory

URL = reverse("applications:log-rejection")

QUICK = {
    "company_name": "Globex Corporation",
    "role_title": "Platform Engineer",
    "received_at": "2025-03-11T09:30",
    "channel": "email",
    "stage_reached": "interview",
    "reason_given": "We went with someone with more Kubernetes experience.",
    "contact_name": "Priya Raman",
    "contact_email": "Priya.Raman@Globex.example",
}


def test_it_logs_a_rejection_for_a_new_company_and_lands_on_the_application_page(
    user, user_client, now
):
    response = post_form(user_client, URL, QUICK, follow=True)

    application = Application.objects.get(owner=user)
    assert response.redirect_chain[-1][0] == application.get_absolute_url()
    text = page_text(response)
    assert "Platform Engineer" in text
    assert "Globex Corporation" in text
    assert "Rejected" in text
    assert "Rejection logged" in text
    assert application.status == Application.Status.REJECTED
    assert application.company.name == "Globex Corporation"
    rejection = application.rejection
    assert rejection.stage_reached == Rejection.Stage.INTERVIEW
    # 09:30 typed in Berlin (UTC+1 in March) is 08:30 UTC.
    assert rejection.received_at == dt.datetime(2025, 3, 11, 8, 30, tzinfo=dt.UTC)
    assert rejection.contact.name == "Priya Raman"
    assert rejection.contact.email == "priya.raman@globex.example"
    assert rejection.contact.company == application.company


def test_it_reuses_a_company_typed_with_other_capitals_and_spaces(user, user_client, acme, now):
    post_form(user_client, URL, {**QUICK, "company_name": "  ACME   analytics "})

    assert Company.objects.filter(owner=user).count() == 1
    assert Application.objects.get(owner=user).company == acme


def test_it_reuses_the_open_application_for_the_same_role(user, user_client, application, now):
    response = post_form(
        user_client,
        URL,
        {**QUICK, "company_name": "acme analytics", "role_title": "backend engineer"},
    )

    assert response.url == application.get_absolute_url()
    assert Application.objects.filter(owner=user).count() == 1
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.applied_on == dt.date(2025, 2, 20)


def test_it_logs_a_rejection_from_the_application_page(user, user_client, application, now):
    page = user_client.get(application.get_absolute_url())
    assert f"{URL}?application={application.pk}" in page.content.decode()

    form = user_client.get(f"{URL}?application={application.pk}")
    assert "For Backend Engineer at Acme Analytics" in page_text(form)

    data = {k: v for k, v in QUICK.items() if k not in ("company_name", "role_title")}
    response = post_form(user_client, URL, {**data, "application": application.pk}, follow=True)

    assert response.redirect_chain[-1][0] == application.get_absolute_url()
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.rejection.contact.name == "Priya Raman"
    assert Company.objects.filter(owner=user).count() == 1


def test_it_reuses_a_known_contact_by_email(user, user_client, application, dana, now):
    post_form(
        user_client,
        URL,
        {
            **QUICK,
            "company_name": "Acme Analytics",
            "role_title": "Backend Engineer",
            "contact_name": "Dana W.",
            "contact_email": "DANA@acme.example",
        },
    )

    assert Contact.objects.filter(owner=user).count() == 1
    application.refresh_from_db()
    assert application.rejection.contact == dana


def test_it_needs_no_contact(user, user_client, now):
    post_form(user_client, URL, {**QUICK, "contact_name": "", "contact_email": ""})

    assert Rejection.objects.get(owner=user).contact is None
    assert not Contact.objects.filter(owner=user).exists()


def test_it_starts_with_now_in_the_persons_time_zone(user_client, now):
    response = user_client.get(URL)

    # 10:00 UTC is 11:00 in Berlin.
    assert 'value="2025-03-11T11:00"' in response.content.decode()


def test_it_refuses_an_application_that_already_has_a_rejection(user, user_client, now):
    rejection = RejectionFactory(owner=user)
    data = {k: v for k, v in QUICK.items() if k not in ("company_name", "role_title")}

    response = post_form(user_client, URL, {**data, "application": rejection.application.pk})

    assert response.status_code == 200
    assert any("already has a rejection" in e for e in page_errors(response))
    assert Rejection.objects.filter(owner=user).count() == 1


def test_it_saves_nothing_when_a_later_step_fails(user, user_client, now, monkeypatch):
    def engine_down(**kwargs):
        raise RuntimeError("engine down")

    monkeypatch.setattr("followups.services.sync_rejection", engine_down)

    with pytest.raises(RuntimeError):
        post_form(user_client, URL, QUICK)

    assert not Company.objects.filter(owner=user).exists()
    assert not Application.objects.filter(owner=user).exists()
    assert not Contact.objects.filter(owner=user).exists()


def test_it_is_one_click_away_on_every_page(user, user_client, now):
    ApplicationFactory(owner=user)
    for url in (reverse("applications:application-list"), reverse("applications:company-list")):
        content = user_client.get(url).content.decode()
        assert 'data-testid="nav-log-rejection"' in content
        assert f'href="{URL}"' in content
