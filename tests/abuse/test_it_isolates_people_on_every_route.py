"""Nobody reaches another person's search. The sweep is generated from the URL configuration:
every route that takes an id is tried with Sam's ids by someone else, on GET and POST (and
POST from htmx): "not found", and not one row changes. A route that takes something other
than an id must be on a short, explicit list of links that are public by design."""

import io
import zipfile

from django.test import Client

from applications.models import Application, Company, Feedback, Rejection
from tests.abuse.conftest import (
    MARK,
    ROUTES,
    Route,
    changes,
    client_for,
    request,
    snapshot,
    sweep,
    url_of,
)

# Public by design: signed links, each bound to one person by its signature (see
# test_it_refuses_tampered_or_expired_links.py, tests/accounts/test_signup.py and
# test_reminder_email_confirmation.py), Django's password-reset link, and the calendar feed
# at its secret address (tests/mydata/test_it_serves_a_private_calendar.py).
PUBLIC_BY_DESIGN = {
    "followups:action",
    "followups:unsubscribe",
    "accounts:password_reset_confirm",
    "mydata:calendar-feed",
    "accounts:signup-confirm",
    "accounts:reminder-email-confirm",
}

WITH_ID = [r for r in ROUTES if r.int_args]
NO_ARGS = [r for r in ROUTES if not r.args]

# What a hijacking POST would carry: a plausible value for every form on the site.
TAKEOVER = {
    "name": "Mine now",
    "company_name": "Mine now",
    "role_title": "Mine now",
    "what": "Mine now",
    "what_they_said": "Mine now",
    "notes": "Mine now",
    "sent_text": "Mine now",
    "text": "Mine now",
    "progress": "100",
    "period": "7",
    "due_at": "2030-01-01T09:00",
    "received_at": "2026-03-01T09:00",
    "when": "2026-03-01T09:00",
    "applied_on": "2026-02-01",
    "target_date": "2030-01-01",
    "kind": "video",
    "theme": "other",
    "role": "recruiter",
    "status": "applied",
}
PROBES = [("get", {}), ("post", {}), ("post", {"HTTP_HX_REQUEST": "true"})]


def test_every_route_with_an_argument_is_swept_or_public_by_design():
    with_other_args = {r.name for r in ROUTES if r.args and not r.int_args}
    assert with_other_args == PUBLIC_BY_DESIGN
    assert len(PUBLIC_BY_DESIGN) <= 6
    assert len(WITH_ID) >= 30  # the sweep really found the record pages


def test_another_person_gets_404_on_every_route_with_an_id_and_changes_nothing(world):
    """GET, POST and htmx POST with Sam's id, as someone else: 404. A route that does not
    take the method at all answers 405 before it looks anything up; that is allowed only when
    it is the same answer for an id that does not exist and for Sam himself (it reveals
    nothing)."""
    intruder, sam = client_for(world.intruder), client_for(world.sam)
    before = snapshot()

    def check(route: Route) -> None:
        url = world.url(route)
        missing = url_of(route, **dict.fromkeys(route.int_args, 10**9))
        for method, headers in PROBES:
            answer = request(intruder, route, method, url, TAKEOVER, **headers).status_code
            if answer == 404:
                continue
            assert answer == 405, f"{method.upper()} {headers} answered {answer}"
            assert request(intruder, route, method, missing, TAKEOVER, **headers).status_code == 405
            assert request(sam, route, method, url, TAKEOVER, **headers).status_code == 405
        assert changes(before, snapshot()) == [], "rows changed"

    sweep(WITH_ID, check)


def test_the_owner_reaches_every_route_with_an_id(world):
    """The other half of the sweep: Sam's own ids are found, so the 404s above mean "not yours"."""
    sam = client_for(world.sam)

    def check(route: Route) -> None:
        status = request(sam, route, "get", world.url(route)).status_code
        assert status in (200, 405), f"GET answered {status}"

    sweep(WITH_ID, check)


def everything_in(response) -> str:
    """A response's text; for a zip (the data export), the text of every file in it."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type") == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(raw))
        raw = b"".join(archive.read(name) for name in archive.namelist())
    return raw.decode(errors="replace")


def test_no_page_without_an_id_shows_another_persons_records(world):
    """Lists, searches, the dashboard, create forms prefilled from ?application=<Sam's id>,
    the "applied here before?" panel: nothing of Sam's, as someone else."""
    intruder, o = client_for(world.intruder), world.objects
    query = {
        "application": o[Application].pk,
        "company": o[Company].pk,
        "rejection": o[Rejection].pk,
        "feedback": o[Feedback].pk,
        "company_name": o[Company].name,
        "q": "secret",  # a search that would match Sam's rows (and is not MARK itself)
    }

    def check(route: Route) -> None:
        response = request(intruder, route, "get", world.url(route), query)
        assert MARK not in everything_in(response), "shows Sam's text"

    sweep(NO_ARGS, check)


def test_an_anonymous_visitor_is_sent_to_log_in(world):
    anonymous = Client()

    def check(route: Route) -> None:
        response = request(anonymous, route, "get", world.url(route))
        assert response.status_code in (302, 405), response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), response["Location"]

    sweep(WITH_ID, check)


def test_the_admin_is_closed_to_people_who_are_not_staff(world):
    intruder = client_for(world.intruder)
    for url in ("/admin/", f"/admin/applications/company/{world.objects[Company].pk}/change/"):
        response = intruder.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
