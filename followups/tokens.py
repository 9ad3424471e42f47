"""Signed links in reminder emails: act on one follow-up without logging in.

A link is bound to one follow-up, its owner and one action, signed with SECRET_KEY and a
salt of its own, and expires after 30 days. A GET only shows a confirm page (mail scanners
follow links); the POST from that page acts.

Every link also carries a fingerprint of the owner's password hash (as Django's password
reset tokens do): changing the password, or deleting the account and someone later getting
the same id, makes every link sent before stop working.
"""

import datetime as dt
import functools
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

from accounts.routes import SLOT, url_around, url_with

ACTION_SALT = "followups.action-link"
UNSUBSCRIBE_SALT = "followups.unsubscribe-link"
BINDING_SALT = "followups.link-binding"
ACTION_LINK_MAX_AGE = dt.timedelta(days=30)
# An unsubscribe link lives as long as the reminder it came with: an older email's button
# leads to a page that says how to turn reminders off in the settings instead.
UNSUBSCRIBE_LINK_MAX_AGE = ACTION_LINK_MAX_AGE


class Action(StrEnum):
    DONE = "done"
    SNOOZE = "snooze"
    SKIP = "skip"
    REPLIED = "replied"  # works on a follow-up already sent, too (followups.replies)

    @property
    def label(self) -> str:
        return {
            "done": "Mark as sent",
            "snooze": "Snooze a day",
            "skip": "Skip",
            "replied": "They replied",
        }[self.value]


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def binding(user) -> str:
    """Changes when the person's password does (and differs between two accounts)."""
    # salted_hmac(BINDING_SALT, ..., algorithm="sha256"), with the derived key kept.
    return _salted_hmac(BINDING_SALT, f"{user.pk}:{user.password}").hexdigest()[:16]


def is_bound_to(claimed: str, user) -> bool:
    return constant_time_compare(claimed, binding(user))


@dataclass(frozen=True)
class ActionClaim:
    followup_id: int
    owner_id: int
    action: Action
    binding: str = ""

    def holds_for(self, user) -> bool:
        return is_bound_to(self.binding, user)


def action_token(followup, action: Action, *, bound: str | None = None) -> str:
    """`bound`: the owner's `binding()`, if already computed (an email has four links)."""
    payload = {
        "f": followup.pk,
        "o": followup.owner_id,
        "a": str(action),
        "k": binding(followup.owner) if bound is None else bound,
    }
    return _dumps(payload, salt=ACTION_SALT)


def read_action_token(token: str) -> ActionClaim:
    """The follow-up, owner and action a link stands for; LinkExpired / LinkInvalid if not."""
    try:
        payload = signing.loads(token, salt=ACTION_SALT, max_age=ACTION_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkExpired(str(exc)) from None
    except signing.BadSignature as exc:
        raise LinkInvalid(str(exc)) from None
    try:
        return ActionClaim(
            followup_id=int(payload["f"]),
            owner_id=int(payload["o"]),
            action=Action(payload["a"]),
            binding=str(payload["k"]),
        )
    except (KeyError, TypeError, ValueError):
        raise LinkInvalid("malformed payload") from None


def unsubscribe_token(user) -> str:
    return _dumps({"u": user.pk, "k": binding(user)}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, binding) of an unsubscribe link; LinkExpired / LinkInvalid if not valid."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkExpired(str(exc)) from None
    except signing.BadSignature as exc:
        raise LinkInvalid(str(exc)) from None
    try:
        return int(payload["u"]), str(payload["k"])
    except (KeyError, TypeError, ValueError):
        raise LinkInvalid("bad unsubscribe link") from None


# --- Signing: Django's signing.dumps(), byte for byte, with its keys derived once ------------
# Every reminder email carries four signed links and each carries the owner's binding: with
# signing.dumps() and salted_hmac() that is ten SHA-256 key derivations (and a TimestampSigner
# built four times) per email. The derived key depends only on the salt and SECRET_KEY, so it
# is derived once and its HMAC state copied per use. Tokens are read back with
# signing.loads() (which also accepts SECRET_KEY_FALLBACKS);
# tests/followups/test_it_signs_links_as_django_does.py compares the two writers.


@functools.lru_cache(maxsize=16)
def _keyed(key_salt: str, secret: str) -> hmac.HMAC:
    key = hashlib.sha256(key_salt.encode() + secret.encode()).digest()
    return hmac.new(key, digestmod=hashlib.sha256)


def _salted_hmac(key_salt: str, value: str) -> hmac.HMAC:
    """`salted_hmac(key_salt, value, algorithm="sha256")` with settings.SECRET_KEY."""
    mac = _keyed(key_salt, settings.SECRET_KEY).copy()
    mac.update(value.encode())
    return mac


# What `json.dumps(payload, separators=(",", ":"))` uses, made once rather than per call.
_JSON = json.JSONEncoder(separators=(",", ":"))


def _dumps(payload: dict, *, salt: str) -> str:
    """`signing.dumps(payload, salt=salt)`: JSON, URL-safe base64, a timestamp, a signature."""
    data = signing.b64_encode(_JSON.encode(payload).encode("latin-1"))
    value = f"{data.decode()}:{_timestamp(int(time.time()))}"
    signature = signing.b64_encode(_salted_hmac(salt + "signer", value).digest()).decode()
    return f"{value}:{signature}"


@functools.lru_cache(maxsize=4)
def _timestamp(seconds: int) -> str:
    """`signing.b62_encode(seconds)`: the same for every link made within one second."""
    return signing.b62_encode(seconds)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def action_url(followup, action: Action) -> str:
    return absolute(_path("followups:action", action_token(followup, action)))


def action_urls(followup) -> dict[Action, str]:
    """Every action's link for one follow-up (what a reminder email shows), the owner's
    binding computed once."""
    bound = binding(followup.owner)
    before, after = url_around("followups:action", stand_in=SLOT)
    return {
        action: absolute(f"{before}{action_token(followup, action, bound=bound)}{after}")
        for action in Action
    }


def unsubscribe_url(user) -> str:
    return absolute(_path("followups:unsubscribe", unsubscribe_token(user)))


def _path(view: str, token: str) -> str:
    """`reverse(view, args=[token])` for a signed token (URL-safe base64 and colons, which
    reverse() leaves as they are), the route resolved once (accounts.routes)."""
    return url_with(view, token, stand_in=SLOT)
