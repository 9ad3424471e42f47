"""Rules about one row live on the model."""

import pytest

from applications.models import Application
from tests.factories import ApplicationFactory


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("applied", "interviewing"),
        ("no_response", "interviewing"),
        ("interviewing", "interviewing"),
        ("offer", "offer"),
        ("rejected", "rejected"),
    ],
)
def test_it_moves_only_a_fresh_application_on_to_interviewing(user, before, after):
    application = ApplicationFactory(owner=user, status=before)

    application.mark_interviewing()

    application.refresh_from_db()
    assert application.status == after


def test_it_reopens_an_application_to_where_it_stood(user):
    application = ApplicationFactory(owner=user, status=Application.Status.REJECTED)

    application.reopen(has_interviews=False)
    assert application.status == Application.Status.APPLIED
    application.reopen(has_interviews=True)
    assert application.status == Application.Status.INTERVIEWING


def test_it_counts_applied_interviewing_and_offer_as_active(user):
    assert ApplicationFactory.build(status="offer").is_active
    assert not ApplicationFactory.build(status="rejected").is_active
