import re

from django.core.management import call_command
from playwright.sync_api import expect

from followups.models import FollowUp


def _thank_you_row(page):
    return (
        page.get_by_test_id("card-due-now")
        .locator("article")
        .filter(has=page.get_by_test_id("due-action").filter(has_text="Thank"))
        .first
    )


def test_it_shows_the_demo_search_and_marks_a_thank_you_sent_in_place(
    live_server, page, login, screenshot_dir
):
    call_command("seed_demo", verbosity=0)
    login(page, "demo", "open-doors-demo")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url)
    for card in ("card-due-now", "card-open-doors", "card-keep-going", "card-habits"):
        expect(page.get_by_test_id(card)).to_be_visible()
    page.screenshot(path=screenshot_dir / "dashboard-1280.png", full_page=True)

    row = _thank_you_row(page)
    row_id = row.get_attribute("id")
    followup = FollowUp.objects.get(pk=int(row_id.removeprefix("followup-")))
    page.evaluate("window.__notReloaded = true")

    row.get_by_test_id("mark-sent").click()

    expect(page.locator(f"#{row_id}")).to_have_count(0)
    expect(page.get_by_test_id("card-due-now").get_by_test_id("card-note")).to_contain_text(
        "Marked as sent: Thank"
    )
    assert page.evaluate("window.__notReloaded") is True  # htmx swapped the card, no reload
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.DONE
    assert followup.sent_text  # what was sent is kept


def test_it_flags_an_angry_draft_as_the_person_types(live_server, page, login):
    call_command("seed_demo", verbosity=0)
    login(page, "demo", "open-doors-demo")
    page.goto(live_server.url)
    row = _thank_you_row(page)
    row.get_by_test_id("draft").evaluate("details => { details.open = true; }")
    editor = row.get_by_test_id("draft-body")
    expect(row.get_by_test_id("tone-ready")).to_be_visible()

    editor.fill("This decision is UNFAIR and you clearly made a mistake!!")

    flags = row.get_by_test_id("tone-flag")
    expect(flags.first).to_be_visible()
    expect(row.get_by_test_id("tone-slot")).to_contain_text("UNFAIR")
    expect(row.get_by_test_id("tone-slot")).to_contain_text("made a mistake")
    expect(row.get_by_test_id("tone-ready")).to_have_count(0)


def test_it_fits_the_dashboard_on_a_phone(live_server, page, login, screenshot_dir):
    call_command("seed_demo", verbosity=0)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "demo", "open-doors-demo")
    page.goto(live_server.url)
    expect(page.get_by_test_id("card-due-now")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=screenshot_dir / "dashboard-390.png", full_page=True)


def test_an_edited_draft_is_kept_and_is_what_the_email_app_gets(live_server, page, login):
    """GIVEN the demo's thank-you on the dashboard
    WHEN the person edits the draft and clicks elsewhere
    THEN the edit is saved: after a reload the card shows it, and "Open in my email app"
    carries it."""
    call_command("seed_demo", verbosity=0)
    login(page, "demo", "open-doors-demo")
    page.goto(live_server.url)
    row = _thank_you_row(page)
    row_id = row.get_attribute("id")
    row.get_by_test_id("draft").evaluate("details => { details.open = true; }")
    editor = row.get_by_test_id("draft-body")

    editor.fill("Dear Dana,\n\nThank you for telling me in person. I hope we stay in touch.\n")
    row.get_by_test_id("draft-subject").click()  # leaving the message saves it

    expect(row.get_by_test_id("autosave-status")).to_contain_text("Saved")
    expect(row.get_by_test_id("mailto")).to_have_attribute(
        "href", re.compile(r"telling%20me%20in%20person")
    )
    page.reload()
    row = page.locator(f"#{row_id}")
    expect(row.get_by_test_id("draft-body")).to_have_value(
        "Dear Dana,\n\nThank you for telling me in person. I hope we stay in touch."
    )
    followup = FollowUp.objects.get(pk=int(row_id.removeprefix("followup-")))
    assert "telling me in person" in followup.draft_body


def test_missed_follow_ups_fold_away_and_are_dismissed_in_place(live_server, page, login):
    import datetime as dt

    from django.utils import timezone

    from accounts.services import create_account
    from tests.factories import FollowUpFactory

    user = create_account(username="lee", email="lee@example.com", password="a-long-passphrase-1")
    now = timezone.now()
    recent = FollowUpFactory(
        owner=user,
        company__name="Recent Co",
        due_at=now - dt.timedelta(days=2),
        deadline_at=now - dt.timedelta(days=1),
    )
    old = FollowUpFactory(
        owner=user,
        company__name="Old Co",
        due_at=now - dt.timedelta(days=11),
        deadline_at=now - dt.timedelta(days=10),
    )
    login(page, "lee", "a-long-passphrase-1")
    page.goto(live_server.url)

    due = page.get_by_test_id("card-due-now")
    expect(due.locator(f"#followup-{recent.pk}")).to_be_visible()
    expect(due).not_to_contain_text("Old Co")
    missed = page.get_by_test_id("card-missed")
    expect(missed.get_by_test_id("missed-count")).to_have_text("1")
    expect(missed.get_by_test_id("missed-row")).to_be_hidden()  # collapsed
    missed.locator("summary").click()
    expect(missed.get_by_test_id("missed-row")).to_contain_text("Old Co")
    missed.get_by_test_id("dismiss-missed").click()

    expect(page.get_by_test_id("card-missed")).to_contain_text("Dismissed 1 missed follow-up.")
    old.refresh_from_db()
    assert old.status == FollowUp.Status.MISSED
