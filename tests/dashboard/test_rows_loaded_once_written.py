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


def _described(obj, seen: frozenset = frozenset()) -> dict:
    """An instance as the ORM left it: its values, which fields are deferred, its state, and
    the same for every related row it came with (a row met again on the way: its model and
    key)."""
    if id(obj) in seen:
        return {"again": (type(obj).__name__, obj.pk)}
    seen = seen | {id(obj)}
    return {
        "model": type(obj).__name__,
        "values": {name: value for name, value in vars(obj).items() if name != "_state"},
        "deferred": obj.get_deferred_fields(),
        "db": obj._state.db,
        "adding": obj._state.adding,
        "related": {
            name: _described(other, seen) if other is not None else None
            for name, other in sorted(obj._state.fields_cache.items())
        },
    }


def test_the_rows_are_built_as_the_orm_builds_them_and_save_as_any_row(user):
    thanks(rejected_at(user, "Acme"))
    thanks(rejected_at(user, "Globex"), due_at=NOW - dt.timedelta(hours=2))
    ids = sorted(
        row["pk"]
        for row in cards._PENDING(
            user_id=user.pk,
            now=NOW,
            missed_before=NOW - dt.timedelta(days=30),
            week_end=NOW + dt.timedelta(days=7),
        )
    )

    reused = sorted(cards._LISTED_LOAD(ids=ids), key=lambda f: f.pk)
    orm = list(cards._listed_load(ids).order_by("pk"))

    assert len(reused) == 2
    assert [_described(f) for f in reused] == [_described(f) for f in orm]
    # A deferred column is read on demand, and the row saves like any other.
    first = reused[0]
    assert "created_at" in first.get_deferred_fields()
    assert first.created_at is not None
    first.rejection.application.role_title = "Staff Engineer"
    first.rejection.application.save(update_fields=["role_title"])
    assert Application.objects.get(pk=first.rejection.application.pk).role_title == (
        "Staff Engineer"
    )
