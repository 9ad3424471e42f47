"""End-to-end tests: Debian's Chromium driven by Playwright against Django's live server."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"

# Playwright's sync API keeps an event loop running in this thread; the test's own ORM
# calls are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        # Root has no sandbox here, and the machine's network is closed: keep Chromium quiet.
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    """docs/screenshots with `make screenshots` (UPDATE_SCREENSHOTS=1); a temporary folder
    otherwise, so a test run leaves the work tree as it found it."""
    if os.environ.get("UPDATE_SCREENSHOTS") != "1":
        return tmp_path
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def login(live_server):
    """Log a page in through the real form: login(page, username, password)."""

    def do(page, username: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("[data-testid=logout]", state="attached")

    return do


# The engine's real SMTP server and dispatcher processes, for journeys that end in an inbox.
from tests.followups.conftest import dispatchers, smtp_server  # noqa: E402, F401


def path_of(url: str) -> str:
    """An emailed link points at SITE_URL; the live server answers the same path."""
    import re

    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def confirm_signup(live_server):
    """After "Create my account": follow the link in the confirmation email, as the person
    would, and press the button on the page it opens: confirm_signup(page, email)."""
    import re

    from django.core import mail

    def do(page, email: str) -> None:
        expect(page.get_by_text("Check your inbox")).to_be_visible()
        message = next(m for m in reversed(mail.outbox) if m.to == [email])
        url = re.search(r"https?://\S+/accounts/signup/confirm/\S+/", message.body)[0]
        page.goto(f"{live_server.url}{path_of(url)}")
        page.get_by_role("button", name="Confirm and log in").click()

    return do
