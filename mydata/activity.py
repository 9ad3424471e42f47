"""The dated record of an active search: applications sent, interviews, messages sent.

Employment agencies (the German Arbeitsagentur among them) ask for such a list as proof that
someone is looking; this is the one place that reads it from the records.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from applications.models import Application, Interview
from followups.hours import localize
from followups.models import FollowUp


@dataclass(frozen=True)
class Entry:
    day: dt.date
    time: str  # "14:30" in the person's zone, or "" for a date-only event
    what: str  # Application / Interview / Follow-up message
    company: str
    detail: str  # the role, the kind of interview, or the message sent
    channel: str
    to_whom: str


def _bounds(start: dt.date, end: dt.date, zone) -> tuple[dt.datetime, dt.datetime]:
    first = localize(dt.datetime.combine(start, dt.time.min), zone)
    after = localize(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), zone)
    return first, after


def entries(owner, *, start: dt.date, end: dt.date, zone) -> list[Entry]:
    """What the person did from `start` to `end` (both days included), oldest first."""
    first, after = _bounds(start, end, zone)
    found: list[tuple[tuple, Entry]] = []
    for application in (
        Application.objects.filter(owner=owner, applied_on__gte=start, applied_on__lte=end)
        .select_related("company")
        .order_by("applied_on", "pk")
    ):
        entry = Entry(
            day=application.applied_on,
            time="",
            what="Application sent",
            company=application.company.name,
            detail=application.role_title,
            channel=application.get_source_display(),
            to_whom="",
        )
        found.append(((application.applied_on, "", 0, application.pk), entry))
    for interview in (
        Interview.objects.filter(owner=owner, when__gte=first, when__lt=after)
        .select_related("application__company")
        .prefetch_related("interviewers")
        .order_by("when", "pk")
    ):
        local = interview.when.astimezone(zone)
        entry = Entry(
            day=local.date(),
            time=f"{local:%H:%M}",
            what="Interview",
            company=interview.application.company.name,
            detail=f"{interview.application.role_title} ({interview.get_kind_display()})",
            channel=interview.get_kind_display(),
            to_whom=", ".join(c.name for c in interview.interviewers.all()),
        )
        found.append(((local.date(), entry.time, 1, interview.pk), entry))
    for followup in (
        FollowUp.objects.filter(
            owner=owner, status=FollowUp.Status.DONE, done_at__gte=first, done_at__lt=after
        )
        .select_related("company", "contact")
        .order_by("done_at", "pk")
    ):
        local = followup.done_at.astimezone(zone)
        contact = followup.contact
        linkedin = followup.rule.linkedin
        who = ""
        if contact is not None:
            who = contact.name + (f" <{contact.email}>" if contact.email and not linkedin else "")
        entry = Entry(
            day=local.date(),
            time=f"{local:%H:%M}",
            what="Message sent",
            company=followup.company.name,
            detail=followup.get_kind_display(),
            channel="LinkedIn" if linkedin else "Email",
            to_whom=who,
        )
        found.append(((local.date(), entry.time, 2, followup.pk), entry))
    found.sort(key=lambda pair: pair[0])
    return [entry for _key, entry in found]


def default_period(now: dt.datetime | None = None) -> tuple[dt.date, dt.date]:
    """The last 30 days up to today."""
    today = timezone.localdate(now or timezone.now())
    return today - dt.timedelta(days=29), today
