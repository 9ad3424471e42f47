import datetime as dt
import zoneinfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from applications.services import log_rejection, record_interview
from followups import services as followups
from followups.models import FollowUp
from mydata.models import CalendarFeed
from mydata.services import calendar_feed_for
from tests.factories import InterviewFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def _feed_path(token: str) -> str:
    return reverse("mydata:calendar-feed", args=[token])


def _events(client, token: str) -> dict[str, icalendar.Event]:
    response = client.get(_feed_path(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


@pytest.fixture
def search(user):
    with time_machine.travel(NOW, tick=False):
        rejection = log_rejection(
            owner=user,
            received_at=NOW - dt.timedelta(hours=1),
            company_name="Acme",
            role_title="Platform Engineer",
            contact_name="Dana Whitfield",
            contact_email="dana@acme.example",
        )
        interview = InterviewFactory(
            owner=user,
            application__company__name="Globex",
            application__role_title="Data Engineer",
            when=NOW + dt.timedelta(days=2),
            notes="PRIVATE: I was nervous about the salary question.",
        )
        record_interview(interview=interview, interviewers=[])
    return rejection, interview


def test_it_lists_pending_followups_and_interviews_in_the_persons_zone(user, client, search):
    rejection, interview = search
    token = calendar_feed_for(owner=user).token
    with time_machine.travel(NOW, tick=False):
        events = _events(client, token)

    thanks = FollowUp.objects.get(rejection=rejection, kind=FollowUp.Kind.REJECTION_THANKS)
    event = events["Thank Dana at Acme"]
    start = event.decoded("DTSTART")
    assert start.tzinfo.key == "Europe/Berlin"
    assert start == thanks.due_at
    description = str(event["DESCRIPTION"])
    deadline = thanks.deadline_at.astimezone(BERLIN)
    assert f"by {deadline:%a} {deadline.day} {deadline:%b}, {deadline:%H:%M}" in description
    assert "Dear Dana" in description  # the draft
    assert str(event["URL"]).endswith(thanks.get_absolute_url())
    assert str(event["UID"]) == f"followup-{thanks.pk}@127.0.0.1:8000"

    meeting = events["Video interview at Globex"]
    assert meeting.decoded("DTSTART") == interview.when
    assert "Data Engineer" in str(meeting["DESCRIPTION"])
    # The person's own notes never leave the app.
    assert "PRIVATE" not in client.get(_feed_path(token)).content.decode()


def test_it_keeps_uids_bumps_sequence_when_a_followup_moves_and_drops_done_ones(
    user, client, search
):
    rejection, _interview = search
    token = calendar_feed_for(owner=user).token
    thanks = FollowUp.objects.get(rejection=rejection, kind=FollowUp.Kind.REJECTION_THANKS)
    with time_machine.travel(NOW, tick=False):
        before = _events(client, token)["Thank Dana at Acme"]
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        followups.snooze(followup=thanks, until=NOW + dt.timedelta(days=1))
        after = _events(client, token)["Thank Dana at Acme"]

    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART") > before.decoded("DTSTART")

    with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):
        followups.mark_done(followup=thanks, done_at=NOW + dt.timedelta(minutes=10))
        assert "Thank Dana at Acme" not in _events(client, token)
        followups.skip(followup=FollowUp.objects.get(kind=FollowUp.Kind.CHECK_IN))
        assert not any("check" in title.lower() for title in _events(client, token))


def test_a_new_link_stops_the_old_one(user, user_client, client, search):
    old = calendar_feed_for(owner=user).token
    page = user_client.get(reverse("mydata:overview")).content.decode()
    assert _feed_path(old) in page
    assert "Google Calendar only every few hours" in page

    user_client.post(reverse("mydata:calendar-rotate"))

    new = calendar_feed_for(owner=user).token
    assert new != old
    assert client.get(_feed_path(old)).status_code == 404
    assert client.get(_feed_path(new)).status_code == 200
    assert _feed_path(new) in user_client.get(reverse("mydata:overview")).content.decode()


def test_a_made_up_address_is_not_found(client, search):
    assert client.get(_feed_path("not-a-real-token")).status_code == 404


def test_one_interview_downloads_as_an_ics_file(user_client, client_for, other_user, search):
    _rejection, interview = search
    response = user_client.get(reverse("mydata:interview-ics", args=[interview.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    cal = icalendar.Calendar.from_ical(response.content)
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Video interview at Globex"
    assert event.decoded("DTSTART") == interview.when
    assert event.decoded("DTSTART").tzinfo.key == "Europe/Berlin"

    intruder = client_for(other_user)
    assert intruder.get(reverse("mydata:interview-ics", args=[interview.pk])).status_code == 404


def test_the_interview_page_offers_its_ics_file(user_client, search):
    _rejection, interview = search
    page = user_client.get(interview.get_absolute_url()).content.decode()
    assert reverse("mydata:interview-ics", args=[interview.pk]) in page
    assert "Add to calendar (.ics)" in page


def test_settings_link_to_your_data(user_client):
    page = user_client.get(reverse("accounts:settings")).content.decode()
    for name in ("mydata:export", "mydata:delete-account", "mydata:activity"):
        assert reverse(name) in page
    assert "Google Calendar refreshes it only every few hours" in page


def test_the_first_link_is_made_by_a_button_not_by_looking(user, user_client):
    page = user_client.get(reverse("mydata:overview")).content.decode()
    assert "Make my calendar link" in page
    assert not CalendarFeed.objects.filter(owner=user).exists()

    response = user_client.post(reverse("mydata:calendar-rotate"), follow=True)

    token = CalendarFeed.objects.get(owner=user).token
    assert _feed_path(token) in response.content.decode()
    assert "address is ready: copy it into your calendar app" in response.content.decode()
