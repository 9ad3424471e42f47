"""Every follow-up on one page, filtered by state and kind, with bulk skip and dismiss."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from followups.models import FollowUp
from tests.factories import FollowUpFactory

NOW = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)
Kind, Status = FollowUp.Kind, FollowUp.Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def mix(user, other_user):
    day = dt.timedelta(days=1)
    return {
        "due": FollowUpFactory(owner=user, due_at=NOW - day, deadline_at=NOW + day),
        "upcoming": FollowUpFactory(
            owner=user, kind=Kind.CHECK_IN, due_at=NOW + 3 * day, deadline_at=NOW + 9 * day
        ),
        "late": FollowUpFactory(owner=user, due_at=NOW - 9 * day, deadline_at=NOW - 8 * day),
        "done": FollowUpFactory(owner=user, status=Status.DONE, done_at=NOW - day),
        "theirs": FollowUpFactory(owner=other_user, due_at=NOW - day, deadline_at=NOW + day),
    }


def rows(response) -> set[int]:
    return {f.pk for f in response.context["followups"]}


def test_it_lists_every_followup_of_the_person_and_filters_them(user_client, mix):
    url = reverse("followups:followup-list")
    mine = {mix[k].pk for k in ("due", "upcoming", "late", "done")}

    assert rows(user_client.get(url)) == mine
    assert rows(user_client.get(url, {"state": "due"})) == {mix["due"].pk}
    assert rows(user_client.get(url, {"state": "upcoming"})) == {mix["upcoming"].pk}
    assert rows(user_client.get(url, {"state": "missed"})) == {mix["late"].pk}
    assert rows(user_client.get(url, {"state": "done"})) == {mix["done"].pk}
    assert rows(user_client.get(url, {"kind": Kind.CHECK_IN})) == {mix["upcoming"].pk}
    page = user_client.get(url, {"state": "due"}).content.decode()
    assert "by Wed 12 Mar, 11:00" in page


def test_bulk_skip_and_dismiss_act_on_the_ticked_ones_only(user_client, mix):
    url = reverse("followups:followup-list")
    ids = [mix["due"].pk, mix["done"].pk, mix["theirs"].pk]

    response = user_client.post(url, {"action": "skip", "ids": ids}, follow=True)
    assert "Skipped 1 follow-up." in response.content.decode()
    response = user_client.post(url, {"action": "dismiss", "ids": [mix["late"].pk]}, follow=True)
    assert "Dismissed 1 follow-up." in response.content.decode()

    for key, status in {
        "due": Status.SKIPPED,
        "late": Status.MISSED,
        "done": Status.DONE,
        "theirs": Status.PENDING,
        "upcoming": Status.PENDING,
    }.items():
        mix[key].refresh_from_db()
        assert mix[key].status == status, key


def test_the_dashboard_links_its_more_to_the_list(user, user_client):
    for n in range(12):
        FollowUpFactory(
            owner=user,
            company__name=f"Company {n}",
            due_at=NOW - dt.timedelta(hours=1),
            deadline_at=NOW + dt.timedelta(days=1),
        )
    page = user_client.get("/dashboard/").content.decode()
    assert f'href="{reverse("followups:followup-list")}?state=due"' in page
    assert "And 2 more due after these" in page
