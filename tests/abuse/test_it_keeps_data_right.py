"""No silently wrong data: "Mark as sent" refuses a day before the event or in the future
(on the follow-up page and through the email link), names made only of invisible or control
characters are refused and bidirectional overrides are stripped, and moving an application to
another company takes its pending follow-ups, its rejection's sender and so its drafts along."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Company, Rejection
from followups import services as followups
from followups import tokens
from followups.drafts import draft_for
from followups.models import FollowUp
from goals.models import ImprovementGoal
from tests.applications.helpers import field_errors, post_form
from tests.factories import CompanyFactory, ContactFactory, RejectionFactory

NOW = dt.datetime(2026, 3, 11, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def thanks(user, now) -> FollowUp:
    """A thank-you for a rejection received on Tue 10 Mar (Berlin), still pending."""
    dana = ContactFactory(owner=user, company__name="Acme", name="Dana", email="dana@acme.example")
    rejection = RejectionFactory(
        owner=user,
        application__company=dana.company,
        application__role_title="Backend Engineer",
        contact=dana,
        received_at=NOW - dt.timedelta(days=1),
    )
    followups.sync_rejection(rejection=rejection)
    return FollowUp.objects.get(
        owner=user, rejection=rejection, kind=FollowUp.Kind.REJECTION_THANKS
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-03-09", "Pick Tue 10 Mar or later: that is when it happened."),
        ("2026-03-12", "Pick today or a day in the past: when did you send it?"),
    ],
    ids=["before the event", "in the future"],
)
def test_mark_as_sent_refuses_a_day_before_the_event_or_in_the_future(
    thanks, user_client, day, message
):
    url = reverse("followups:followup-done", args=[thanks.pk])
    response = user_client.post(url, {"done_on": day, "sent_text": "Thanks!"})

    assert f'invalid-feedback">{message}</div>' in response.text
    thanks.refresh_from_db()
    assert thanks.is_pending

    link = reverse("followups:action", args=[tokens.action_token(thanks, tokens.Action.DONE)])
    response = Client().post(link, {"done_on": day})
    assert message in response.text
    thanks.refresh_from_db()
    assert thanks.is_pending


def test_mark_as_sent_accepts_the_day_of_the_event(thanks, user_client):
    url = reverse("followups:followup-done", args=[thanks.pk])
    user_client.post(url, {"done_on": "2026-03-10", "sent_text": "Thanks!"})
    thanks.refresh_from_db()
    assert not thanks.is_pending
    assert timezone.localtime(thanks.done_at).date() == dt.date(2026, 3, 10)


@pytest.mark.parametrize(
    "name",
    ["\u200b\u200b", "\u202e\u2066", "\x01\x02", " \u00ad\ufeff "],
    ids=["zero-width spaces", "bidi controls", "control characters", "soft hyphen and BOM"],
)
def test_a_name_of_only_invisible_characters_is_refused(user, user_client, name):
    response = post_form(user_client, reverse("applications:company-create"), {"name": name})

    # Either way a message next to the field says to type a real name.
    assert field_errors(response, "name") in (
        ["Type a name with letters or digits in it."],
        ["Type the company's name."],
    )
    assert not Company.objects.filter(owner=user).exists()


def test_bidi_overrides_are_stripped_from_names(user, user_client):
    # Displayed as "Acme evil.exe" would read backwards without the override removed.
    post_form(
        user_client,
        reverse("applications:company-create"),
        {"name": "Acme \u202eexe.live\u202c Labs"},
    )

    assert Company.objects.get(owner=user).name == "Acme exe.live Labs"


def test_moving_an_application_takes_its_follow_ups_sender_and_drafts_along(
    user, user_client, thanks
):
    """GIVEN a rejection from Dana at "Acme" (filed there by mistake) with a pending thank-you
    WHEN the application is moved to "Initech"
    THEN the thank-you, its draft and the rejection name Initech and a Dana at Initech."""
    application = thanks.application
    CompanyFactory(owner=user, name="Initech")

    response = user_client.post(
        reverse("applications:application-update", args=[application.pk]),
        {
            "company_name": "Initech",
            "role_title": application.role_title,
            "applied_on": application.applied_on.isoformat(),
            "status": application.status,
            "source": application.source,
        },
    )

    assert response.status_code == 302
    initech = Company.objects.get(owner=user, name="Initech")
    thanks.refresh_from_db()
    rejection = Rejection.objects.get(application=application)
    assert thanks.company == initech
    assert rejection.contact.company == initech
    assert rejection.contact.email == "dana@acme.example"
    assert thanks.contact == rejection.contact
    assert "Initech" in draft_for(thanks).body + draft_for(thanks).subject
    assert "Acme" not in draft_for(thanks).body
    assert Application.objects.get(pk=application.pk).company == initech
    # The original Dana stays at Acme, for anything else that happened there.
    assert ContactFactory._meta.model.objects.filter(company__name="Acme", name="Dana").exists()


def test_done_follow_ups_stay_where_they_happened(user, user_client, thanks):
    followups.mark_done(
        followup=thanks, sent_text="", asked_for_feedback=False, got_reply=False, done_at=NOW
    )
    application = thanks.application
    user_client.post(
        reverse("applications:application-update", args=[application.pk]),
        {
            "company_name": "Initech",
            "role_title": application.role_title,
            "applied_on": application.applied_on.isoformat(),
            "status": application.status,
            "source": application.source,
        },
    )
    thanks.refresh_from_db()
    assert thanks.company.name == "Acme"


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("reschedule", {"due_at": "9999-12-31T10:00"}, "more than two years ahead"),
        ("reschedule", {"due_at": "2030-01-01T10:00"}, "more than two years ahead"),
        ("snooze", {"period": "date", "until_date": "0001-01-01"}, "too long ago"),
        ("snooze", {"period": "date", "until_date": "275760-09-13"}, "Enter a valid date"),
    ],
    ids=["year 9999", "three years ahead", "year one", "year 275760"],
)
def test_dates_outside_a_sane_window_are_refused_with_a_message(
    thanks, user_client, action, data, message
):
    due = thanks.due_at
    url = reverse(f"followups:followup-{action}", args=[thanks.pk])

    response = user_client.post(url, data)

    assert response.status_code == 200
    assert message in response.text
    thanks.refresh_from_db()
    assert thanks.due_at == due and thanks.is_pending


def test_a_goal_dated_outside_the_window_is_refused(user, user_client, now):
    response = post_form(
        user_client,
        reverse("goals:goal-create"),
        {
            "what": "Practise system design",
            "how_measured": "Two mock interviews",
            "target_date": "9999-01-01",
            "progress": "0",
        },
    )

    assert response.status_code == 200
    assert field_errors(response, "target_date")
    assert not ImprovementGoal.objects.filter(owner=user).exists()
