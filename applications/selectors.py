"""Read-side queries for the job-search pages. Every one is scoped to one owner."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.contrib.admin.utils import NestedObjects
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.cleaning import strip_controls
from accounts.dates import day_text
from applications.models import (
    Application,
    Company,
    Contact,
    Feedback,
    Interview,
    Rejection,
    company_name_key,
)

# --- Companies -------------------------------------------------------------------------


def company_by_name(*, owner, name: str) -> Company | None:
    """The person's company whose name matches ignoring case and spaces, if any."""
    # Names come from query strings and emails too: PostgreSQL refuses a NUL byte in a
    # comparison, and a stored name never has control characters (the forms strip them).
    name = strip_controls(name or "")
    if not name.strip():
        return None
    return (
        Company.objects.owned_by(owner)
        .alias(name_key=company_name_key(models.F("name")))
        .filter(name_key=company_name_key(models.Value(name)))
        .first()
    )


def company_names(*, owner) -> list[str]:
    """Names for the company <datalist>: what the person typed before, in order."""
    return list(Company.objects.owned_by(owner).values_list("name", flat=True))


COMPANY_SORTS = {
    "name": (Lower("name"),),
    "-name": (Lower("name").desc(),),
    "recent": (models.F("last_applied_on").desc(nulls_last=True), Lower("name")),
    "applications": ("-application_count", Lower("name")),
}


def search_companies(*, owner, q: str = "", sort: str = "name") -> QuerySet[Company]:
    companies = Company.objects.owned_by(owner).annotate(
        application_count=Count("applications", distinct=True),
        rejection_count=Count("applications__rejection", distinct=True),
        last_applied_on=Max("applications__applied_on"),
    )
    if q:
        companies = companies.filter(name__icontains=q)
    return companies.order_by(*COMPANY_SORTS.get(sort, COMPANY_SORTS["name"]))


@dataclass
class CompanyHistory:
    """What the "have I applied here before?" panel shows."""

    company: Company | None
    applications: list[Application] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.applications


def company_history(
    *, owner, company: Company | None, exclude_application_id: int | None = None
) -> CompanyHistory:
    if company is None:
        return CompanyHistory(company=None)
    applications = (
        Application.objects.owned_by(owner)
        .filter(company=company)
        .select_related("rejection", "rejection__contact")
        .order_by("-applied_on", "-pk")
    )
    if exclude_application_id:
        applications = applications.exclude(pk=exclude_application_id)
    applications = list(applications)
    rejections = [a.rejection for a in applications if _has_rejection(a)]
    rejections.sort(key=lambda r: r.received_at, reverse=True)
    contacts = list(Contact.objects.owned_by(owner).filter(company=company))
    return CompanyHistory(
        company=company, applications=applications, rejections=rejections, contacts=contacts
    )


def _has_rejection(application: Application) -> bool:
    try:
        return application.rejection is not None
    except Rejection.DoesNotExist:
        return False


# --- Applications ------------------------------------------------------------------------

APPLICATION_SORTS = {
    "-applied_on": ("-applied_on", "-pk"),
    "applied_on": ("applied_on", "pk"),
    "company": (Lower("company__name"), "-applied_on"),
    "role": (Lower("role_title"), "-applied_on"),
    "status": ("status", "-applied_on"),
}


def search_applications(
    *, owner, q: str = "", status: str = "", sort: str = "-applied_on"
) -> QuerySet[Application]:
    """The application list: search by company and role, filter by status, sort."""
    applications = Application.objects.owned_by(owner).select_related("company", "rejection")
    for word in q.split():
        applications = applications.filter(
            Q(company__name__icontains=word)
            | Q(role_title__icontains=word)
            | Q(notes__icontains=word)
            | Q(why_this_role__icontains=word)
            | Q(rejection__reason_given__icontains=word)
        )
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    return applications.order_by(*APPLICATION_SORTS.get(sort, APPLICATION_SORTS["-applied_on"]))


def open_application_for(*, owner, company: Company, role_title: str) -> Application | None:
    """The most recent application for this role at this company that has no rejection yet."""
    return (
        Application.objects.owned_by(owner)
        .filter(company=company, role_title__iexact=role_title, rejection__isnull=True)
        .order_by("-applied_on", "-pk")
        .first()
    )


def applications_without_rejection(*, owner, keep: Application | None = None):
    """Choices for a rejection's application: one rejection per application."""
    condition = Q(rejection__isnull=True)
    if keep is not None:
        condition |= Q(pk=keep.pk)
    return Application.objects.owned_by(owner).filter(condition).select_related("company")


def application_choices(*, owner) -> QuerySet[Application]:
    return Application.objects.owned_by(owner).select_related("company")


# --- Contacts, interviews, rejections, feedback ---------------------------------------------

CONTACT_SORTS = {
    "name": (Lower("name"), "pk"),
    "company": (Lower("company__name"), Lower("name")),
    "-last_touch_at": (models.F("last_touch_at").desc(nulls_last=True), Lower("name")),
}


def search_contacts(*, owner, q: str = "", role: str = "", sort: str = "name") -> QuerySet[Contact]:
    contacts = Contact.objects.owned_by(owner).select_related("company")
    for word in q.split():
        contacts = contacts.filter(
            Q(name__icontains=word) | Q(company__name__icontains=word) | Q(email__icontains=word)
        )
    if role in Contact.Role.values:
        contacts = contacts.filter(role=role)
    return contacts.order_by(*CONTACT_SORTS.get(sort, CONTACT_SORTS["name"]))


INTERVIEW_SORTS = {"-when": ("-when", "-pk"), "when": ("when", "pk")}


def search_interviews(*, owner, q: str = "", kind: str = "", sort: str = "-when"):
    interviews = Interview.objects.owned_by(owner).select_related("application__company")
    for word in q.split():
        # Exists, not a join: an interview with two matching interviewers is listed once.
        met = Contact.objects.filter(interviews=OuterRef("pk"), name__icontains=word)
        interviews = interviews.filter(
            Q(application__company__name__icontains=word)
            | Q(application__role_title__icontains=word)
            | Q(notes__icontains=word)
            | Q(detail_to_mention__icontains=word)
            | Q(looking_for__icontains=word)
            | Exists(met)
        )
    if kind in Interview.Kind.values:
        interviews = interviews.filter(kind=kind)
    return interviews.order_by(*INTERVIEW_SORTS.get(sort, INTERVIEW_SORTS["-when"]))


REJECTION_SORTS = {"-received_at": ("-received_at", "-pk"), "received_at": ("received_at", "pk")}


def search_rejections(*, owner, q: str = "", stage: str = "", sort: str = "-received_at"):
    rejections = Rejection.objects.owned_by(owner).select_related("application__company", "contact")
    for word in q.split():
        # Exists, not a join: a rejection with two matching feedback entries is listed once.
        said = Feedback.objects.filter(rejection=OuterRef("pk"), what_they_said__icontains=word)
        rejections = rejections.filter(
            Q(application__company__name__icontains=word)
            | Q(application__role_title__icontains=word)
            | Q(reason_given__icontains=word)
            | Q(contact__name__icontains=word)
            | Exists(said)
        )
    if stage in Rejection.Stage.values:
        rejections = rejections.filter(stage_reached=stage)
    return rejections.order_by(*REJECTION_SORTS.get(sort, REJECTION_SORTS["-received_at"]))


FEEDBACK_SORTS = {"-received_on": ("-received_on", "-pk"), "received_on": ("received_on", "pk")}


def search_feedback(*, owner, q: str = "", sort: str = "-received_on"):
    feedback = Feedback.objects.owned_by(owner).select_related("rejection__application__company")
    for word in q.split():
        feedback = feedback.filter(
            Q(rejection__application__company__name__icontains=word)
            | Q(rejection__application__role_title__icontains=word)
            | Q(what_they_said__icontains=word)
            | Q(rejection__reason_given__icontains=word)
        )
    return feedback.order_by(*FEEDBACK_SORTS.get(sort, FEEDBACK_SORTS["-received_on"]))


def rejections_for_feedback(*, owner) -> QuerySet[Rejection]:
    return Rejection.objects.owned_by(owner).select_related("application__company")


# --- The application page ---------------------------------------------------------------------


@dataclass
class TimelineEntry:
    """One line of an application's story. Times are already in the person's zone."""

    kind: str  # applied, interview, rejection, feedback, goal, followup
    title: str
    at: dt.datetime
    date_only: bool = False
    detail: str = ""
    url: str = ""
    # Follow-ups only:
    status: str = ""
    status_label: str = ""
    due_at: dt.datetime | None = None
    deadline_at: dt.datetime | None = None
    done_at: dt.datetime | None = None
    is_overdue: bool = False
    sent_text: str = ""


def application_timeline(
    *, application: Application, zone: zoneinfo.ZoneInfo, now: dt.datetime | None = None
) -> list[TimelineEntry]:
    """The application's story in order: applied, interviews, rejection, feedback and the
    goals it became, follow-ups and what was finally sent.

    Follow-ups come from the engine (`application.followups`), each with its due time and
    deadline shown in the person's zone. Date-only events are placed at the start (applied)
    or end (feedback) of their day in that zone, so same-day events keep a sensible order.
    """
    now = now or timezone.now()

    def local(moment: dt.datetime) -> dt.datetime:
        return timezone.localtime(moment, zone)

    def day_start(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time.min, tzinfo=zone)

    def day_end(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(23, 59), tzinfo=zone)

    entries = [
        TimelineEntry(
            kind="applied",
            title=f"Applied ({application.get_source_display().lower()})",
            at=day_start(application.applied_on),
            date_only=True,
        )
    ]
    for interview in application.interviews.all():
        names = ", ".join(contact.name for contact in interview.interviewers.all())
        entries.append(
            TimelineEntry(
                kind="interview",
                title=f"{interview.get_kind_display()} interview",
                at=local(interview.when),
                detail=f"with {names}" if names else "",
                url=interview.get_absolute_url(),
            )
        )
    rejection = application.rejection if _has_rejection(application) else None
    if rejection is not None:
        entries.append(
            TimelineEntry(
                kind="rejection",
                title="Rejected",
                at=local(rejection.received_at),
                detail=(
                    f"Stage reached: {rejection.get_stage_reached_display()}"
                    f" · {rejection.get_channel_display()}"
                ),
                url=rejection.get_absolute_url(),
            )
        )
        for feedback in rejection.feedback.all():
            entries.append(
                TimelineEntry(
                    kind="feedback",
                    title="Feedback received",
                    at=day_end(feedback.received_on),
                    date_only=True,
                    detail=", ".join(feedback.get_themes_display()),
                    url=feedback.get_absolute_url(),
                )
            )
            for goal in feedback.goals.all():
                entries.append(
                    TimelineEntry(
                        kind="goal",
                        title=f"Goal: {goal.what}",
                        at=local(goal.created_at),
                        detail=(
                            f"Completed {day_text(goal.completed_on)}"
                            if goal.is_complete
                            else f"{goal.progress}% done · target {day_text(goal.target_date)}"
                        ),
                        url=goal.get_absolute_url(),
                    )
                )
    for followup in application.followups.all():
        entries.append(
            TimelineEntry(
                kind="followup",
                title=followup.get_kind_display(),
                at=local(followup.done_at or followup.due_at),
                status=followup.status,
                status_label=followup.get_status_display(),
                detail=followup.ended_note,
                due_at=local(followup.due_at),
                deadline_at=local(followup.deadline_at),
                done_at=local(followup.done_at) if followup.done_at else None,
                is_overdue=followup.is_overdue(now),
                url=followup.get_absolute_url(),
                sent_text=followup.sent_text,
            )
        )
    entries.sort(key=lambda entry: entry.at)
    return entries


def timeline_prefetches() -> tuple:
    return (
        "interviews__interviewers",
        "rejection__feedback__goals",
        "followups",
    )


# --- Deleting ------------------------------------------------------------------------------------


def delete_consequences(obj: models.Model) -> list[str]:
    """What else goes when `obj` is deleted, as "3 interviews", "1 follow-up" lines.

    Uses the same collector as Django's admin, so cascades added later (follow-ups,
    goals) are counted without changes here. Rows that are only unlinked (SET_NULL)
    are not listed: they stay.
    """
    collector = NestedObjects(using=DEFAULT_DB_ALIAS)
    collector.collect([obj])
    lines = []
    for model, instances in collector.data.items():
        if model._meta.auto_created:
            continue  # Link rows (an interview's interviewers): the contacts themselves stay.
        count = len(instances) - (1 if model is type(obj) else 0)
        if count > 0:
            name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            lines.append(f"{count} {name}")
    return lines
