"""The cooling-off card: companies inside the reapply cooldown, with the day it ends."""

import datetime as dt

import pytest
import time_machine

from dashboard import cards as dashboard
from tests.factories import ApplicationFactory, CompanyFactory, RejectionFactory

NOW = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def rejected(user, name: str, days_ago: int, **company_fields):
    company = CompanyFactory(owner=user, name=name, **company_fields)
    application = ApplicationFactory(owner=user, company=company, status="rejected")
    RejectionFactory(
        owner=user, application=application, received_at=NOW - dt.timedelta(days=days_ago)
    )
    return company


def test_it_lists_companies_inside_the_cooldown_with_the_end_date(user):
    rejected(user, "Recent", days_ago=10)
    rejected(user, "Almost", days_ago=85)
    rejected(user, "Over", days_ago=90)
    rejected(user, "Closed", days_ago=5, door_closed_at=NOW)

    card = dashboard.cooling_off(user, NOW)

    assert [(row.company, row.ends_on, row.days_left) for row in card.rows] == [
        ("Almost", dt.date(2025, 3, 16), 5),
        ("Recent", dt.date(2025, 5, 30), 80),
    ]
    assert card.cooldown_days == 90


def test_it_reuses_the_open_doors_rows_it_is_given(user, django_assert_num_queries):
    rejected(user, "Recent", days_ago=10)
    doors = dashboard.open_doors(user, NOW)

    with django_assert_num_queries(0):
        card = dashboard.cooling_off(user, NOW, doors=doors)

    assert [row.company for row in card.rows] == ["Recent"]


def test_it_shows_the_end_date_on_the_page(user, user_client):
    rejected(user, "Recent", days_ago=10)

    page = user_client.get("/dashboard/").content.decode()

    assert 'data-testid="cooling-row"' in page
    assert "until Fri 30 May" in page
    assert "(80 days)" in page


def test_it_says_you_may_apply_anywhere_when_no_cooldown_runs(user_client):
    page = user_client.get("/dashboard/").content.decode()

    assert "No company is in its cooldown: you may apply anywhere." in page


def test_it_lists_ten_on_the_page_and_counts_the_rest(user, user_client):
    for n in range(12):
        rejected(user, f"Company {n:02}", days_ago=n + 1)

    page = user_client.get("/dashboard/").content.decode()

    assert page.count('data-testid="cooling-row"') == 10
    assert "And 2 more." in page


def test_openings_found_during_cooldowns_come_in_the_open_doors_order(user):
    """The finalist's door (newer "no", so its cooldown ends later) is the strongest: its
    opening is named first, as the open-doors card lists the doors."""
    from watch.models import BoardWatch, Opening

    now = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)
    for name, stage, days_ago in (("Faint Co", "application", 40), ("Finalist Co", "final", 5)):
        company = CompanyFactory(owner=user, name=name)
        application = ApplicationFactory(
            owner=user, company=company, role_title="Data Engineer", status="rejected"
        )
        rejection = RejectionFactory(
            owner=user,
            application=application,
            stage_reached=stage,
            received_at=now - dt.timedelta(days=days_ago),
        )
        watch = BoardWatch.objects.create(
            owner=user, company=company, url=f"https://jobs.example/{name.split()[0]}"
        )
        Opening.objects.create(
            watch=watch,
            key=name,
            title="Senior Data Engineer",
            url=f"https://jobs.example/{name.split()[0]}/1",
            first_seen_at=now - dt.timedelta(days=1),
            rejection=rejection,
        )

    card = dashboard.cooling_off(user, now)

    assert [row.company for row in card.rows] == ["Faint Co", "Finalist Co"]  # cooldown end
    assert [opening.company for opening in card.openings] == ["Finalist Co", "Faint Co"]
