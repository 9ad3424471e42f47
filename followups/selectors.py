"""Read-side queries of the follow-up engine, for forms and pages."""

import datetime as dt

from django.db.models import QuerySet
from django.utils.formats import date_format

from accounts.services import profile_for
from applications.models import Application, Company, Rejection
from followups import rules
from followups.hours import safe_zone
from followups.models import FollowUp, Reminder


def reapply_warnings(*, owner, company: Company, today: dt.date) -> list[str]:
    """Why applying to `company` now may hurt: inside the cooldown, or too many recent tries.

    Called for a new application before it is saved. Plain text: the form escapes it.
    """
    warnings: list[str] = []
    profile = profile_for(owner)
    latest = (
        Rejection.objects.filter(owner=owner, application__company=company)
        .order_by("-received_at", "-pk")
        .first()
    )
    if latest is not None:
        days = rules.REAPPLY_COOLDOWN.days(profile)
        rejected_on = latest.received_at.astimezone(safe_zone(profile.time_zone)).date()
        fine_from = rules.REAPPLY_COOLDOWN.ends_on(rejected_at=latest.received_at, profile=profile)
        if today < fine_from:
            warnings.append(
                f"{company.name} turned you down on {_day(rejected_on)}. The advice is to hold "
                f"off for a while before applying again: your cooldown of {days} days ends on "
                f"{_day(fine_from)}. If this role is a real fit, apply and write to the "
                "recruiter you already know."
            )
    pummel = rules.DONT_PUMMEL
    since = today - dt.timedelta(days=pummel.within_days - 1)
    recent = Application.objects.filter(
        owner=owner, company=company, applied_on__gte=since, applied_on__lte=today
    ).count()
    if recent + 1 >= pummel.applications:
        warnings.append(
            f"This would be application number {recent + 1} to {company.name} within "
            f"{pummel.within_days} days. Don't pummel a company with applications: pick the "
            "role that fits best."
        )
    return warnings


def failed_reminders(*, owner) -> QuerySet[Reminder]:
    """Reminders that could not be delivered, for follow-ups that still matter."""
    return (
        Reminder.objects.filter(
            owner=owner, status=Reminder.Status.FAILED, followup__status=FollowUp.Status.PENDING
        )
        .select_related("followup__company", "followup__contact")
        .order_by("-updated_at", "-pk")
    )


def doors_to_consider_closing(*, owner) -> QuerySet[Company]:
    """Companies where the keep-in-touch check-ins went unanswered up to the rule's cap.

    The chain stopped there (services does not schedule another), no other check-in is
    pending at the company, and the door is still open. Two queries, whatever the number of companies.
    """
    cap = rules.rule_for(FollowUp.Kind.KEEP_IN_TOUCH).cap
    chains: dict[int, list[tuple[int, str, bool, int]]] = {}
    for rejection_id, sequence, status, got_reply, company_id in FollowUp.objects.filter(
        owner=owner, kind=FollowUp.Kind.KEEP_IN_TOUCH
    ).values_list("rejection_id", "sequence", "status", "got_reply", "company_id"):
        chains.setdefault(rejection_id, []).append((sequence, status, got_reply, company_id))
    capped: set[int] = set()
    for rows in chains.values():
        rows.sort(reverse=True)
        if rows[0][1] != FollowUp.Status.DONE:
            continue
        streak = 0
        for _sequence, status, got_reply, _company in rows:
            if got_reply:
                break
            streak += status == FollowUp.Status.DONE
        if streak >= cap:
            capped.add(rows[0][3])
    pending = FollowUp.objects.filter(
        owner=owner,
        status=FollowUp.Status.PENDING,
        kind__in=[FollowUp.Kind.CHECK_IN, FollowUp.Kind.KEEP_IN_TOUCH],
    ).values("company_id")
    return Company.objects.filter(owner=owner, door_closed_at__isnull=True, pk__in=capped).exclude(
        pk__in=pending
    )


def followup_for(*, owner, pk: int) -> FollowUp:
    """One follow-up of `owner`, with what its page shows (404 for anyone else's)."""
    from django.shortcuts import get_object_or_404

    from followups.drafts import with_draft_data

    return get_object_or_404(with_draft_data(FollowUp.objects.filter(owner=owner)), pk=pk)


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")
