"""“Log a rejection” finds the application the person means before it creates another."""

import datetime as dt

import pytest
from django.urls import reverse

from applications.models import Application, Rejection
from tests.applications.helpers import field_errors, page_text, post_form
from tests.factories import ApplicationFactory, InterviewFactory

URL = reverse("applications:log-rejection")

FORM = {
    "company_name": "Acme Analytics",
    "role_title": "Data Engineer 2",
    "received_at": "2025-03-11T09:30",
    "channel": "email",
    "stage_reached": "application",
}


@pytest.fixture
def data_engineer(user, acme):
    return ApplicationFactory(
        owner=user, company=acme, role_title="Data Engineer II", applied_on=dt.date(2025, 2, 3)
    )


@pytest.mark.parametrize("typed", ["Data Engineer 2", "data-engineer ii", "DATA ENGINEER (II)"])
def test_a_close_role_asks_did_you_mean_and_saves_nothing(
    user, user_client, data_engineer, now, typed
):
    response = post_form(user_client, URL, {**FORM, "role_title": typed})

    assert response.status_code == 200
    assert "Did you mean “Data Engineer II” at Acme Analytics?" in " ".join(
        field_errors(response, "role_title")
    )
    text = page_text(response)
    assert "Which application is it?" in text
    assert "A different role: add a new application" in text
    assert Application.objects.filter(owner=user).count() == 1
    assert not Rejection.objects.exists()


def test_picking_the_suggestion_logs_the_rejection_on_it(user, user_client, data_engineer, now):
    post_form(user_client, URL, {**FORM, "pick": str(data_engineer.pk)})

    data_engineer.refresh_from_db()
    assert data_engineer.rejection.stage_reached == Rejection.Stage.APPLICATION
    assert Application.objects.filter(owner=user).count() == 1


def test_a_different_role_creates_a_new_application(user, user_client, data_engineer, now):
    post_form(user_client, URL, {**FORM, "pick": "new"})

    assert Application.objects.filter(owner=user).count() == 2
    assert Application.objects.get(owner=user, role_title="Data Engineer 2").rejection


def test_an_unrelated_role_is_created_without_asking(user, user_client, data_engineer, now):
    post_form(user_client, URL, {**FORM, "role_title": "Product Designer"})

    assert Application.objects.filter(owner=user).count() == 2


def test_the_stage_defaults_from_the_record(user, user_client, data_engineer, now):
    InterviewFactory(owner=user, application=data_engineer)

    asked = post_form(user_client, URL, FORM)
    assert 'value="interview" selected' in asked.content.decode()

    page = user_client.get(URL, {"application": data_engineer.pk}).content.decode()
    assert 'value="interview" selected' in page


def test_company_and_role_are_marked_required(user_client, now):
    page = user_client.get(URL).content.decode()
    for name in ("company_name", "role_title"):
        tag = page[page.index(f'name="{name}"') - 300 : page.index(f'name="{name}"') + 200]
        assert "required" in tag, name
    assert page.count('class="asteriskField"') >= 2


def test_typing_the_company_offers_its_open_applications(user, user_client, data_engineer, now):
    ApplicationFactory(owner=user, company=data_engineer.company, role_title="Analytics Lead")
    url = reverse("applications:log-rejection-open-applications")

    panel = user_client.get(url, {"company_name": "acme analytics"}, HTTP_HX_REQUEST="true")

    text = panel.content.decode()
    assert "Open applications at Acme Analytics" in text
    assert f'value="{data_engineer.pk}"' in text and 'data-role="Data Engineer II"' in text
    assert "Analytics Lead" in text
    assert "None of these: a new application" in text
    assert user_client.get(url, {"company_name": "Nowhere"}).content.decode().strip() == ""
    form = user_client.get(URL).content.decode()
    assert f'hx-get="{url}"' in form and 'id="open-applications"' in form


def test_picking_an_open_application_uses_it_whatever_the_role_says(
    user, user_client, data_engineer, now
):
    post_form(
        user_client,
        URL,
        {**FORM, "role_title": "Something Else", "pick": str(data_engineer.pk)},
    )

    data_engineer.refresh_from_db()
    assert data_engineer.rejection
    assert Application.objects.filter(owner=user).count() == 1


def test_another_persons_company_offers_nothing(other_user, client_for, user, data_engineer, now):
    url = reverse("applications:log-rejection-open-applications")
    text = client_for(other_user).get(url, {"company_name": "Acme Analytics"}).content.decode()
    assert "Data Engineer II" not in text
