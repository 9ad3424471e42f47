"""The whole way, as a new person lives it: sign up, record a search, get the reminder email
the next day, act on it from the email, and see the door open on the dashboard."""

import datetime as dt
import re
import zoneinfo
from email.header import decode_header, make_header

from playwright.sync_api import expect

from followups.models import FollowUp, Reminder
from tests.e2e.conftest import path_of
from tests.followups.conftest import body_text

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_it_takes_a_rejection_to_a_sent_thank_you_through_a_real_inbox(
    live_server, browser, dispatchers, smtp_server, screenshot_dir, confirm_signup
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="UTC")
    page = context.new_page()

    # Sign up, then set the time zone.
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("input[name=full_name]", "Jordan Example")
    page.fill("input[name=username]", "jordan")
    page.fill("input[name=email]", "jordan@example.com")
    page.fill("input[name=password1]", "a-long-unusual-passphrase")
    page.fill("input[name=password2]", "a-long-unusual-passphrase")
    page.get_by_role("button", name="Create my account").click()
    confirm_signup(page, "jordan@example.com")
    expect(page.get_by_text("Welcome to Open Doors")).to_be_visible()
    page.goto(f"{live_server.url}/accounts/settings/")
    page.fill("input[name=full_name]", "Jordan Lee")
    page.select_option("select[name=time_zone]", "America/New_York")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()

    # An application, an interview two days ago, and the rejection today.
    page.get_by_test_id("nav-applications").click()
    page.goto(f"{live_server.url}/applications/new/")
    page.fill("input[name=company_name]", "Initech")
    page.fill("input[name=role_title]", "Platform Engineer")
    applied = dt.datetime.now(NEW_YORK).date() - dt.timedelta(days=12)
    page.fill("input[name=applied_on]", applied.isoformat())
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("application-title")).to_contain_text("Platform Engineer")
    application_url = page.url

    page.get_by_test_id("add-interview").click()
    two_days_ago = dt.datetime.now(NEW_YORK) - dt.timedelta(days=2)
    page.fill("input[name=when]", two_days_ago.strftime("%Y-%m-%dT10:00"))
    page.fill("textarea[name=notes]", "We talked about their move to event sourcing.")
    page.get_by_test_id("submit").click()
    page.goto(application_url)
    expect(page.get_by_test_id("timeline")).to_contain_text("nterview")

    page.get_by_test_id("log-rejection-button").click()
    page.fill("input[name=contact_name]", "Priya Shah")
    page.fill("input[name=contact_email]", "priya@initech.example")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_contain_text("Rejected")

    # The thank-you is on its way: due within the week.
    page.goto(live_server.url)
    expect(page.get_by_test_id("card-coming-up")).to_contain_text("Priya")

    # A day passes: beat's dispatcher runs at the reminder's time and the email arrives.
    reminder = Reminder.objects.get(
        owner__username="jordan", followup__kind=FollowUp.Kind.REJECTION_THANKS
    )
    dispatchers.run(now=reminder.send_at + dt.timedelta(minutes=1))
    [message] = smtp_server.received
    assert message["X-Envelope-To"] == "jordan@example.com"
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject.startswith("Thank Priya at Initech — by ")
    text = body_text(message)
    assert "Priya" in text and "Platform Engineer" in text and "Jordan Lee" in text
    done_link = re.search(r"^Mark as sent:\s+(\S+)", text, re.M).group(1)

    # The link works from the mail app: no session in this browser context.
    inbox = browser.new_context()
    mail_page = inbox.new_page()
    mail_page.goto(live_server.url + path_of(done_link))
    mail_page.get_by_test_id("confirm").click()
    expect(mail_page.get_by_role("heading", name="Marked as sent")).to_be_visible()
    mail_page.screenshot(path=screenshot_dir / "journey-marked-from-email.png")
    inbox.close()

    # Back in the app: the thank-you is done on the application's timeline...
    page.goto(application_url)
    thank_you = page.get_by_test_id("timeline-followup").filter(
        has_text="Thank-you after a rejection"
    )
    expect(thank_you).to_contain_text("Done")

    # ...and on the dashboard the door is open, touched today, with the 90-day check-in planned.
    page.goto(live_server.url)
    door = page.get_by_test_id("door-row").filter(has_text="Initech")
    expect(door.get_by_test_id("door-state")).to_contain_text("Warm")
    expect(door.get_by_test_id("door-contact")).to_contain_text("Priya Shah")
    check_in = FollowUp.objects.get(owner__username="jordan", kind=FollowUp.Kind.CHECK_IN)
    expected = check_in.due_at.astimezone(NEW_YORK)
    expect(door.get_by_test_id("door-next-check-in")).to_contain_text(
        f"{expected.day} {expected:%b %Y}"
    )
    page.screenshot(path=screenshot_dir / "journey-dashboard.png", full_page=True)
    context.close()
