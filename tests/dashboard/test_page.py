"""The dashboard page: `/` for a logged-in person, the landing page for visitors, and what
a new person is asked to do first."""

import datetime as dt

import pytest
import time_machine

from tests.factories import ApplicationFactory

NOW = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)
CARDS = ("due-now", "coming-up", "open-doors", "cooling-off", "keep-going", "habits", "goals")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def test_visitors_see_the_landing_page(client):
    page = client.get("/").content.decode()

    assert "A rejection is not the end of the conversation." in page
    assert 'data-testid="card-due-now"' not in page


def test_a_logged_in_person_sees_every_card_at_the_root(user_client):
    response = user_client.get("/")

    page = response.content.decode()
    assert "dashboard/dashboard.html" in [template.name for template in response.templates]
    for card in CARDS:
        assert f'data-testid="card-{card}"' in page


def test_the_dashboard_url_needs_a_login(client):
    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_a_new_person_is_told_where_to_start(user_client):
    page = user_client.get("/").content.decode()

    assert 'data-testid="card-start"' in page
    assert "Log your first application" in page
    assert 'href="/applications/new/"' in page
    assert 'href="/log-rejection/"' in page


def test_the_start_card_goes_once_something_is_logged(user, user_client):
    ApplicationFactory(owner=user)

    page = user_client.get("/").content.decode()

    assert 'data-testid="card-start"' not in page
