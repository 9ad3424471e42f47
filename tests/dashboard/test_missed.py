"""A follow-up more than MISSED_GRACE_DAYS past its deadline leaves "Due now" for the
collapsed "Missed" list, which can be dismissed in one click."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from followups.models import FollowUp
from tests.factories import FollowUpFactory

NOW = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def late(owner, days: float, company: str) -> FollowUp:
    """A pending thank-you whose deadline passed `days` ago."""
    deadline = NOW - dt.timedelta(days=days)
    return FollowUpFactory(
        owner=owner,
        company__name=company,
        due_at=deadline - dt.timedelta(days=1),
        deadline_at=deadline,
    )


def section(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.find("</section>", start)]


def test_a_follow_up_past_its_grace_moves_from_due_now_to_missed(user, user_client):
    recent = late(user, 2, "Acme")
    old = late(user, 4, "Globex")

    page = user_client.get("/dashboard/").content.decode()

    due, missed = section(page, "card-due-now"), section(page, "card-missed")
    assert f'data-followup="{recent.pk}"' in due and "Overdue" in due
    assert f'data-followup="{old.pk}"' not in due
    assert f'data-followup="{old.pk}"' in missed
    assert "<details" in missed and "Dismiss all" in missed
    assert "more than 3 days past their deadline" in missed


def test_the_grace_is_one_setting(user, user_client, settings):
    settings.MISSED_GRACE_DAYS = 1
    recent = late(user, 2, "Acme")

    page = user_client.get("/dashboard/").content.decode()

    assert f'data-followup="{recent.pk}"' in section(page, "card-missed")
    assert f'data-followup="{recent.pk}"' not in section(page, "card-due-now")


def test_dismiss_all_files_them_as_missed_and_leaves_the_rest(user, user_client, other_user):
    recent = late(user, 2, "Acme")
    old = [late(user, 5, "Globex"), late(user, 30, "Initech")]
    theirs = late(other_user, 30, "Umbrella")

    response = user_client.post(reverse("dashboard:dismiss-missed"), **HTMX)

    html = response.content.decode()
    assert "Dismissed 2 missed follow-ups." in html
    assert 'data-testid="missed-row"' not in html
    for followup in old:
        followup.refresh_from_db()
        assert followup.status == FollowUp.Status.MISSED
        assert followup.ended_note == "You dismissed it."
    recent.refresh_from_db()
    theirs.refresh_from_db()
    assert recent.status == theirs.status == FollowUp.Status.PENDING
    page = user_client.get("/dashboard/").content.decode()
    assert f'data-followup="{recent.pk}"' in section(page, "card-due-now")
