"""The application page tells the story in order, follow-ups included, in the person's zone."""

import datetime as dt

from applications import selectors
from tests.applications.helpers import page_text
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FeedbackFactory,
    FollowUpFactory,
    InterviewFactory,
    RejectionFactory,
)

UTC = dt.UTC


def test_it_shows_applied_interviews_rejection_and_feedback_in_order(user, user_client, now):
    application = ApplicationFactory(
        owner=user, company__name="Acme", applied_on=dt.date(2025, 2, 3), source="referral"
    )
    dana = ContactFactory(owner=user, company=application.company, name="Dana Whitfield")
    interview = InterviewFactory(
        owner=user,
        application=application,
        kind="onsite",
        when=dt.datetime(2025, 2, 20, 13, 0, tzinfo=UTC),
    )
    interview.interviewers.add(dana)
    rejection = RejectionFactory(
        owner=user,
        application=application,
        stage_reached="final",
        received_at=dt.datetime(2025, 3, 1, 8, 15, tzinfo=UTC),
    )
    FeedbackFactory(owner=user, rejection=rejection, received_on=dt.date(2025, 3, 1))

    response = user_client.get(application.get_absolute_url())

    kinds = [entry.kind for entry in response.context["timeline"]]
    assert kinds == ["applied", "interview", "rejection", "feedback"]
    text = page_text(response)
    assert "Applied (referral) Mon 3 Feb" in text
    # 13:00 UTC is 14:00 in Berlin.
    assert "On-site interview Thu 20 Feb, 14:00 with Dana Whitfield" in text
    assert "Rejected Sat 1 Mar, 09:15 Stage reached: Final round · Email" in text
    assert "Feedback received Sat 1 Mar Experience fit" in text


def test_it_shows_follow_ups_with_due_time_and_deadline_in_the_persons_zone(user, user_client, now):
    rejection = RejectionFactory(
        owner=user, received_at=dt.datetime(2025, 3, 10, 16, 0, tzinfo=UTC)
    )
    application = rejection.application
    FollowUpFactory(
        owner=user,
        company=application.company,
        application=application,
        rejection=rejection,
        kind="rejection_thanks",
        due_at=dt.datetime(2025, 3, 11, 16, 0, tzinfo=UTC),
        deadline_at=dt.datetime(2025, 3, 12, 16, 0, tzinfo=UTC),
    )
    FollowUpFactory(
        owner=user,
        company=application.company,
        application=application,
        kind="check_in",
        due_at=dt.datetime(2025, 6, 8, 16, 0, tzinfo=UTC),
        deadline_at=dt.datetime(2025, 6, 22, 16, 0, tzinfo=UTC),
    )

    response = user_client.get(application.get_absolute_url())

    text = page_text(response)
    assert "Thank-you after a rejection" in text
    # Berlin is UTC+1 in March and UTC+2 (CEST) in June.
    assert "due Tue 11 Mar, 17:00 · by Wed 12 Mar, 17:00" in text
    assert "due Sun 8 Jun, 18:00 · by Sun 22 Jun, 18:00" in text
    kinds = [entry.kind for entry in response.context["timeline"]]
    assert kinds == ["applied", "rejection", "followup", "followup"]


def test_it_marks_an_overdue_follow_up(user, now):
    rejection = RejectionFactory(owner=user, received_at=now - dt.timedelta(days=5))
    FollowUpFactory(
        owner=user,
        company=rejection.application.company,
        application=rejection.application,
        due_at=now - dt.timedelta(days=4),
        deadline_at=now - dt.timedelta(days=3),
    )

    [followup] = [
        entry
        for entry in selectors.application_timeline(
            application=rejection.application, zone=user.profile.zone
        )
        if entry.kind == "followup"
    ]

    assert followup.is_overdue
    assert followup.deadline_at.tzinfo == user.profile.zone


def test_it_builds_the_page_with_a_fixed_number_of_queries(
    user, user_client, now, django_assert_max_num_queries
):
    application = ApplicationFactory(owner=user)
    for _ in range(5):
        InterviewFactory(owner=user, application=application)
    rejection = RejectionFactory(owner=user, application=application)
    for _ in range(3):
        FeedbackFactory(owner=user, rejection=rejection)
    user_client.get(application.get_absolute_url())  # warm the session and profile

    with django_assert_max_num_queries(12):
        response = user_client.get(application.get_absolute_url())

    assert len(response.context["timeline"]) == 1 + 5 + 1 + 3
