"""A draft the person edited is kept, and is what the page, Copy, "Open in my email app", the
email link's "Mark as sent" and "what was sent" use afterwards."""

import re
from urllib.parse import unquote

from django.core import mail
from django.test import Client
from django.urls import reverse

from followups import outbox, services
from followups.models import FollowUp
from tests.factories import RejectionFactory
from tests.followups.conftest import at

EDITED = "Dear Dana,\n\nThank you for the call today. I hope we stay in touch.\n\nSam"


def thank_you(person, dana, time_machine) -> FollowUp:
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    rejection = RejectionFactory(
        owner=person,
        application__company=dana.company,
        contact=dana,
        received_at=at("2026-03-02 14:00"),
    )
    services.sync_rejection(rejection=rejection)
    return FollowUp.objects.get(kind=FollowUp.Kind.REJECTION_THANKS)


def save(client, followup, subject, text):
    return client.post(
        reverse("followups:draft-save", args=[followup.pk]), {"subject": subject, "text": text}
    )


def test_the_edit_is_kept_and_the_mailto_link_carries_it(person, dana, time_machine, client_for):
    followup = thank_you(person, dana, time_machine)
    client = client_for(person)

    answer = save(client, followup, "Thanks for the call", EDITED).json()

    assert answer["saved"] is True
    assert "Saved" in answer["message"]
    assert "Thank you for the call today" in unquote(answer["mailto"])
    page = client.get(followup.get_absolute_url()).content.decode()
    assert "Thank you for the call today. I hope we stay in touch." in page
    assert 'value="Thanks for the call"' in page


def test_the_reminder_email_and_its_mark_as_sent_link_use_the_edit(
    person, dana, time_machine, client_for
):
    followup = thank_you(person, dana, time_machine)
    save(client_for(person), followup, "Thanks for the call", EDITED)

    time_machine.move_to(at("2026-03-03 14:00"), tick=False)
    outbox.dispatch_due_reminders(now=at("2026-03-03 14:00"))
    body = mail.outbox[0].body
    assert "Thank you for the call today." in body
    done_link = re.search(r"^Mark as sent:\s+http://[^/]+(\S+)$", body, re.M).group(1)
    Client().post(done_link)

    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.DONE
    assert followup.sent_text == "Subject: Thanks for the call\n\n" + EDITED


def test_an_empty_editor_brings_the_drafted_message_back(person, dana, time_machine, client_for):
    followup = thank_you(person, dana, time_machine)
    client = client_for(person)
    save(client, followup, "Thanks", EDITED)

    answer = save(client, followup, "", "   ").json()

    assert "drafted message is back" in answer["message"]
    page = client.get(followup.get_absolute_url()).content.decode()
    assert "Thank you for letting me know your decision" in page


def test_nobody_else_can_save_into_it_and_a_done_one_is_not_changed(
    person, dana, time_machine, client_for, other_user
):
    followup = thank_you(person, dana, time_machine)
    assert save(client_for(other_user), followup, "x", "hijacked").status_code == 404

    services.mark_done(followup=followup, done_at=at("2026-03-03 10:00"))
    answer = save(client_for(person), followup, "late", "too late").json()

    assert answer["saved"] is False
    followup.refresh_from_db()
    assert followup.draft_body == ""
