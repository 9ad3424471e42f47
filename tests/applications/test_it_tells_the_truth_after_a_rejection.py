"""After logging a rejection the flash says what will really happen: a reminder to come, or,
for a rejection that came days ago, that the thank-you window has passed (with the step)."""

import datetime as dt
import re

from django.urls import reverse

from followups.models import FollowUp
from tests.applications.helpers import page_text, post_form

LOG = reverse("applications:log-rejection")
QUICK = {
    "company_name": "Globex Corporation",
    "role_title": "Platform Engineer",
    "channel": "email",
    "stage_reached": "interview",
    "contact_name": "Priya Raman",
    "contact_email": "priya@globex.example",
}


def flash(response) -> str:
    return re.search(r'role="alert">(.*?)<button', response.content.decode(), re.DOTALL).group(1)


def test_it_promises_a_reminder_for_a_rejection_that_just_came(user, user_client, now):
    """GIVEN a rejection that came at 09:30 today (Tuesday 11 March, Berlin)
    THEN the flash names the day and time of the reminder."""
    response = post_form(
        user_client, LOG, {**QUICK, "received_at": "2025-03-11T09:30"}, follow=True
    )

    text = page_text(response)
    assert "Take a breath: Open Doors will remind you on Wed 12 Mar, 09:30" in text
    assert "window" not in text
    thanks = FollowUp.objects.filter(owner=user, status="pending").order_by("due_at").first()
    assert thanks.due_at == dt.datetime(2025, 3, 12, 8, 30, tzinfo=dt.UTC)  # 09:30 in Berlin


def test_it_says_the_thank_you_window_has_passed_for_a_back_dated_rejection(user, user_client, now):
    """GIVEN a rejection that came a week ago, logged only now
    THEN the flash does not promise a reminder: it says the thank-you window has passed and
    links to the thank-you, to send it anyway."""
    response = post_form(
        user_client, LOG, {**QUICK, "received_at": "2025-03-04T09:00"}, follow=True
    )

    text = page_text(response)
    assert "remind you" not in text
    assert (
        "It came on Tue 4 Mar, so the window for the thank-you after a rejection has passed "
        "(it was by " in text
    )
    assert "send it anyway?" in text
    # Too late for a reminder, the thank-you is filed as missed; it can still be marked sent.
    thanks = FollowUp.objects.get(owner=user, kind=FollowUp.Kind.REJECTION_THANKS)
    assert thanks.status == FollowUp.Status.MISSED
    assert f'<a href="{thanks.get_absolute_url()}" class="alert-link">send it anyway?</a>' in flash(
        response
    )
    page = user_client.get(thanks.get_absolute_url())
    assert page.status_code == 200
    assert 'data-testid="mark-sent"' in page.content.decode()
    assert 'data-testid="missed-note"' in page.content.decode()
    user_client.post(reverse("followups:followup-done", args=[thanks.pk]), {})
    thanks.refresh_from_db()
    assert thanks.status == FollowUp.Status.DONE


def test_the_full_rejection_form_tells_the_same_truth(user, user_client, application, now):
    response = post_form(
        user_client,
        reverse("applications:rejection-create"),
        {
            "application": application.pk,
            "received_at": "2025-03-04T09:00",
            "channel": "email",
            "stage_reached": "interview",
            "reply_to": "jobs@acme.example",
        },
        follow=True,
    )

    assert "the window for the thank-you after a rejection has passed" in page_text(response)
    assert "send it anyway?" in page_text(response)


def test_it_escapes_the_company_name_in_the_flash(user, user_client, now):
    response = post_form(
        user_client,
        LOG,
        {**QUICK, "company_name": "<b>Evil</b> Corp", "received_at": "2025-03-04T09:00"},
        follow=True,
    )

    assert "<b>Evil</b>" not in response.content.decode()


def test_the_rejection_form_starts_at_now_on_the_persons_clock(user, user_client, now):
    """GIVEN a person in New York at 10:00 UTC (06:00 there, daylight time since 9 March)
    THEN the full rejection form's "Received" starts at 06:00 their time."""
    user.profile.time_zone = "America/New_York"
    user.profile.save()

    page = user_client.get(reverse("applications:rejection-create")).content.decode()

    assert re.search(r'name="received_at" value="2025-03-11T06:00"', page)
