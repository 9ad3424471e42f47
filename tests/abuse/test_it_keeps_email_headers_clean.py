"""A newline in a company or contact name cannot add a header to an email (a Bcc to a stranger,
a second Subject): the forms tidy names onto one line, and the email builder collapses the
subject whatever is stored. Checked on what reached a real SMTP server: its headers and its
envelope recipients."""

import datetime as dt
import uuid
from email.header import decode_header, make_header

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from accounts.models import Profile
from applications.models import Company, Contact
from followups import outbox, services
from followups.models import Reminder
from tests.abuse.conftest import client_for
from tests.factories import ContactFactory, RejectionFactory, UserFactory
from tests.followups.conftest import at

INJECTED = "Acme\r\nBcc: victim@evil.example\r\nSubject: You won"
THEN = at("2026-03-02 14:00")


def subject_of(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def dispatch_to(smtp_server, now) -> None:
    with override_settings(
        EMAIL_BACKEND="followups.smtp.EmailBackend",  # production's
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_server.port,
    ):
        summary = outbox.dispatch_due_reminders(now=now)
    assert summary.emails == 1, summary


def assert_clean(smtp_server, *, to: str) -> None:
    [message] = smtp_server.received
    assert message["X-Envelope-To"] == to
    assert message["Bcc"] is None
    assert len(message.get_all("Subject")) == 1
    assert len(message.get_all("To")) == 1
    # Long subjects are folded ("\r\n " continues the same header); decoded, it is one line.
    subject = subject_of(message)
    assert "\n" not in subject and "\r" not in subject
    assert "victim@evil.example" not in message["To"]


@pytest.fixture
def sam(db):
    user = UserFactory(username="sam", email="sam@example.com")
    Profile.objects.filter(user=user).update(reminder_start=dt.time(0), reminder_end=dt.time(0))
    return user


def test_a_name_typed_with_newlines_is_saved_on_one_line_and_mailed_cleanly(sam, smtp_server):
    with time_machine.travel(THEN, tick=False):
        response = client_for(sam).post(
            reverse("applications:log-rejection"),
            {
                "form_token": str(uuid.uuid4()),
                "company_name": INJECTED,
                "role_title": "Engineer\r\nBcc: x@evil.example",
                "received_at": "2026-03-02T14:00",
                "channel": "email",
                "stage_reached": "interview",
                "contact_name": "Dana\nBcc: victim@evil.example",
            },
        )
    assert response.status_code == 302
    company = Company.objects.get(owner=sam)
    assert company.name == "Acme Bcc: victim@evil.example Subject: You won"
    assert "\n" not in Contact.objects.get(owner=sam).name

    dispatch_to(smtp_server, THEN + dt.timedelta(days=1))

    assert_clean(smtp_server, to="sam@example.com")


def test_a_stored_name_with_newlines_still_cannot_add_a_header(sam, smtp_server):
    """Rows written past the forms (the admin, an import, an older version): the subject is
    collapsed onto one line when the email is built."""
    contact = ContactFactory(owner=sam, name="Dana\r\nBcc: victim@evil.example")
    Company.objects.filter(pk=contact.company_id).update(name=INJECTED)
    with time_machine.travel(THEN, tick=False):
        services.sync_rejection(
            rejection=RejectionFactory(
                owner=sam, application__company=contact.company, contact=contact, received_at=THEN
            )
        )

    dispatch_to(smtp_server, THEN + dt.timedelta(days=1))

    assert_clean(smtp_server, to="sam@example.com")
    [message] = smtp_server.received
    assert "Acme Bcc: victim@evil.example Subject: You won" in subject_of(message)
    assert Reminder.objects.get(status=Reminder.Status.SENT)


def test_a_reminder_address_with_a_newline_is_refused_in_the_settings(sam):
    response = client_for(sam).post(
        reverse("accounts:settings"),
        {"reminder_email": "sam@example.com\r\nBcc: victim@evil.example", "time_zone": "UTC"},
    )
    assert response.status_code == 200
    assert "reminder_email" in response.context["form"].errors
    assert Profile.objects.get(user=sam).reminder_email == ""
