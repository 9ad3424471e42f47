"""A time zone name stored in a profile can go bad (written by hand into the database, or a
zone dropped from tzdata). Pages and reminders then run on UTC; nothing answers with a 500."""

import datetime as dt

import pytest
from django.core import mail

from accounts.models import Profile
from applications.services import log_rejection
from followups import outbox
from followups.models import FollowUp

pytestmark = pytest.mark.django_db
UTC = dt.UTC
BROKEN = "Mars/Olympus_Mons"


@pytest.fixture
def thanks(user, time_machine):
    """Sam's profile says Mars; Acme rejected Sam on Monday 2 March at 13:00 UTC."""
    Profile.objects.filter(user=user).update(time_zone=BROKEN)
    user.refresh_from_db()
    time_machine.move_to(dt.datetime(2026, 3, 2, 13, 0, tzinfo=UTC), tick=False)
    log_rejection(
        owner=user,
        received_at=dt.datetime(2026, 3, 2, 13, 0, tzinfo=UTC),
        company_name="Acme",
        role_title="Data Engineer",
        contact_name="Dana Whitfield",
    )
    return FollowUp.objects.get(kind=FollowUp.Kind.REJECTION_THANKS)


def test_the_profile_reads_its_broken_zone_as_utc(user):
    Profile.objects.filter(user=user).update(time_zone=BROKEN)
    assert str(Profile.objects.get(user=user).zone) == "UTC"


def test_it_shows_the_pages_in_utc(user, thanks, client_for):
    client = client_for(user)

    for url in (
        "/",
        "/dashboard/",
        f"/followups/{thanks.pk}/",
        f"/applications/{thanks.application_id}/",
        "/applications/new/",
        "/accounts/settings/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url

    # The thank-you is due 24 h after the rejection, by 48 h, read on a UTC clock.
    page = client.get(f"/followups/{thanks.pk}/").content.decode()
    assert "due Tue 3 Mar, 13:00" in page
    assert "by <strong>Wed 4 Mar, 13:00</strong>" in page
    timeline = client.get(f"/applications/{thanks.application_id}/").content.decode()
    assert "Mon 2 Mar, 13:00" in timeline


def test_it_sends_the_reminder_on_a_utc_clock(user, thanks):
    """GIVEN the thank-you due Tuesday 13:00 UTC, by Wednesday 13:00 UTC
    WHEN dispatch runs on Tuesday at 13:00 UTC (08:00-20:00 reminder hours, read in UTC)
    THEN Sam gets the email, and its deadline reads 13:00, the UTC time."""
    summary = outbox.dispatch_due_reminders(now=dt.datetime(2026, 3, 3, 13, 0, tzinfo=UTC))

    assert summary.sent == 1
    [message] = mail.outbox
    assert message.subject == "Thank Dana at Acme — by Wed 4 Mar, 13:00"
    assert message.to == ["sam@example.com"]
