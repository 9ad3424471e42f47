"""Paste a rejection email on "Log a rejection", check what it found, log it."""

import datetime as dt
import zoneinfo
from email.utils import format_datetime

from django.utils import timezone
from playwright.sync_api import expect

from accounts.services import create_account
from applications.models import Application, Rejection
from followups.models import FollowUp

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def test_it_logs_a_pasted_email_whose_thank_you_is_due_a_day_after_its_date(
    live_server, page, login
):
    create_account(
        username="mo",
        email="mo@example.com",
        password="a-long-passphrase-1",
        time_zone="Europe/Berlin",
    )
    # Yesterday at noon in Berlin: a day later is inside Mo's reminder hours (8:00-20:00).
    yesterday = timezone.localtime(timezone.now(), BERLIN).date() - dt.timedelta(days=1)
    sent = dt.datetime.combine(yesterday, dt.time(12, 0), tzinfo=BERLIN)
    email = (
        "From: Dana Whitfield <dana.whitfield@fabrikam.example>\n"
        "To: Mo <mo@example.com>\n"
        "Subject: Your application for Staff Engineer\n"
        f"Date: {format_datetime(sent)}\n"
        "Message-ID: <e2e-1@fabrikam.example>\n\n"
        "Hi Mo,\n\nThank you for your interest in Fabrikam and for the time you spent with us.\n\n"
        "We have decided to move forward with other candidates for the Staff Engineer role.\n"
        "We'd love to stay in touch.\n\nBest regards,\nDana Whitfield\n"
    )
    login(page, "mo", "a-long-passphrase-1")
    page.get_by_test_id("nav-log-rejection").click()
    page.get_by_text("Have the email? Paste it").click()
    page.get_by_test_id("paste-email").fill(email)
    page.get_by_test_id("read-email").click()

    expect(page.get_by_test_id("decided-by")).to_contain_text(
        "Decided by: “decided to move forward with other candidates”"
    )
    expect(page.get_by_test_id("open-door")).to_contain_text("stay in touch")
    expect(page.locator("input[name=company_name]")).to_have_value("Fabrikam")
    expect(page.locator("input[name=role_title]")).to_have_value("Staff Engineer")
    expect(page.locator("input[name=contact_name]")).to_have_value("Dana Whitfield")
    expect(page.locator("input[name=contact_email]")).to_have_value(
        "dana.whitfield@fabrikam.example"
    )
    expect(page.locator("input[name=received_at]")).to_have_value(f"{yesterday:%Y-%m-%d}T12:00")
    assert not Rejection.objects.exists()  # nothing saved before the person confirms

    page.get_by_test_id("submit").click()

    expect(page.get_by_test_id("application-title")).to_contain_text("Staff Engineer")
    expect(page.get_by_test_id("status")).to_contain_text("Rejected")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Thank-you after a rejection")
    due_local = sent + dt.timedelta(hours=24)
    expect(timeline).to_contain_text(f"due {due_local:%a} {due_local.day} {due_local:%b}, 12:00")

    rejection = Rejection.objects.get(owner__username="mo")
    assert rejection.received_at == sent
    assert rejection.channel == Rejection.Channel.EMAIL
    assert rejection.application.company.name == "Fabrikam"
    assert Application.objects.filter(owner__username="mo").count() == 1
    thanks = FollowUp.objects.get(owner__username="mo", kind=FollowUp.Kind.REJECTION_THANKS)
    assert thanks.due_at == sent + dt.timedelta(hours=24)
