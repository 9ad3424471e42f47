"""They replied, from the reminder email in a real browser: the next check-in moves."""

import datetime as dt
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.dates import day_text
from followups import outbox, services
from followups.models import FollowUp
from tests.e2e.conftest import path_of
from tests.factories import ContactFactory, RejectionFactory, UserFactory

Kind = FollowUp.Kind


def test_they_replied_from_the_email_moves_the_next_check_in(live_server, browser, login):
    """GIVEN Globex said no ten days ago, the thank-you (asking for feedback) sent the next
    day, the feedback nudge's reminder email in the inbox, the check-in due in 80 days
    WHEN the person opens the email's "They replied" link and confirms it in Chromium
    THEN the dashboard's open door shows the next check-in 90 days from today, and the
    feedback nudge is gone."""
    person = UserFactory(username="riley", email="riley@example.com")
    dana = ContactFactory(owner=person, company__name="Globex", name="Dana Park")
    now = timezone.now()
    rejection = RejectionFactory(
        owner=person,
        application__company=dana.company,
        contact=dana,
        received_at=now - dt.timedelta(days=10),
    )
    services.sync_rejection(rejection=rejection)
    thanks = FollowUp.objects.get(kind=Kind.REJECTION_THANKS)
    services.mark_done(followup=thanks, done_at=now - dt.timedelta(days=9), asked_for_feedback=True)
    check_in = FollowUp.objects.get(kind=Kind.CHECK_IN)
    before = check_in.due_at
    nudge = FollowUp.objects.get(kind=Kind.FEEDBACK_NUDGE)
    # Sent at the start of the person's reminder hours: dispatch as if it were that time.
    outbox.dispatch_due_reminders(now=max(now, nudge.reminders.get().next_attempt_at))
    (email,) = mail.outbox
    assert "about feedback" in email.subject
    link = re.search(r"^They replied:\s+(\S+)$", email.body, re.M).group(1)

    context = browser.new_context(timezone_id="UTC")
    page = context.new_page()
    login(page, "riley", "correct-horse-battery")
    door = page.get_by_test_id("door-row").filter(has_text="Globex")
    zone = person.profile.zone
    shown = door.get_by_test_id("door-next-check-in")
    expect(shown).to_have_text(day_text(before.astimezone(zone).date()))

    page.goto(f"{live_server.url}{path_of(link)}")
    expect(page.get_by_test_id("action-confirm")).to_contain_text("Dana")
    page.fill("textarea[name=words]", "Dana: they will keep me in mind.")
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("action-done")).to_contain_text("Reply recorded")
    expect(page.get_by_test_id("outcome-message")).to_contain_text("No need any more")

    page.goto(f"{live_server.url}/")
    check_in.refresh_from_db()
    # 90 days from the reply (today), placed in the person's reminder hours: ten days later.
    assert check_in.due_at - timezone.now() >= dt.timedelta(days=89, hours=23)
    assert check_in.due_at - before >= dt.timedelta(days=9)
    expect(shown).to_have_text(day_text(check_in.due_at.astimezone(zone).date()))
    assert not FollowUp.objects.filter(kind=Kind.FEEDBACK_NUDGE, status="pending").exists()
    context.close()
