"""Signed links the accounts app emails: confirm a new account, confirm a reminder address.

Each is bound to the address it was sent to (a link for an old address does nothing once
the person typed another one) and expires after three days.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

SIGNUP_SALT = "accounts.signup-confirm"
REMINDER_EMAIL_SALT = "accounts.reminder-email-confirm"
LINK_MAX_AGE = dt.timedelta(days=3)


class LinkRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"


@dataclass(frozen=True)
class Claim:
    pk: int
    email: str


def _dumps(pk: int, email: str, salt: str) -> str:
    return signing.dumps({"p": pk, "e": email.lower()}, salt=salt)


def _loads(token: str, salt: str) -> Claim:
    try:
        payload = signing.loads(token, salt=salt, max_age=LINK_MAX_AGE)
        return Claim(pk=int(payload["p"]), email=str(payload["e"]))
    except signing.SignatureExpired:
        raise LinkRefused("expired") from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkRefused("invalid") from None


def signup_url(user) -> str:
    token = _dumps(user.pk, user.email, SIGNUP_SALT)
    return settings.SITE_URL + reverse("accounts:signup-confirm", args=[token])


def read_signup(token: str) -> Claim:
    return _loads(token, SIGNUP_SALT)


def reminder_email_url(profile) -> str:
    token = _dumps(profile.pk, profile.reminder_email, REMINDER_EMAIL_SALT)
    return settings.SITE_URL + reverse("accounts:reminder-email-confirm", args=[token])


def read_reminder_email(token: str) -> Claim:
    return _loads(token, REMINDER_EMAIL_SALT)


def read_token(url: str) -> str:
    """The token inside one of these links (the last path segment)."""
    return url.rstrip("/").rsplit("/", 1)[1]
