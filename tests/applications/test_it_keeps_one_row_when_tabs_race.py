"""Two tabs saving the same thing at the same moment, on PostgreSQL: the database's unique
constraints keep one row, and both tabs get a page (the one saved, or a message), never a
500. Each test holds the first request's transaction open after its form was checked, so the
twin passes the same checks and meets the constraint. Also: editing an application that was
saved elsewhere since the page was opened warns instead of overwriting."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from applications import services, views
from applications.models import Application, Company, Contact, Rejection
from tests.applications.helpers import fresh_token, page_errors
from tests.factories import ApplicationFactory, CompanyFactory, UserFactory


def both_at_once(person, url: str, data: dict) -> list:
    """Post `data` from two logged-in tabs at once, each with its own form token."""
    start = threading.Barrier(2)
    responses = []

    def submit() -> None:
        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        start.wait()
        try:
            responses.append(client.post(url, {**data, "form_token": fresh_token()}))
        except Exception as exc:  # a 500 the test client re-raised
            responses.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


def slowed(monkeypatch, owner, name: str) -> None:
    real = getattr(owner, name)

    def slow(*args, **kwargs):
        time.sleep(0.4)  # both requests have passed their form checks by now
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, slow)


def assert_pages(responses) -> None:
    assert len(responses) == 2
    for response in responses:
        assert not isinstance(response, Exception), repr(response)
        assert response.status_code in (200, 302), response.status_code


@pytest.mark.usefixtures("needs_postgres")
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_tabs_creating_the_same_company_give_one(monkeypatch):
    person = UserFactory(username="racer")
    slowed(monkeypatch, views.OwnedFormMixin, "perform")

    responses = both_at_once(person, reverse("applications:company-create"), {"name": "Initech"})

    assert_pages(responses)
    company = Company.objects.get(owner=person)
    assert all(r["Location"] == company.get_absolute_url() for r in responses)


@pytest.mark.usefixtures("needs_postgres")
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_tabs_logging_a_rejection_for_the_same_application_give_one(monkeypatch):
    person = UserFactory(username="racer")
    application = ApplicationFactory(owner=person, company__name="Initech")
    slowed(monkeypatch, services, "record_rejection")
    data = {
        "application": application.pk,
        "company_name": "Initech",
        "role_title": application.role_title,
        "received_at": (dt.datetime.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "channel": "email",
        "stage_reached": "application",
    }

    responses = both_at_once(person, reverse("applications:log-rejection"), data)

    assert_pages(responses)
    assert Rejection.objects.filter(owner=person).count() == 1
    assert all(r["Location"] == application.get_absolute_url() for r in responses)


@pytest.mark.usefixtures("needs_postgres")
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_tabs_adding_the_same_contact_give_one(monkeypatch):
    person = UserFactory(username="racer")
    company = CompanyFactory(owner=person, name="Initech")
    slowed(monkeypatch, views.OwnedFormMixin, "perform")
    data = {
        "company": company.pk,
        "name": "Dana",
        "email": "dana@initech.example",
        "role": "recruiter",
    }

    responses = both_at_once(person, reverse("applications:contact-create"), data)

    assert_pages(responses)
    contact = Contact.objects.get(owner=person)
    assert all(r["Location"] == contact.get_absolute_url() for r in responses)


@pytest.mark.usefixtures("needs_postgres")
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_the_contact_service_returns_the_row_a_twin_made(monkeypatch):
    person = UserFactory(username="racer")
    company = CompanyFactory(owner=person, name="Initech")
    found = []
    start = threading.Barrier(2)

    def add() -> None:
        start.wait()
        try:
            found.append(
                services.find_or_create_contact(
                    owner=person, company=company, name="Dana", email="Dana@Initech.example"
                )
            )
        finally:
            connection.close()

    real_filter = Contact.objects.owned_by

    def owned_by_after_a_pause(owner):
        qs = real_filter(owner)
        time.sleep(0.3)  # both look before either inserts
        return qs

    monkeypatch.setattr(Contact.objects, "owned_by", owned_by_after_a_pause)
    threads = [threading.Thread(target=add) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(found) == 2
    assert found[0].pk == found[1].pk == Contact.objects.get(owner=person).pk


# --- Editing what changed since the page was opened ------------------------------------------


def edit_data(application, **changes) -> dict:
    return {
        "company_name": application.company.name,
        "role_title": application.role_title,
        "applied_on": application.applied_on.isoformat(),
        "status": application.status,
        "source": application.source,
        "notes": application.notes,
    } | changes


def loaded_version(page) -> str:
    return page.context["form"]["loaded_version"].value()


def test_saving_over_a_change_made_elsewhere_warns_and_keeps_it(user, user_client):
    application = ApplicationFactory(owner=user, role_title="Backend Engineer")
    url = reverse("applications:application-update", args=[application.pk])
    version = loaded_version(user_client.get(url))
    # Meanwhile, another tab saves a new status.
    other_tab = user_client.post(
        url, edit_data(application, status="interviewing", loaded_version=version)
    )
    assert other_tab.status_code == 302

    stale = user_client.post(
        url, edit_data(application, role_title="Platform Engineer", loaded_version=version)
    )

    assert stale.status_code == 200
    [message] = page_errors(stale)
    assert "was changed after you opened it" in message
    application.refresh_from_db()
    assert application.status == "interviewing"
    assert application.role_title == "Backend Engineer"
    # Sending the form again (it now carries the newer version) is a deliberate overwrite.
    again = user_client.post(
        url,
        edit_data(
            application,
            role_title="Platform Engineer",
            status="applied",
            loaded_version=loaded_version(stale),
        ),
    )
    assert again.status_code == 302
    application.refresh_from_db()
    assert application.role_title == "Platform Engineer"


def test_an_edit_with_nothing_changed_elsewhere_saves(user, user_client):
    application = ApplicationFactory(owner=user, role_title="Backend Engineer")
    url = reverse("applications:application-update", args=[application.pk])
    version = loaded_version(user_client.get(url))

    response = user_client.post(
        url, edit_data(application, role_title="Platform Engineer", loaded_version=version)
    )

    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).role_title == "Platform Engineer"
