"""Counting requests per address and per email address in the cache, to stop floods of
sign-ups and password resets (each one sends an email to somebody).

A fixed window per key: the first hit starts it, and it ends `window` seconds later. Keys are
hashed, so no address or email lands in the cache in the clear.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{kind}:{digest}"


def hit(scope: str, kind: str, value: str | None) -> bool:
    """Count one request; False once more than the limit came within the window."""
    if not value:
        return True
    limit = settings.RATE_LIMITS[scope][kind]
    window = settings.RATE_LIMIT_WINDOW_SECONDS
    key = _key(scope, kind, value)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
