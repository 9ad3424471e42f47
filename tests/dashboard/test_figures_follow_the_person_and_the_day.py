"""The habits and keep-going figures are written by the ORM once and then re-run
(followups.reused): each person still sees their own figures, counted for the moment of the
visit, and a query that would freeze a value is refused before it can show a wrong one."""

import datetime as dt

import pytest

from applications.models import Application
from dashboard import cards
from followups.models import FollowUp
from followups.reused import ReusedQuery
from tests.factories import ApplicationFactory, FollowUpFactory, RejectionFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


def test_two_people_see_their_own_figures(user, other_user):
    for days in (1, 2, 3):
        ApplicationFactory(owner=user, applied_on=(NOW - dt.timedelta(days=days)).date())
    rejection = RejectionFactory(owner=other_user, received_at=NOW - dt.timedelta(days=5))
    FollowUpFactory(
        owner=other_user,
        kind=FollowUp.Kind.REJECTION_THANKS,
        company=rejection.application.company,
        application=rejection.application,
        rejection=rejection,
        status=FollowUp.Status.DONE,
        done_at=rejection.received_at + dt.timedelta(hours=3),
    )

    mine = cards.keep_going(user, NOW)
    theirs = cards.keep_going(other_user, NOW)

    assert (mine.total, mine.applied_this_week) == (3, 3)
    assert (theirs.total, theirs.applied_this_week) == (1, 0)
    assert cards.habits(user, NOW).thanks_counted == 0
    assert cards.habits(other_user, NOW).thanks_on_time == 1


def test_the_week_is_counted_from_the_day_of_the_visit(user):
    ApplicationFactory(owner=user, applied_on=NOW.date() - dt.timedelta(days=2))

    assert cards.keep_going(user, NOW).applied_this_week == 1
    # Ten days later the same application is no longer "this week".
    later = cards.keep_going(user, NOW + dt.timedelta(days=10))
    assert later.applied_this_week == 0
    assert later.none_this_week


def test_a_thank_you_counts_as_late_once_its_48_hours_have_passed(user):
    rejection = RejectionFactory(owner=user, received_at=NOW - dt.timedelta(hours=30))
    FollowUpFactory(
        owner=user,
        kind=FollowUp.Kind.REJECTION_THANKS,
        company=rejection.application.company,
        application=rejection.application,
        rejection=rejection,
    )

    assert cards.habits(user, NOW).thanks_counted == 0
    assert cards.habits(user, NOW + dt.timedelta(hours=20)).thanks_counted == 1


def test_a_query_that_derives_a_value_from_another_is_refused(user):
    derived = ReusedQuery(
        lambda owner_id, now: Application.objects.filter(
            owner_id=owner_id, created_at__gte=now - dt.timedelta(days=7)
        ).values("pk"),
        owner_id=int,
        now=dt.datetime,
    )

    with pytest.raises(ValueError, match="derived from the values"):
        derived(owner_id=user.pk, now=NOW)
