"""Failed-login throttling (django-axes), shaped so it cannot be turned against the owner.

Two limits, counted over the cool-off window:
- AXES_FAILURE_LIMIT failures of one username *from one address* lock that pair. Failures
  for someone's username from elsewhere never lock the owner out at home.
- LOGIN_FAILURES_PER_ADDRESS failures of any usernames from one address lock that address
  (password spraying). It is higher, because many people can share one address.
A failure while locked is not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off), so
hammering a lock does not make it last longer.

The address is the connection's, or, behind TRUSTED_PROXIES reverse proxies, the one the
outermost of them saw (`client_address`).
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The address of the person, not of our own proxy.

    Each trusted proxy appends the address it received the connection from to
    X-Forwarded-For, so with N proxies the client is the N-th entry from the right; anything
    left of it was written by the client and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    hops = settings.TRUSTED_PROXIES
    if hops <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    if len(chain) < hops:
        return remote
    candidate = chain[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler with the per-address limit added to its per-pair one."""

    def get_failures(self, request, credentials=None) -> int:
        pair = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if address is None:
            return pair
        from_address = (
            AccessAttempt.objects.filter(
                ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        # Axes compares one number with AXES_FAILURE_LIMIT: an address over its own limit
        # reads as a full count.
        if from_address >= settings.LOGIN_FAILURES_PER_ADDRESS:
            return max(pair, settings.AXES_FAILURE_LIMIT)
        return pair
