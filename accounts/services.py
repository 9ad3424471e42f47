import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts import links
from accounts.models import Profile
from accounts.signals import reminder_settings_changed

User = get_user_model()


@transaction.atomic
def create_account(
    *, username: str, email: str, password: str, time_zone: str = "UTC", full_name: str = ""
) -> User:
    # create_user's post_save made the profile (accounts.signals); fill in what sign-up asked.
    user = User.objects.create_user(username=username, email=email, password=password)
    user.profile.time_zone = time_zone
    user.profile.full_name = full_name
    user.profile.save(update_fields=["time_zone", "full_name"])
    return user


def _mail(name: str, to: str, context: dict) -> None:
    """A plain-text account email from templates/emails/<name>-{subject,body}.txt."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    body = render_to_string(f"emails/{name}-body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def _free_username(wanted: str) -> str:
    """`wanted`, or, when someone has it, `wanted` with a few digits: the sign-up page never
    says whether a name is taken (the confirmation email names the one given)."""
    field = User._meta.get_field(User.USERNAME_FIELD)
    candidate = wanted
    while User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": candidate}).exists():
        suffix = f"-{secrets.randbelow(9000) + 1000}"
        candidate = wanted[: field.max_length - len(suffix)] + suffix
    return candidate


def sign_up(
    *, username: str, email: str, password: str, time_zone: str = "UTC", full_name: str = ""
) -> None:
    """A sign-up request. The page answers the same whoever asks; the email differs.

    1. An address with an active account gets "you already have an account" (how to log in,
       how to reset the password); nothing else changes.
    2. Otherwise an account is made, inactive until the link in its confirmation email is
       followed. An earlier sign-up for the address that was never confirmed (perhaps not by
       the owner of the address) is replaced.
    """
    existing = User.objects.filter(email__iexact=email, is_active=True).first()
    if existing is not None:
        _mail(
            "account-exists",
            existing.email,
            {
                "user": existing,
                "login_url": settings.SITE_URL + reverse("accounts:login"),
                "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
            },
        )
        return
    for _attempt in range(3):
        try:
            with transaction.atomic():
                User.objects.filter(
                    email__iexact=email, is_active=False, last_login__isnull=True
                ).delete()
                user = User.objects.create_user(
                    username=_free_username(username),
                    email=email,
                    password=password,
                    is_active=False,
                )
                # (The profile came with the user: accounts.signals.)
                Profile.objects.filter(user=user).update(time_zone=time_zone, full_name=full_name)
            break
        except IntegrityError:  # the same free name taken by a parallel sign-up: again
            continue
    else:
        raise RuntimeError("no free username after three tries")
    _mail(
        "account-confirm",
        user.email,
        {"user": user, "asked_for": username, "confirm_url": links.signup_url(user)},
    )


def confirm_account(claim: links.Claim):
    """The link in a confirmation email: the account it names becomes active. None when
    there is no such waiting account (confirmed already: the link is not a way to log in
    again; or replaced by a newer sign-up)."""
    activated = User.objects.filter(
        pk=claim.pk, email__iexact=claim.email, is_active=False, last_login__isnull=True
    ).update(is_active=True)
    return User.objects.get(pk=claim.pk) if activated else None


def ask_to_confirm_reminder_email(profile: Profile) -> None:
    """The person typed a new reminder address: reminders keep going to the account email
    until the link sent to the new address is followed."""
    if profile.reminder_email_pending:
        _mail(
            "reminder-email-confirm",
            profile.reminder_email,
            {"profile": profile, "confirm_url": links.reminder_email_url(profile)},
        )


def confirm_reminder_email(claim: links.Claim) -> Profile | None:
    """The link sent to a reminder address: confirmed, if it is still the one typed."""
    profile = Profile.objects.filter(pk=claim.pk).select_related("user").first()
    if profile is None or profile.reminder_email.lower() != claim.email:
        return None
    profile.confirmed_reminder_email = profile.reminder_email
    profile.save(update_fields=["confirmed_reminder_email"])
    return profile


# Settings that decide when and whether reminder emails go out.
REMINDER_SETTINGS = frozenset(
    {"time_zone", "reminders_enabled", "reminder_start", "reminder_end", "delivery"}
)


@transaction.atomic
def save_settings(*, profile: Profile, changed: set[str]) -> Profile:
    """Save the person's settings; when reminder timing changed, say so to whoever plans them.

    The follow-up engine listens (followups/apps.py) and re-plans what is waiting, inside
    this transaction.
    """
    profile.save()
    if profile.reminders_enabled and REMINDER_SETTINGS & changed:
        reminder_settings_changed.send(sender=Profile, profile=profile)
    return profile
