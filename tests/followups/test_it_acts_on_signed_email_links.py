"""Links in reminder emails: GET shows a confirm page, POST acts, no login needed; bound to
one follow-up and one action; tampered or expired links are refused with a clear page."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client

from followups import outbox, services, tokens
from followups.models import FollowUp
from tests.factories import RejectionFactory
from tests.followups.conftest import at

Kind = FollowUp.Kind


@pytest.fixture
def links(person, dana, time_machine):
    """The three action links from the email Sam got on Tuesday 14:00."""
    time_machine.move_to(at("2026-03-02 14:00"), tick=False)
    rejection = RejectionFactory(
        owner=person,
        application__company=dana.company,
        contact=dana,
        received_at=at("2026-03-02 14:00"),
    )
    services.sync_rejection(rejection=rejection)
    time_machine.move_to(at("2026-03-03 14:00"), tick=False)
    outbox.dispatch_due_reminders(now=at("2026-03-03 14:00"))
    body = mail.outbox[0].body
    found = dict(re.findall(r"^(Mark as sent|Snooze a day|Skip):\s+http://[^/]+(\S+)$", body, re.M))
    return {"done": found["Mark as sent"], "snooze": found["Snooze a day"], "skip": found["Skip"]}


def thanks() -> FollowUp:
    return FollowUp.objects.get(kind=Kind.REJECTION_THANKS)


def test_opening_a_link_only_asks(links):
    page = Client().get(links["done"])
    assert page.status_code == 200
    assert "Thank Dana at Acme" in page.text and "Yes, mark as sent" in page.text
    assert thanks().status == FollowUp.Status.PENDING


def test_confirming_marks_it_sent_without_logging_in(links):
    page = Client().post(links["done"], {"asked_for_feedback": "on"})
    assert "Marked as sent" in page.text
    followup = thanks()
    assert followup.status == FollowUp.Status.DONE
    assert followup.done_at == at("2026-03-03 14:00")
    assert followup.asked_for_feedback
    assert "Next: Feedback follow-up, due Tue 10 Mar" in page.text


def test_confirming_twice_changes_nothing(links):
    client = Client()
    client.post(links["done"], {"asked_for_feedback": "on"})
    again = client.post(links["done"], {"asked_for_feedback": "on"})
    assert "Already taken care of" in again.text
    assert FollowUp.objects.filter(kind=Kind.FEEDBACK_NUDGE).count() == 1


def test_snooze_a_day(links):
    Client().post(links["snooze"])
    followup = thanks()
    assert followup.status == FollowUp.Status.PENDING
    assert followup.due_at == at("2026-03-04 14:00")


def test_skip(links):
    page = Client().post(links["skip"])
    assert "Skipped" in page.text
    assert thanks().status == FollowUp.Status.SKIPPED


def test_a_tampered_link_is_refused(links):
    path = links["done"]
    token = path.split("/")[-2]
    payload, rest = token.split(":", 1)
    forged = path.replace(
        token, payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + ":" + rest
    )
    for method in ("get", "post"):
        page = getattr(Client(), method)(forged)
        assert page.status_code == 400
        assert "This link is not valid" in page.text
    assert thanks().status == FollowUp.Status.PENDING


def test_a_link_cannot_be_turned_into_another_action(links):
    """The action is inside the signed payload: a skip link's signature does not fit "done"."""
    skip_token = links["skip"].split("/")[-2]
    done_token = links["done"].split("/")[-2]
    franken = done_token.split(":")[0] + ":" + ":".join(skip_token.split(":")[1:])
    assert Client().post(f"/followups/a/{franken}/").status_code == 400
    assert thanks().status == FollowUp.Status.PENDING


def test_an_expired_link_is_refused(links, time_machine):
    time_machine.move_to(at("2026-03-03 14:00") + dt.timedelta(days=31), tick=False)
    page = Client().post(links["done"])
    assert page.status_code == 410
    assert "This link has expired" in page.text
    assert thanks().status == FollowUp.Status.PENDING


def test_a_link_still_works_on_day_29(links, time_machine):
    time_machine.move_to(at("2026-03-03 14:00") + dt.timedelta(days=29), tick=False)
    assert Client().post(links["skip"]).status_code == 200
    assert thanks().status == FollowUp.Status.SKIPPED


def test_a_link_for_a_deleted_followup_says_so(links):
    thanks().delete()
    page = Client().get(links["done"])
    assert page.status_code == 404 and "Nothing to do here any more" in page.text


def test_tokens_carry_followup_owner_and_action(person, dana, time_machine):
    followup = FollowUp.objects.create(
        owner=person,
        kind=Kind.CHECK_IN,
        key="x:1:1",
        company=dana.company,
        due_at=at("2026-03-03 14:00"),
        deadline_at=at("2026-03-04 14:00"),
    )
    claim = tokens.read_action_token(tokens.action_token(followup, tokens.Action.SKIP))
    assert (claim.followup_id, claim.owner_id, claim.action) == (
        followup.pk,
        person.pk,
        tokens.Action.SKIP,
    )
    with pytest.raises(tokens.LinkInvalid):
        tokens.read_action_token(tokens.unsubscribe_token(person))  # another salt
