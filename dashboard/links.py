"""Links to a row's pages, for the cards that repeat them on every row.

`pk_url("dashboard:followup-done", 7)` is `reverse("dashboard:followup-done", args=[7])`.
`reverse()` resolves the route again on every call: the due-now card asked it seventy times a
render, the open doors two per company (600 times for 300 companies). Here the route of a
name taking one number is resolved once (with a stand-in number) and each row's number put in
its place. `{% pk_url name pk %}` (templatetags/row_urls.py) is the same for templates.
"""

import functools

from django.urls import get_script_prefix, reverse

_STAND_IN = 2_147_480_647


@functools.lru_cache(maxsize=128)
def _around_pk(name: str, script_prefix: str) -> tuple[str, str]:
    url = reverse(name, args=[_STAND_IN])
    before, found, after = url.partition(str(_STAND_IN))
    if not found or str(_STAND_IN) in after:
        raise ValueError(f"{name} does not take exactly one number")
    return before, after


def pk_url(name: str, pk: int) -> str:
    before, after = _around_pk(name, get_script_prefix())
    return f"{before}{int(pk)}{after}"
