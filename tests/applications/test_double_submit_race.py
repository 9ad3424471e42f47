"""Two submits of one form at the same moment, on PostgreSQL: the database keeps one.

The second request's token insert waits on the first transaction's row lock, then hits
the unique constraint, so it shows what the first one saved instead of saving again.
"""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from applications import services
from applications.models import Application, Company
from tests.applications.helpers import fresh_token
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_it_saves_one_application_when_two_submits_race(needs_postgres, monkeypatch):
    person = UserFactory(username="racer")
    real = services.get_or_create_company

    def slow(**kwargs):
        company = real(**kwargs)
        time.sleep(0.5)  # hold the transaction open while the twin arrives
        return company

    monkeypatch.setattr(services, "get_or_create_company", slow)
    data = {
        "company_name": "Initech",
        "role_title": "Backend Engineer",
        "source": "board",
        "applied_on": "2025-03-10",
        "status": "applied",
        "form_token": fresh_token(),
    }
    start = threading.Barrier(2)
    responses = []

    def submit() -> None:
        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        start.wait()
        try:
            responses.append(client.post(reverse("applications:application-create"), data))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert Application.objects.filter(owner=person).count() == 1
    assert Company.objects.filter(owner=person).count() == 1
    application = Application.objects.get(owner=person)
    assert sorted(r.status_code for r in responses) == [302, 302]
    assert {r.url for r in responses} == {application.get_absolute_url()}
