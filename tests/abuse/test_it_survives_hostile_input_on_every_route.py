"""No 5xx from any input an attacker or a fuzzer sends, on any route: a NUL byte in any query
parameter or form field, Unicode digits where a number is expected, an over-long email, dates
outside any sane window, a broken formset management form, HEAD on every GET route, and a time
zone name in the database that does not exist. Each value goes into every query parameter and
every field the route's own form has (read from its page), all at once. Run on PostgreSQL too
(DATABASE_URL): NUL bytes and out-of-range dates are refused there by the database itself, so
only a form that catches them first keeps the page from a 500."""

import re

import pytest
from django.test import Client

from accounts.models import Profile
from tests.abuse.conftest import ROUTES, client_for, sweep

# name -> the value put in every field and query parameter.
HOSTILE = {
    "nul byte": "Acme\x00Corp",
    "only a nul byte": "\x00",
    "control characters": "\x01\x02\x1b[31m",
    "superscript digit": "²",
    "arabic-indic digits": "١٢",
    "fullwidth digits": "１２",
    "over-long email": "a" * 110 + "@" + "b" * 150 + ".example",
    "year one": "0001-01-01",
    "year 9999": "9999-12-31",
    "year 275760": "275760-09-13T10:00",
    "huge number": "9" * 40,
    "negative number": "-2147483649",
}
# A formset's management form: missing (the fields absent), absurd, and not numbers.
MANAGEMENT = {
    "absurd counts": {"TOTAL_FORMS": "1000000", "INITIAL_FORMS": "0", "MAX_NUM_FORMS": "9"},
    "negative counts": {"TOTAL_FORMS": "-5", "INITIAL_FORMS": "-1"},
    "not numbers": {"TOTAL_FORMS": "²", "INITIAL_FORMS": "x\x00"},
}
# Routes that end the session or delete what the sweep still needs: asked with GET only.
GET_ONLY = re.compile(r"(logout|delete|close-door)$")
NAME = re.compile(r'\sname="([^"]+)"')
PREFIX = re.compile(r'name="([^"]*)-TOTAL_FORMS"')


def form_fields(client: Client, url: str) -> tuple[list[str], list[str]]:
    """The field names and formset prefixes of the route's own page (none for POST-only)."""
    page = client.get(url)
    if page.status_code != 200 or getattr(page, "streaming", False):
        return [], []  # (a download has no form)
    names = [n for n in NAME.findall(page.text) if n != "csrfmiddlewaretoken"]
    return sorted(set(names)), sorted(set(PREFIX.findall(page.text)))


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


def _send(client, method: str, url: str, data=None, **extra):
    try:
        return getattr(client, method)(url, data or {}, **extra)
    except Exception as exc:  # the test client re-raises a view's exception: a 500
        raise AssertionError(
            f"{method.upper()} {url} raised {exc.__class__.__name__}: {exc}"
        ) from exc


@pytest.fixture
def sam(world):
    return client_for(world.sam)


def every_field_name(world, client) -> list[str]:
    """Every field name any page of the site shows: what a POST-only route (its form sits
    on another page, such as a goal's "progress" box) is sent."""
    names = {"q", "page", "next", "sort", "kind", "status"}
    for route in ROUTES:
        names.update(form_fields(client, world.url(route))[0])
    return sorted(names)


def test_no_route_answers_a_hostile_value_with_a_server_error(world, sam):
    everywhere = every_field_name(world, sam)

    def check(route) -> None:
        url = world.url(route)
        fields, prefixes = form_fields(sam, url)
        names = fields or everywhere
        for label, value in HOSTILE.items():
            query = dict.fromkeys(names, value)
            assert_no_server_error(_send(sam, "get", url, query), f"GET {label}")
            if GET_ONLY.search(route.name):
                continue
            data = dict(query)
            for prefix in prefixes:
                data.update(
                    {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"},
                )
            response = _send(sam, "post", url, data, HTTP_HX_REQUEST="true")
            assert_no_server_error(response, f"POST {label}")
            response = _send(sam, "post", url, data)
            assert_no_server_error(response, f"POST {label}")

    sweep(ROUTES, check)


def test_a_broken_formset_management_form_is_an_error_not_a_loop(world, sam):
    def check(route) -> None:
        url = world.url(route)
        fields, prefixes = form_fields(sam, url)
        if not prefixes or GET_ONLY.search(route.name):
            return
        for label, management in MANAGEMENT.items():
            base = dict.fromkeys(fields, "")
            for prefix in prefixes:
                base.pop(f"{prefix}-TOTAL_FORMS", None)
                base.pop(f"{prefix}-INITIAL_FORMS", None)
            missing = _send(sam, "post", url, base)
            assert_no_server_error(missing, "POST missing management form")
            data = dict(base)
            for prefix in prefixes:
                data.update({f"{prefix}-{key}": value for key, value in management.items()})
            assert_no_server_error(_send(sam, "post", url, data), f"POST {label}")

    sweep(ROUTES, check)


def test_head_works_wherever_get_does(world, sam):
    def check(route) -> None:
        url = world.url(route)
        got = sam.get(url)
        if got.status_code == 405:
            return
        head = _send(sam, "head", url)
        assert head.status_code == got.status_code, (
            f"HEAD {head.status_code}, GET {got.status_code}"
        )
        body = (
            b"".join(head.streaming_content) if getattr(head, "streaming", False) else head.content
        )
        assert body == b""

    sweep(ROUTES, check)


def test_a_stored_time_zone_that_does_not_exist_breaks_no_page(world, sam):
    Profile.objects.filter(user=world.sam).update(time_zone="Mars/Olympus_Mons")

    def check(route) -> None:
        url = world.url(route)
        assert_no_server_error(_send(sam, "get", url), "GET with a broken zone")

    sweep(ROUTES, check)
    world.sam.profile.refresh_from_db()
    assert str(world.sam.profile.zone) == "UTC"
