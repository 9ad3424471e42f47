"""Cross-site request forgery: every route, with every state-changing method, without a CSRF
token, is refused (403) and changes nothing, for a logged-in person and for a visitor. The one
exception is the one-click unsubscribe (RFC 8058: the mail client POSTs with no session), and
it is the only view marked csrf_exempt. GETs change nothing anywhere, since link scanners and
browsers' prefetchers follow them."""

from django.test import Client

from accounts.models import Profile
from tests.abuse.conftest import (
    ROUTES,
    Route,
    all_routes,
    changes,
    client_for,
    request,
    snapshot,
    sweep,
)

EXEMPT = "followups:unsubscribe"
UNSAFE = ("post", "put", "patch", "delete")
FORM = {"name": "Forged", "company_name": "Forged", "sent_text": "Forged", "progress": "100"}


def test_only_the_one_click_unsubscribe_is_csrf_exempt():
    exempt = {r.name for r in all_routes(admin=True) if getattr(r.callback, "csrf_exempt", False)}
    assert exempt == {EXEMPT}


def refuses_without_a_token(client: Client, world, route: Route, probes) -> None:
    for method, headers in probes:
        status = request(client, route, method, world.url(route), FORM, **headers).status_code
        assert status == 403, f"{method.upper()} {headers} answered {status}"


# The middleware refuses before any view runs, whatever the method: every unsafe method once,
# and the POST an htmx button sends.
LOGGED_IN = [*((m, {}) for m in UNSAFE), ("post", {"HTTP_HX_REQUEST": "true"})]


def test_a_logged_in_person_cannot_be_made_to_change_anything_without_a_token(world):
    client = client_for(world.sam, enforce_csrf_checks=True)
    before = snapshot()

    sweep(
        [r for r in ROUTES if r.name != EXEMPT],
        lambda route: refuses_without_a_token(client, world, route, LOGGED_IN),
    )

    assert changes(before, snapshot()) == []


def test_a_visitor_cannot_log_in_sign_up_or_reset_without_a_token(world):
    client = Client(enforce_csrf_checks=True)
    before = snapshot()

    sweep(
        [r for r in ROUTES if r.name != EXEMPT],
        lambda route: refuses_without_a_token(client, world, route, [("post", {})]),
    )

    assert changes(before, snapshot()) == []


def test_with_the_token_the_same_request_goes_through(world):
    """The control: the 403s above are about the missing token, not the request."""
    client = client_for(world.sam, enforce_csrf_checks=True)
    company = world.objects[next(k for k in world.objects if k.__name__ == "Company")]
    url = f"{company.get_absolute_url()}edit/"
    client.get(url)
    token = client.cookies["csrftoken"].value

    response = client.post(url, {"name": "Acme", "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.name == "Acme"


def test_the_one_click_unsubscribe_works_without_a_session_or_token(world):
    [route] = [r for r in ROUTES if r.name == EXEMPT]
    response = request(
        Client(enforce_csrf_checks=True),
        route,
        "post",
        world.url(route),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert not Profile.objects.get(user=world.sam).reminders_enabled


def test_no_get_changes_anything(world):
    sam = client_for(world.sam)
    before = snapshot()

    def check(route: Route) -> None:
        request(sam, route, "get", world.url(route))
        request(sam, route, "get", world.url(route), HTTP_HX_REQUEST="true")
        assert changes(before, snapshot()) == [], "a GET changed rows"

    sweep(ROUTES, check)
