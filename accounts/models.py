import datetime as dt
import uuid
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts.timezones import safe_zone, validate_time_zone


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "One email per reminder, when it is due"
    DIGEST = "digest", "One daily digest at the start of my reminder hours"


# The person's cadences, in days, and the bounds the follow-up engine accepts for them
# (followups.rules reads these): declared once, here.
CADENCE_BOUNDS: dict[str, tuple[int, int]] = {
    # 003: "every few months": 60-180 days (two to six months).
    "keep_in_touch_days": (60, 180),
    # 004: "hold off for a bit after your rejection"; 002's 90 days by default.
    "reapply_cooldown_days": (30, 365),
}


def new_cards_stamp() -> str:
    return uuid.uuid4().hex


def _cadence_validators(field: str) -> list:
    low, high = CADENCE_BOUNDS[field]
    return [MinValueValidator(low), MaxValueValidator(high)]


class Profile(models.Model):
    """What Open Doors needs to know about a person to remind them well."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    full_name = models.CharField(
        max_length=120, blank=True, help_text="Used to sign the drafted messages."
    )
    signature = models.TextField(
        max_length=500, blank=True, help_text="Added under every drafted message."
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    reminder_email = models.EmailField(
        blank=True,
        help_text=(
            "Where reminders go. Leave empty to use your account email. A new address gets a"
            " link first: reminders go there once you follow it."
        ),
    )
    # The reminder address whose link was followed. Until `reminder_email` equals it,
    # reminders go to the account email: typing someone else's address sends them nothing.
    confirmed_reminder_email = models.EmailField(blank=True, editable=False)
    reminders_enabled = models.BooleanField(
        default=True,
        help_text="Turn off to stop all reminder emails (the dashboard still shows them).",
    )
    reminder_start = models.TimeField(default=dt.time(8, 0))
    reminder_end = models.TimeField(default=dt.time(20, 0))
    delivery = models.CharField(max_length=10, choices=Delivery, default=Delivery.IMMEDIATE)
    # The advice says "follow up every few months"; the person picks how many days.
    keep_in_touch_days = models.PositiveSmallIntegerField(
        default=90, validators=_cadence_validators("keep_in_touch_days")
    )
    # "Don't reapply over and over": how long after a rejection a new application warns.
    reapply_cooldown_days = models.PositiveSmallIntegerField(
        default=90, validators=_cadence_validators("reapply_cooldown_days")
    )
    # A new value whenever the person's data changes. Database triggers write it
    # (dashboard.stamps): every insert, update or delete of a row the dashboard shows, however
    # it was written (a form, .update(), a bulk insert, raw SQL, a background task), and every
    # direct write of this profile. The dashboard keeps its rendered cards under it, so cards
    # kept under an old stamp are never shown again. The app never sets it itself.
    cards_stamp = models.CharField(max_length=32, default=new_cards_stamp, editable=False)

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The person's clock; UTC when the stored name is not a zone (never raises).

        A plain property, not cached: the settings page changes `time_zone` on this very
        instance before the reminders are re-planned. ZoneInfo keeps its own cache.
        """
        return safe_zone(self.time_zone)

    @property
    def reminder_email_confirmed(self) -> bool:
        return bool(self.reminder_email) and (
            self.reminder_email.lower() == self.confirmed_reminder_email.lower()
        )

    @property
    def reminder_email_pending(self) -> bool:
        """A reminder address typed whose link has not been followed yet."""
        return bool(self.reminder_email) and not self.reminder_email_confirmed

    @property
    def email_address(self) -> str:
        """Where reminders go: the reminder address once confirmed, else the account's."""
        return self.reminder_email if self.reminder_email_confirmed else self.user.email

    @property
    def display_name(self) -> str:
        """The person's name, or "" (never the username: "Hi kenji," reads like a robot)."""
        return (self.full_name or self.user.get_full_name()).strip()
