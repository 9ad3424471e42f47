"""RFC 8058 one-click unsubscribe: the mail client POSTs to the List-Unsubscribe URL, with no
session and no CSRF token, and reminder emails stop."""

import pytest
from django.core import mail
from django.test import Client

from followups import outbox, services
from followups.models import Reminder
from tests.factories import RejectionFactory
from tests.followups.conftest import at


@pytest.fixture
def unsubscribe_path(person, dana, time_machine):
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    services.sync_rejection(
        rejection=RejectionFactory(
            owner=person,
            application__company=dana.company,
            contact=dana,
            received_at=at("2026-03-02 14:00"),
        )
    )
    outbox.dispatch_due_reminders(now=at("2026-03-03 14:00"))
    header = mail.outbox[0].message()["List-Unsubscribe"]
    return header.strip("<>").removeprefix("http://127.0.0.1:8000")


def test_a_one_click_post_turns_reminders_off(person, unsubscribe_path):
    client = Client(enforce_csrf_checks=True)  # a mail client: no cookie, no token
    response = client.post(unsubscribe_path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    person.profile.refresh_from_db()
    assert person.profile.reminders_enabled is False
    # The 90-day check-in's reminder is cancelled; nothing more is sent.
    assert not Reminder.objects.filter(owner=person, status=Reminder.Status.PENDING).exists()
    assert outbox.dispatch_due_reminders(now=at("2026-06-01 10:00")).sent == 0


def test_opening_the_link_asks_first(person, unsubscribe_path):
    page = Client().get(unsubscribe_path)
    assert "Stop reminder emails?" in page.text
    person.profile.refresh_from_db()
    assert person.profile.reminders_enabled is True


def test_a_forged_unsubscribe_link_is_refused(person, unsubscribe_path):
    forged = unsubscribe_path.replace("/unsubscribe/", "/unsubscribe/x")
    assert Client(enforce_csrf_checks=True).post(forged).status_code == 400
    person.profile.refresh_from_db()
    assert person.profile.reminders_enabled is True


def test_the_action_links_are_not_csrf_exempt(person, dana, time_machine):
    """Only the unsubscribe endpoint is exempt: a POST to an action link without the token
    from its confirm page is refused."""
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    services.sync_rejection(
        rejection=RejectionFactory(
            owner=person, application__company=dana.company, received_at=at("2026-03-02 14:00")
        )
    )
    outbox.dispatch_due_reminders(now=at("2026-03-03 14:00"))
    done = next(
        line.split()[-1]
        for line in mail.outbox[0].body.splitlines()
        if line.startswith("Mark as sent:")
    )
    path = done.removeprefix("http://127.0.0.1:8000")
    assert Client(enforce_csrf_checks=True).post(path).status_code == 403


def test_turning_emails_back_on_plans_what_was_not_sent(person, unsubscribe_path):
    """GIVEN the thank-you's reminder sent, then emails turned off (the check-in's cancelled)
    WHEN emails are turned back on
    THEN the check-in gets its reminder again, and the thank-you is not sent twice."""
    Client().post(unsubscribe_path)
    person.profile.reminders_enabled = True
    person.profile.save()
    assert services.resume_reminders(owner=person, now=at("2026-03-03 15:00")) == 1
    assert outbox.dispatch_due_reminders(now=at("2026-03-04 12:00")).sent == 0
    assert outbox.dispatch_due_reminders(now=at("2026-05-31 14:00")).sent == 1
