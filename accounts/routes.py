"""A route's URL with one value put in, resolved once per route.

`reverse()` resolves the route again on every call, tens of microseconds each: the
dashboard's cards repeat a handful of routes on every row (seventy links a render), and every
reminder email carries four signed links. Here a route taking one value is resolved once per
URLconf and script prefix, with a stand-in value, and each value is put in the stand-in's place.

    pk_url("dashboard:followup-done", 7)                == reverse(..., args=[7])
    url_with("followups:action", token, stand_in=SLOT)  == reverse(..., args=[token])

The value is put in as it is, so it must be what reverse() would write unchanged: a number, or
text made only of characters a URL path keeps (a signed token: URL-safe base64 and colons).
"""

import functools

from django.urls import get_script_prefix, get_urlconf, reverse

# Stand-ins no real value equals: one for routes that take a number, one for text.
NUMBER = 2_147_480_647
SLOT = "value-goes-here"


@functools.lru_cache(maxsize=128)
def _around(view: str, stand_in: int | str, urlconf, prefix: str) -> tuple[str, str]:
    url = reverse(view, args=[stand_in], urlconf=urlconf)
    before, found, after = url.partition(str(stand_in))
    if not found or str(stand_in) in after:
        raise ValueError(f"{view} does not take exactly one value")
    return before, after


def url_with(view: str, value: int | str, *, stand_in: int | str) -> str:
    before, after = url_around(view, stand_in=stand_in)
    return f"{before}{value}{after}"


def url_around(view: str, *, stand_in: int | str) -> tuple[str, str]:
    """What comes before and after the value in the route's URL (several values of one route:
    `f"{before}{value}{after}"` for each)."""
    return _around(view, stand_in, get_urlconf(), get_script_prefix())


def pk_url(view: str, pk: int) -> str:
    """The URL of a route taking one number (`<int:pk>`)."""
    return url_with(view, int(pk), stand_in=NUMBER)


def pk_urls(views: tuple[str, ...], pk: int) -> list[str]:
    """`pk_url(view, pk)` for each of `views`: the URLconf and prefix are looked up once."""
    urlconf, prefix, pk = get_urlconf(), get_script_prefix(), int(pk)
    return [
        f"{before}{pk}{after}"
        for before, after in (_around(view, NUMBER, urlconf, prefix) for view in views)
    ]
