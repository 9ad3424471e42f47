"""Applying again where you were turned down (advice 004): hold off for a while after a
rejection, and don't pummel a company with applications. The application form and the
"applied here before" panel warn with these; the dashboard's cooling-off card counts down.

    004_8a069ece5158a530.txt  "While it's fine to apply again in the future, hold off for a
                              bit"; "don't pummel the company with more applications"
"""

import datetime as dt
from dataclasses import dataclass

from accounts.dates import day_text
from accounts.models import CADENCE_BOUNDS
from applications.models import Application, Company, Rejection


@dataclass(frozen=True)
class Cooldown:
    """004: "While it's fine to apply again in the future, hold off for a bit after your
    rejection". The default reuses 002's 90 days; Profile.reapply_cooldown_days overrides."""

    default_days: int = 90
    setting: str = "reapply_cooldown_days"

    def days(self, profile=None) -> int:
        if profile is None:
            return self.default_days
        low, high = CADENCE_BOUNDS[self.setting]
        return min(max(int(getattr(profile, self.setting)), low), high)

    def ends_on(self, *, rejected_at: dt.datetime, profile) -> dt.date:
        """The first day reapplying is fine after a rejection received at `rejected_at`,
        counted in days of the person's own calendar."""
        rejected_on = rejected_at.astimezone(profile.zone).date()
        return rejected_on + dt.timedelta(days=self.days(profile))


@dataclass(frozen=True)
class DontPummel:
    """004: "don't pummel the company with more applications over and over": warn when a new
    application would be the 3rd or more at one company within 30 days."""

    applications: int = 3
    within_days: int = 30


REAPPLY_COOLDOWN = Cooldown()
DONT_PUMMEL = DontPummel()


def reapply_warnings(*, owner, company: Company, today: dt.date) -> list[str]:
    """Why applying to `company` now may hurt: inside the cooldown, or too many recent tries.

    Called for a new application before it is saved. Plain text: the form escapes it.
    """
    warnings: list[str] = []
    profile = owner.profile
    latest = (
        Rejection.objects.filter(owner=owner, application__company=company)
        .order_by("-received_at", "-pk")
        .first()
    )
    if latest is not None:
        days = REAPPLY_COOLDOWN.days(profile)
        rejected_on = latest.received_at.astimezone(profile.zone).date()
        fine_from = REAPPLY_COOLDOWN.ends_on(rejected_at=latest.received_at, profile=profile)
        if today < fine_from:
            warnings.append(
                f"{company.name} turned you down on {day_text(rejected_on, today=today)}. The advice is to hold "
                f"off for a while before applying again: your cooldown of {days} days ends on "
                f"{day_text(fine_from, today=today)}. If this role is a real fit, apply and write to the "
                "recruiter you already know."
            )
    pummel = DONT_PUMMEL
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
