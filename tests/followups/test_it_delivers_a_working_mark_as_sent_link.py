"""The whole way: a new person logs a rejection; a dispatcher a day later puts the email in a
real SMTP server; its "Mark as sent" link, opened and confirmed without logging in, marks the
follow-up done in the app; its one-click unsubscribe works without a session."""

import re

import pytest
from django.test import Client

from accounts.services import create_account
from applications.services import log_rejection
from followups.models import FollowUp
from tests.followups.conftest import at, body_text

pytestmark = pytest.mark.processes


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def csrf_from(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_the_emailed_link_marks_the_thank_you_sent(
    dispatchers, smtp_server, client_for, time_machine
):
    time_machine.move_to(at("2026-03-02 09:15"), tick=False)
    person = create_account(
        username="nia",
        email="nia@example.com",
        password="a long passphrase 42",
        time_zone="Europe/Berlin",
    )
    log_rejection(
        owner=person,
        received_at=at("2026-03-02 09:10"),
        company_name="Acme",
        role_title="Data Engineer",
        contact_name="Dana Whitfield",
        contact_email="dana@acme.example",
    )

    dispatchers.run(now=at("2026-03-03 09:10"))

    [message] = smtp_server.received
    assert message["X-Envelope-To"] == "nia@example.com"
    text = body_text(message)
    assert "Dear Dana," in text and "Data Engineer" in text
    done_url = re.search(r"^Mark as sent:\s+(\S+)", text, re.M).group(1)

    time_machine.move_to(at("2026-03-03 09:40"), tick=False)
    browser = Client(enforce_csrf_checks=True)  # no session: straight from the mail app
    confirm = browser.get(path_of(done_url))
    assert "Yes, mark as sent" in confirm.text
    done = browser.post(
        path_of(done_url), {"csrfmiddlewaretoken": csrf_from(confirm), "asked_for_feedback": "on"}
    )
    assert "Marked as sent" in done.text

    thanks = FollowUp.objects.get(owner=person, kind=FollowUp.Kind.REJECTION_THANKS)
    assert thanks.status == FollowUp.Status.DONE
    page = client_for(person).get(thanks.get_absolute_url())
    assert 'data-status="done"' in page.text

    unsubscribe = path_of(re.search(r"<([^>]+)>", message["List-Unsubscribe"]).group(1))
    assert (
        Client(enforce_csrf_checks=True)
        .post(unsubscribe, {"List-Unsubscribe": "One-Click"})
        .status_code
        == 200
    )
    person.profile.refresh_from_db()
    assert not person.profile.reminders_enabled
