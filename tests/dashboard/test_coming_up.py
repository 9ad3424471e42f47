"""The coming-up card: what becomes due in the next seven days, soonest first."""

import datetime as dt

import pytest
import time_machine

from dashboard import cards as dashboard
from followups.models import FollowUp
from tests.factories import CompanyFactory, ContactFactory, FollowUpFactory

NOW = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def check_in(user, company_name: str, due_in: dt.timedelta, **fields) -> FollowUp:
    company = CompanyFactory(owner=user, name=company_name)
    contact = ContactFactory(owner=user, company=company, name="Priya Natarajan")
    return FollowUpFactory(
        owner=user,
        kind=FollowUp.Kind.CHECK_IN,
        company=company,
        contact=contact,
        due_at=NOW + due_in,
        deadline_at=NOW + due_in + dt.timedelta(days=14),
        **fields,
    )


def test_it_lists_the_next_seven_days_soonest_first(user):
    friday = check_in(user, "Globex", dt.timedelta(days=3))
    tomorrow = check_in(user, "Initech", dt.timedelta(days=1))
    check_in(user, "Due Already", -dt.timedelta(minutes=1))
    check_in(user, "Next Month", dt.timedelta(days=7, minutes=1))
    check_in(user, "Done Co", dt.timedelta(days=2), status=FollowUp.Status.DONE)

    card = dashboard.coming_up(user, NOW)

    assert [row.pk for row in card.rows] == [tomorrow.pk, friday.pk]
    assert [row.action for row in card.rows] == [
        "Check in with Priya at Initech",
        "Check in with Priya at Globex",
    ]
    assert card.total == 2
    assert card.rows[0].draft is None


def test_it_keeps_other_peoples_followups_out(user, other_user):
    check_in(other_user, "Theirs", dt.timedelta(days=1))

    assert dashboard.coming_up(user, NOW).rows == []


def test_it_lists_ten_and_counts_the_rest(user):
    for n in range(13):
        check_in(user, f"Company {n}", dt.timedelta(hours=n + 1))

    card = dashboard.coming_up(user, NOW)

    assert len(card.rows) == 10
    assert card.more == 3


def test_it_shows_the_due_time_in_the_persons_zone(user, user_client):
    # 09:00 UTC on Thursday is 10:00 in Berlin.
    check_in(user, "Globex", dt.timedelta(days=2, hours=-1))

    page = user_client.get("/dashboard/").content.decode()

    assert 'data-testid="coming-row"' in page
    assert "Check in with Priya at Globex" in page
    assert "Thu 13 Mar, 10:00" in page


def test_it_says_so_when_the_week_is_empty(user_client):
    page = user_client.get("/dashboard/").content.decode()

    assert 'data-testid="coming-empty"' in page
    assert "Nothing else this week." in page
