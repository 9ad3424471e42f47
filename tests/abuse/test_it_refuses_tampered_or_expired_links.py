"""The signed links in reminder emails act without a login, so they are checked hard: changed,
cut, re-signed for another purpose or with another key, or older than 30 days, a link is
refused on GET and on POST with a page that says why, and nothing changes. The unsubscribe
link likewise. (tests/followups/test_it_acts_on_signed_email_links.py shows a good link work.)"""

import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from followups import tokens
from followups.models import FollowUp
from tests.abuse.conftest import NOW, changes, snapshot

Action = tokens.Action


def payload_of(followup, action: Action) -> dict:
    return {"f": followup.pk, "o": followup.owner_id, "a": str(action)}


def flip_last(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def other_payload(token: str, world) -> str:
    """The payload of a link for another follow-up, with this link's timestamp and signature."""
    other = next(f for f in world.followups if f.pk != world.objects[FollowUp].pk)
    forged = signing.dumps(payload_of(other, Action.DONE), salt=tokens.ACTION_SALT)
    return forged.split(":", 1)[0] + ":" + token.split(":", 1)[1]


FORGERIES = {
    "signature changed": lambda token, world: flip_last(token),
    "payload swapped for another follow-up": other_payload,
    "cut short": lambda token, world: token[:-6],
    "signed for unsubscribing": lambda token, world: signing.dumps(
        payload_of(world.objects[FollowUp], Action.DONE), salt=tokens.UNSUBSCRIBE_SALT
    ),
    "signed with another key": lambda token, world: signing.dumps(
        payload_of(world.objects[FollowUp], Action.DONE),
        key="not-the-secret-key",
        salt=tokens.ACTION_SALT,
    ),
    "an unsubscribe token": lambda token, world: tokens.unsubscribe_token(world.sam),
    "not a token at all": lambda token, world: "hello",
}


def action_path(token: str) -> str:
    return reverse("followups:action", args=[token])


def assert_refused(response, status: int, reason: str) -> None:
    assert response.status_code == status
    assert f'data-reason="{reason}"' in response.text
    assert "Nothing was changed" in response.text or reason != "invalid"


@pytest.mark.parametrize("action", list(Action), ids=str)
@pytest.mark.parametrize("forgery", list(FORGERIES), ids=str)
def test_a_forged_link_is_refused_and_changes_nothing(world, action, forgery):
    good = tokens.action_token(world.objects[FollowUp], action)
    path = action_path(FORGERIES[forgery](good, world))
    before = snapshot()

    for method in ("get", "post"):
        assert_refused(
            getattr(Client(), method)(path, {"asked_for_feedback": "on"}), 400, "invalid"
        )

    assert changes(before, snapshot()) == []


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_a_link_older_than_thirty_days_is_refused_and_changes_nothing(world, action):
    # In UTC: 30 days after a Berlin morning in March is an hour less across the DST change.
    sent = NOW.astimezone(dt.UTC)
    with time_machine.travel(sent, tick=False):
        path = action_path(tokens.action_token(world.objects[FollowUp], action))
    before = snapshot()

    with time_machine.travel(sent + tokens.ACTION_LINK_MAX_AGE + dt.timedelta(minutes=1)):
        for method in ("get", "post"):
            assert_refused(getattr(Client(), method)(path, {}), 410, "expired")

    assert changes(before, snapshot()) == []
    with time_machine.travel(sent + tokens.ACTION_LINK_MAX_AGE - dt.timedelta(minutes=1)):
        assert Client().get(path).status_code == 200  # the control: two minutes younger, it works


def test_a_link_to_a_deleted_follow_up_says_so(world):
    followup = world.objects[FollowUp]
    path = action_path(tokens.action_token(followup, Action.DONE))
    followup.application.delete()

    for method in ("get", "post"):
        assert_refused(getattr(Client(), method)(path, {}), 404, "gone")


def test_a_forged_unsubscribe_link_is_refused_and_reminders_stay_on(world):
    good = tokens.unsubscribe_token(world.sam)
    forged = [
        flip_last(good),
        good[:-6],
        tokens.action_token(world.objects[FollowUp], Action.SKIP),
        signing.dumps(
            {"u": world.intruder.pk}, key="not-the-secret-key", salt=tokens.UNSUBSCRIBE_SALT
        ),
    ]
    for token in forged:
        path = reverse("followups:unsubscribe", args=[token])
        response = Client().post(path, {"List-Unsubscribe": "One-Click"})
        assert_refused(response, 400, "invalid")
    assert Profile.objects.filter(reminders_enabled=True).count() == 2
