"""The habits card: thank-yous within 48 h, feedback asked and received, check-ins sent,
doors reopened."""

import datetime as dt

import pytest
import time_machine

from dashboard import cards as dashboard
from followups.models import FollowUp
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    FeedbackFactory,
    FollowUpFactory,
    InterviewFactory,
    RejectionFactory,
)

NOW = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)
Kind, Status = FollowUp.Kind, FollowUp.Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def rejection_thanks(user, *, received_days_ago: float, status=Status.PENDING, sent_after=None):
    rejection = RejectionFactory(owner=user, received_at=NOW - dt.timedelta(days=received_days_ago))
    return FollowUpFactory(
        owner=user,
        kind=Kind.REJECTION_THANKS,
        company=rejection.application.company,
        application=rejection.application,
        rejection=rejection,
        due_at=rejection.received_at + dt.timedelta(hours=24),
        deadline_at=rejection.received_at + dt.timedelta(hours=48),
        status=status,
        done_at=rejection.received_at + sent_after if sent_after else None,
    )


def test_it_counts_thank_yous_sent_within_48_hours(user):
    rejection_thanks(
        user, received_days_ago=10, status=Status.DONE, sent_after=dt.timedelta(hours=30)
    )
    rejection_thanks(
        user, received_days_ago=10, status=Status.DONE, sent_after=dt.timedelta(hours=48)
    )
    rejection_thanks(
        user, received_days_ago=10, status=Status.DONE, sent_after=dt.timedelta(hours=60)
    )
    rejection_thanks(user, received_days_ago=5, status=Status.SKIPPED)
    # Past its 48 h and still not sent: a missed one.
    rejection_thanks(user, received_days_ago=3)
    # Still inside its 48 h, or cancelled when the door was closed: not counted yet / at all.
    rejection_thanks(user, received_days_ago=1)
    rejection_thanks(user, received_days_ago=9, status=Status.CANCELLED)

    card = dashboard.habits(user, NOW)

    assert (card.thanks_on_time, card.thanks_counted) == (2, 5)
    assert card.thanks_share == 40


def test_it_counts_feedback_asked_and_received_and_check_ins_sent(user, other_user):
    asked = rejection_thanks(
        user, received_days_ago=10, status=Status.DONE, sent_after=dt.timedelta(hours=25)
    )
    FollowUp.objects.filter(pk=asked.pk).update(asked_for_feedback=True)
    FeedbackFactory(owner=user)
    FeedbackFactory(owner=user)
    FeedbackFactory(owner=other_user)
    for kind, status in (
        (Kind.CHECK_IN, Status.DONE),
        (Kind.KEEP_IN_TOUCH, Status.DONE),
        (Kind.KEEP_IN_TOUCH, Status.PENDING),
        (Kind.CHECK_IN, Status.SKIPPED),
    ):
        FollowUpFactory(owner=user, kind=kind, status=status)

    card = dashboard.habits(user, NOW)

    assert card.feedback_asked == 1
    assert card.feedback_received == 2
    assert card.check_ins_sent == 2


def test_it_counts_a_door_reopened_when_an_interview_follows_a_rejection_there(user):
    reopened = CompanyFactory(owner=user, name="Came Back")
    first = ApplicationFactory(owner=user, company=reopened, status="rejected")
    RejectionFactory(owner=user, application=first, received_at=NOW - dt.timedelta(days=120))
    second = ApplicationFactory(owner=user, company=reopened, status="interviewing")
    InterviewFactory(owner=user, application=second, when=NOW - dt.timedelta(days=5))
    InterviewFactory(owner=user, application=second, when=NOW - dt.timedelta(days=2))
    # An interview before the rejection is the same old door, not a reopened one.
    same = CompanyFactory(owner=user, name="Same Door")
    application = ApplicationFactory(owner=user, company=same, status="rejected")
    InterviewFactory(owner=user, application=application, when=NOW - dt.timedelta(days=30))
    RejectionFactory(owner=user, application=application, received_at=NOW - dt.timedelta(days=20))

    card = dashboard.habits(user, NOW)

    assert card.doors_reopened == 1


def test_it_has_nothing_to_show_before_the_first_rejection(user):
    card = dashboard.habits(user, NOW)

    assert card.is_empty
    assert card.thanks_share is None


def test_it_shows_the_share_on_the_page(user, user_client):
    rejection_thanks(
        user, received_days_ago=10, status=Status.DONE, sent_after=dt.timedelta(hours=30)
    )
    rejection_thanks(
        user, received_days_ago=10, status=Status.DONE, sent_after=dt.timedelta(hours=50)
    )

    page = user_client.get("/dashboard/").content.decode()

    assert "Thank-yous sent within 48 h" in page
    assert "50%" in page
    assert "(1/2)" in page


def test_it_explains_itself_when_empty(user_client):
    page = user_client.get("/dashboard/").content.decode()

    assert 'data-testid="habits-empty"' in page
