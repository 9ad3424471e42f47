"""A reminder says who to write to (name and address, or where to add the missing address),
carries "Open in my email app" with the draft addressed, and a visible unsubscribe link."""

from urllib.parse import unquote

import pytest
from django.core import mail

from followups import outbox, services
from followups.models import FollowUp
from tests.factories import ContactFactory, RejectionFactory
from tests.followups.conftest import at


def reminder_for(person, contact, time_machine):
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    rejection = RejectionFactory(
        owner=person,
        application__company=contact.company,
        contact=contact,
        received_at=at("2026-03-02 14:00"),
    )
    services.sync_rejection(rejection=rejection)
    time_machine.move_to(at("2026-03-03 14:00"), tick=False)
    outbox.dispatch_due_reminders(now=at("2026-03-03 14:00"))
    [message] = mail.outbox
    return message, rejection


def test_it_names_the_person_and_the_address_and_opens_the_email_app(person, dana, time_machine):
    message, _ = reminder_for(person, dana, time_machine)
    html = message.alternatives[0][0]

    assert "To: Dana Whitfield <dana@acme.example>" in message.body
    assert "<strong>To:</strong> Dana Whitfield &lt;dana@acme.example&gt;" in html
    mailto = next(
        line for line in message.body.splitlines() if line.startswith("Open in my email app")
    )
    assert "mailto:dana@acme.example?subject=" in mailto
    assert "Thank you for letting me know" in unquote(mailto)
    assert "Open in my email app</a>" in html


def test_a_contact_without_an_address_gets_a_link_to_add_one(person, time_machine):
    nobody = ContactFactory(owner=person, company__name="Acme", name="Dana Whitfield", email="")
    message, _ = reminder_for(person, nobody, time_machine)
    html = message.alternatives[0][0]

    assert (
        f"To: Dana Whitfield, no address recorded: add one at http://127.0.0.1:8000/contacts/{nobody.pk}/edit/"
        in message.body
    )
    assert "no address recorded: <a href=" in html
    # The email app still opens with the draft; the person types the address there.
    assert "Open in my email app (the draft, addressed): mailto:?subject=" in message.body


@pytest.mark.parametrize("part", ["text", "html"])
def test_the_footer_has_a_visible_unsubscribe_link(person, dana, time_machine, part):
    message, _ = reminder_for(person, dana, time_machine)
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")

    if part == "text":
        assert f"Unsubscribe (no more reminder emails): {unsubscribe}" in message.body
    else:
        assert f'<a href="{unsubscribe}">Unsubscribe</a>' in message.alternatives[0][0]
    assert FollowUp.objects.count() >= 1
