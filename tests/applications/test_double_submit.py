"""A double-clicked submit saves one row: the form's one-time token is claimed on the server."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from applications.models import Application, Company, FormSubmission, Rejection
from tests.applications.helpers import fresh_token, page_errors, page_text

APPLICATION = {
    "company_name": "Initech",
    "role_title": "Backend Engineer",
    "source": "board",
    "applied_on": "2025-03-10",
    "status": "applied",
}
LOG = {
    "company_name": "Initech",
    "role_title": "Data Engineer",
    "received_at": "2025-03-10T09:00",
    "channel": "email",
    "stage_reached": "application",
}


def test_it_saves_one_application_when_the_form_is_sent_twice(user, user_client, now):
    url = reverse("applications:application-create")
    data = {**APPLICATION, "form_token": fresh_token()}

    first = user_client.post(url, data)
    second = user_client.post(url, data, follow=True)

    assert Application.objects.filter(owner=user).count() == 1
    application = Application.objects.get(owner=user)
    assert first.url == application.get_absolute_url()
    assert second.redirect_chain[-1][0] == application.get_absolute_url()
    assert "it was saved once" in page_text(second)


def test_it_logs_one_rejection_when_the_form_is_sent_twice(user, user_client, now):
    url = reverse("applications:log-rejection")
    data = {**LOG, "form_token": fresh_token()}

    user_client.post(url, data)
    second = user_client.post(url, data)

    assert Rejection.objects.filter(owner=user).count() == 1
    assert Application.objects.filter(owner=user).count() == 1
    assert Company.objects.filter(owner=user).count() == 1
    assert second.url == Application.objects.get(owner=user).get_absolute_url()


def test_it_saves_one_company_when_the_form_is_sent_twice(user, user_client, now):
    url = reverse("applications:company-create")
    data = {"name": "Initech", "form_token": fresh_token()}

    user_client.post(url, data)
    user_client.post(url, data)

    assert Company.objects.filter(owner=user).count() == 1


def test_it_saves_again_with_a_new_token(user, user_client, now):
    url = reverse("applications:application-create")

    user_client.post(url, {**APPLICATION, "form_token": fresh_token()})
    user_client.post(url, {**APPLICATION, "form_token": fresh_token()})

    assert Application.objects.filter(owner=user).count() == 2


def test_it_refuses_a_create_form_without_its_token_and_offers_a_new_one(user, user_client, now):
    url = reverse("applications:application-create")

    response = user_client.post(url, APPLICATION)

    assert response.status_code == 200
    assert "This form had expired. Check it and send it again." in page_errors(response)
    assert 'name="form_token" value="' in response.content.decode()
    assert 'name="form_token" value=""' not in response.content.decode()
    assert not Application.objects.filter(owner=user).exists()


def test_it_renders_a_fresh_token_each_time(user_client):
    url = reverse("applications:company-create")

    first = user_client.get(url).context["form"]["form_token"].value()
    second = user_client.get(url).context["form"]["form_token"].value()

    assert first and second and first != second


def test_it_lets_the_database_refuse_a_token_used_twice(user):
    token = fresh_token()
    FormSubmission.objects.create(owner=user, token=token)

    with pytest.raises(IntegrityError):
        FormSubmission.objects.create(owner=user, token=token)
