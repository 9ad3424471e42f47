"""The due rows and goals are loaded by queries the ORM writes once and re-runs
(followups.reused, `instances=True`, a list of ids): each visit still shows the rows of that
visit, however many there are, with the drafts and names of their own records, and nothing
is asked of the database per row."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Application
from dashboard import cards
from followups.reused import ReusedQuery
from tests.dashboard.test_due_now import rejected_at, thanks
from tests.factories import FeedbackFactory, ImprovementGoalFactory

NOW = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def test_the_due_list_follows_the_rows_from_one_visit_to_the_next(user, other_user):
    thanks(rejected_at(user, "Acme"))
    thanks(rejected_at(other_user, "Theirs"))
    first = cards.due_now(user, NOW)

    thanks(rejected_at(user, "Globex"), due_at=NOW - dt.timedelta(hours=2))
    thanks(rejected_at(user, "Initech"), due_at=NOW - dt.timedelta(hours=3))
    second = cards.due_now(user, NOW)

    assert [row.action for row in first.rows] == ["Thank Dana at Acme"]
    assert sorted(row.action for row in second.rows) == [
        "Thank Dana at Acme",
        "Thank Dana at Globex",
        "Thank Dana at Initech",
    ]
    for row in second.rows:
        company = row.action.removeprefix("Thank Dana at ")
        assert row.company == company
        assert f"{company}" in row.draft.body
        assert row.draft.body.startswith("Dear Dana,")


def test_an_empty_due_list_asks_nothing_for_its_rows(user):
    assert cards.due_now(user, NOW).rows == []
    thanks(rejected_at(user, "Acme"))
    assert [row.company for row in cards.due_now(user, NOW).rows] == ["Acme"]


def test_the_rows_come_with_their_records_and_ask_no_more_queries(user):
    for name in ("Acme", "Globex"):
        thanks(rejected_at(user, name))
    pending = cards.pending_rows(user, NOW)
    [listed] = pending.parts.values()

    with CaptureQueriesContext(connection) as captured:
        seen = [
            (f.company.name, f.contact.name, f.rejection.application.role_title, f.owner.pk)
            for f in listed
        ]

    assert sorted(seen) == [
        ("Acme", "Dana Whitfield", "Backend Engineer", user.pk),
        ("Globex", "Dana Whitfield", "Backend Engineer", user.pk),
    ]
    assert captured.captured_queries == []


def test_goals_are_each_persons_own_and_follow_their_changes(user, other_user):
    feedback = FeedbackFactory(owner=user, rejection=rejected_at(user, "Acme"))
    ImprovementGoalFactory(
        owner=user, feedback=feedback, what="System design mock", target_date=dt.date(2025, 4, 1)
    )
    ImprovementGoalFactory(owner=other_user, what="Not mine", target_date=dt.date(2025, 4, 1))
    before = cards.improvement_goals(user, NOW)
    ImprovementGoalFactory(
        owner=user, feedback=feedback, what="SQL practice", target_date=dt.date(2025, 3, 1)
    )
    after = cards.improvement_goals(user, NOW)

    assert [row.what for row in before.rows] == ["System design mock"]
    assert [row.what for row in after.rows] == ["SQL practice", "System design mock"]
    assert after.overdue == 1


def test_a_load_with_prefetches_is_refused(user):
    prefetching = ReusedQuery(
        lambda owner_id: Application.objects.filter(owner_id=owner_id).prefetch_related(
            "interviews"
        ),
        instances=True,
        owner_id=int,
    )

    with pytest.raises(ValueError, match="without prefetches"):
        prefetching(owner_id=user.pk)
