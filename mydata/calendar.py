"""The person's calendar: pending follow-ups and interviews as iCalendar (RFC 5545).

Each event's UID is derived from the row, so a calendar app updates it in place instead of
adding a copy; SEQUENCE grows whenever the row changed since it was made (a follow-up moved,
an interview rescheduled). Done, skipped and cancelled follow-ups are left out, which removes
them from a subscribed calendar. Times carry the person's zone (with its VTIMEZONE).
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vDuration

from applications.models import Interview
from followups.drafts import draft_for, with_draft_data
from followups.models import FollowUp

# A follow-up is an all-but-instant task; it shows as a short block at its due time.
FOLLOWUP_LENGTH = dt.timedelta(minutes=30)
INTERVIEW_LENGTH = dt.timedelta(hours=1)
# Interviews further back than this are history, not calendar.
INTERVIEWS_SINCE = dt.timedelta(days=90)


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "opendoors"


def _sequence(row) -> int:
    """Seconds between the row's creation and its last change: 0 until it first changes, then
    only ever larger, which is all RFC 5545 asks of SEQUENCE."""
    return max(int((row.updated_at - row.created_at).total_seconds()), 0)


def _day(moment: dt.datetime, zone, now: dt.datetime) -> str:
    local = moment.astimezone(zone)
    year = f" {local.year}" if local.year != now.astimezone(zone).year else ""
    return f"{local:%a} {local.day} {local:%b}{year}, {local:%H:%M}"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Open Doors//Follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def followup_event(followup: FollowUp, *, zone, now: dt.datetime) -> Event:
    rule = followup.rule
    contact = followup.contact
    title = rule.action_for(
        who=contact.first_name if contact else "", company=followup.company.name
    )
    draft = draft_for(followup)
    url = settings.SITE_URL + followup.get_absolute_url()
    description = "\n".join(
        [
            f"Due {_day(followup.due_at, zone, now)}; by {_day(followup.deadline_at, zone, now)} "
            "at the latest.",
            rule.why,
            "",
            f"Subject: {draft.subject}",
            "",
            draft.body,
            "",
            f"Open it in Open Doors: {url}",
        ]
    )
    event = Event()
    event.add("uid", f"followup-{followup.pk}@{_host()}")
    event.add("sequence", _sequence(followup))
    event.add("dtstamp", now)
    event.add("last-modified", followup.updated_at)
    start = followup.due_at.astimezone(zone)
    event.add("dtstart", start)
    event.add("dtend", start + FOLLOWUP_LENGTH)
    event.add("summary", title)
    event.add("description", description)
    event.add("url", url)
    event.add("categories", ["Follow-up"])
    return event


def interview_event(interview: Interview, *, zone, now: dt.datetime) -> Event:
    application = interview.application
    people = ", ".join(c.name for c in interview.interviewers.all())
    url = settings.SITE_URL + interview.get_absolute_url()
    # Only facts from the record: the person's own notes stay in the app.
    lines = [f"{interview.get_kind_display()} interview: {application.role_title}"]
    if people:
        lines.append(f"With {people}")
    lines.append(f"Open it in Open Doors: {url}")
    event = Event()
    event.add("uid", f"interview-{interview.pk}@{_host()}")
    event.add("sequence", _sequence(interview))
    event.add("dtstamp", now)
    event.add("last-modified", interview.updated_at)
    start = interview.when.astimezone(zone)
    event.add("dtstart", start)
    event.add("dtend", start + INTERVIEW_LENGTH)
    event.add("summary", f"{interview.get_kind_display()} interview at {application.company.name}")
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("categories", ["Interview"])
    return event


def _finish(cal: Calendar, zone) -> bytes:
    if zone.key != "UTC":
        cal.add_missing_timezones()
    return cal.to_ical()


def feed(owner, *, now: dt.datetime | None = None) -> bytes:
    """The subscription: every pending follow-up and the interviews from 90 days back on."""
    now = now or timezone.now()
    zone = owner.profile.zone
    cal = _calendar("Open Doors")
    cal.add("x-wr-timezone", zone.key)
    # Ask clients to come back hourly; most decide for themselves (Google: every few hours).
    cal.add("refresh-interval", vDuration(dt.timedelta(hours=1)), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    followups = with_draft_data(
        FollowUp.objects.filter(owner=owner, status=FollowUp.Status.PENDING).order_by("due_at")
    )
    for followup in followups:
        cal.add_component(followup_event(followup, zone=zone, now=now))
    interviews = (
        Interview.objects.filter(owner=owner, when__gte=now - INTERVIEWS_SINCE)
        .select_related("application__company")
        .prefetch_related("interviewers")
        .order_by("when")
    )
    for interview in interviews:
        cal.add_component(interview_event(interview, zone=zone, now=now))
    return _finish(cal, zone)


def one_interview(interview: Interview, *, now: dt.datetime | None = None) -> bytes:
    now = now or timezone.now()
    zone = interview.owner.profile.zone
    cal = _calendar("Interview")
    cal.add("method", "PUBLISH")
    cal.add_component(interview_event(interview, zone=zone, now=now))
    return _finish(cal, zone)


def feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("mydata:calendar-feed", args=[token])
