"""Follow-ups it is too late for, or that another one replaced, leave by themselves."""

import datetime as dt

import pytest
from django.core import mail

from followups import outbox, services
from followups.models import FollowUp, Reminder
from tests.factories import InterviewFactory, RejectionFactory
from tests.followups.conftest import at

Kind, Status = FollowUp.Kind, FollowUp.Status

pytestmark = pytest.mark.django_db


def test_an_interview_logged_13_days_late_files_its_thank_you_as_missed(
    person, dana, time_machine, client_for
):
    """GIVEN an interview on 2 March
    WHEN it is logged on 15 March (its thank-you was due within the day)
    THEN the thank-you is on the record as missed: no email, not "due now", on the
    application's timeline with why."""
    time_machine.move_to(at("2026-03-15 10:00"), tick=False)
    interview = InterviewFactory(
        owner=person, application__company=dana.company, when=at("2026-03-02 10:00")
    )
    services.sync_interview(interview=interview)

    thanks = FollowUp.objects.get(kind=Kind.INTERVIEW_THANKS)
    assert thanks.status == Status.MISSED
    assert not Reminder.objects.exists()
    assert outbox.dispatch_due_reminders(now=at("2026-03-15 10:05")).sent == 0
    assert mail.outbox == []
    client = client_for(person)
    dashboard = client.get("/dashboard/").content.decode()
    assert f'data-followup="{thanks.pk}"' not in dashboard
    page = client.get(interview.application.get_absolute_url()).content.decode()
    assert "Thank-you after an interview" in page
    assert "Missed" in page
    assert "Its deadline had already passed when this was recorded." in page


def test_a_rejection_replaces_the_pending_interview_thank_you(
    person, dana, time_machine, client_for
):
    """GIVEN an interview on Monday whose thank-you is still pending on Tuesday
    WHEN the rejection for that application is logged on Tuesday
    THEN the interview thank-you is cancelled (the rejection's thank-you replaces it), with a
    note on the timeline, and its reminder email is not sent."""
    time_machine.move_to(at("2026-03-02 11:00"), tick=False)
    interview = InterviewFactory(
        owner=person, application__company=dana.company, when=at("2026-03-02 10:00")
    )
    services.sync_interview(interview=interview)
    interview_thanks = FollowUp.objects.get(kind=Kind.INTERVIEW_THANKS)
    assert interview_thanks.status == Status.PENDING

    time_machine.move_to(at("2026-03-02 12:00"), tick=False)
    services.sync_rejection(
        rejection=RejectionFactory(
            owner=person, application=interview.application, received_at=at("2026-03-02 11:45")
        )
    )

    interview_thanks.refresh_from_db()
    assert interview_thanks.status == Status.CANCELLED
    assert FollowUp.objects.get(kind=Kind.REJECTION_THANKS).status == Status.PENDING
    outbox.dispatch_due_reminders(now=at("2026-03-02 13:00"))
    assert not any("interview" in message.subject for message in mail.outbox)
    page = client_for(person).get(interview.application.get_absolute_url()).content.decode()
    assert "No longer needed: the application was rejected." in page


def test_a_missed_check_in_still_plans_the_next_keep_in_touch(person, dana, time_machine):
    """GIVEN a rejection from 200 days ago, logged today
    THEN its 90-day check-in is missed, and the next keep-in-touch is planned from today."""
    time_machine.move_to(at("2026-09-20 10:00"), tick=False)
    services.sync_rejection(
        rejection=RejectionFactory(
            owner=person, application__company=dana.company, received_at=at("2026-03-04 10:00")
        )
    )

    assert FollowUp.objects.get(kind=Kind.CHECK_IN).status == Status.MISSED
    keep = FollowUp.objects.get(kind=Kind.KEEP_IN_TOUCH)
    assert keep.status == Status.PENDING
    assert keep.due_at.date() == dt.date(2026, 12, 19)
