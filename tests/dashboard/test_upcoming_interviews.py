"""The dashboard shows the interviews still ahead, soonest first, with the day they are on."""

import datetime as dt

import pytest
import time_machine

from tests.factories import InterviewFactory

NOW = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def test_it_lists_upcoming_interviews_soonest_first(user, user_client, other_user):
    later = InterviewFactory(
        owner=user, when=NOW + dt.timedelta(days=6), application__role_title="Data Engineer"
    )
    sooner = InterviewFactory(
        owner=user,
        when=NOW + dt.timedelta(days=1, hours=4),
        application__role_title="Platform Engineer",
    )
    InterviewFactory(owner=user, when=NOW - dt.timedelta(days=1))  # already happened
    InterviewFactory(owner=other_user, when=NOW + dt.timedelta(days=2))

    page = user_client.get("/dashboard/").content.decode()

    start = page.index('data-testid="card-interviews"')
    card = page[start : page.index("</section>", start)]
    assert card.count('data-testid="interview-row"') == 2
    assert card.index("Platform Engineer") < card.index("Data Engineer")
    # 14:00 UTC is 15:00 in Berlin.
    assert "Wed 12 Mar, 15:00" in card
    assert sooner.get_absolute_url() in card and later.get_absolute_url() in card


def test_it_says_when_none_are_ahead(user_client):
    page = user_client.get("/dashboard/").content.decode()
    assert 'data-testid="interviews-empty"' in page
