"""axe-core in a real browser: every page a person uses, at desktop and phone widths, has no
serious or critical accessibility violation (axe-playwright-python bundles axe-core: no
network)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from followups.models import FollowUp

WIDTHS = (1280, 390)
SEVERE = {"serious", "critical"}

PUBLIC = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
LISTS = [
    "/dashboard/",
    "/applications/",
    "/companies/",
    "/contacts/",
    "/interviews/",
    "/rejections/",
    "/feedback/",
    "/goals/",
    "/followups/",
    "/followups/?state=missed",
]
FORMS = [
    "/log-rejection/",
    "/applications/new/",
    "/companies/new/",
    "/contacts/new/",
    "/interviews/new/",
    "/rejections/new/",
    "/feedback/new/",
    "/goals/new/",
    "/accounts/settings/",
    "/accounts/password/change/",
]


def severe_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in SEVERE
    ]


def check(page, base: str, paths: list[str]) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            page.goto(f"{base}{path}")
            problems += [f"{path} @ {width}px: {v}" for v in severe_violations(page)]
    return problems


def test_public_pages_have_no_serious_violations(live_server, page):
    assert check(page, live_server.url, PUBLIC) == []


@pytest.fixture
def demo(live_server, page, login):
    call_command("seed_demo", verbosity=0)
    login(page, "demo", "open-doors-demo")
    return page


def test_lists_and_the_dashboard_have_no_serious_violations(live_server, demo):
    assert check(demo, live_server.url, LISTS) == []


def test_forms_have_no_serious_violations(live_server, demo):
    assert check(demo, live_server.url, FORMS) == []


def test_the_followup_page_has_no_serious_violations_and_unique_ids(live_server, demo):
    followup = FollowUp.objects.filter(
        owner__username="demo", status=FollowUp.Status.PENDING
    ).first()
    path = followup.get_absolute_url()

    assert check(demo, live_server.url, [path]) == []
    duplicates = demo.evaluate(
        """() => {
            const seen = {};
            document.querySelectorAll('[id]').forEach(e => seen[e.id] = (seen[e.id] || 0) + 1);
            return Object.keys(seen).filter(id => seen[id] > 1);
        }"""
    )
    assert duplicates == []


def test_the_skip_link_and_focus_are_visible_from_the_keyboard(live_server, demo):
    demo.set_viewport_size({"width": 1280, "height": 900})
    demo.goto(f"{live_server.url}/dashboard/")
    demo.keyboard.press("Tab")
    skip = demo.get_by_test_id("skip-link")
    assert skip.is_visible()
    assert skip.evaluate("e => e === document.activeElement")
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    demo.keyboard.press("Enter")
    assert demo.evaluate("() => location.hash") == "#main"
