"""A signed email link is bound to the password its owner had when it was sent: after a
password change (someone who read the mailbox and then lost it), or when the account is gone
and another one later has the same id, the old links act no more. Unsubscribe links expire
after 30 days like action links."""

import datetime as dt

import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from followups import tokens
from followups.models import FollowUp
from tests.abuse.conftest import NOW, changes, snapshot

Action = tokens.Action


def _refused(response, status: int, reason: str) -> bool:
    return response.status_code == status and f'data-reason="{reason}"' in response.text


def test_action_links_stop_working_when_the_password_changes(world):
    followup = world.objects[FollowUp]
    path = reverse("followups:action", args=[tokens.action_token(followup, Action.SKIP)])
    assert Client().get(path).status_code == 200  # the control: before the change it works

    world.sam.set_password("a brand new passphrase 42")
    world.sam.save()
    before = snapshot()

    assert _refused(Client().get(path), 400, "invalid")
    assert _refused(Client().post(path), 400, "invalid")
    assert changes(before, snapshot()) == []
    followup = FollowUp.objects.select_related("owner").get(pk=followup.pk)
    fresh = reverse("followups:action", args=[tokens.action_token(followup, Action.SKIP)])
    assert Client().get(fresh).status_code == 200  # a link sent after the change works


def test_unsubscribe_links_stop_working_when_the_password_changes(world):
    path = reverse("followups:unsubscribe", args=[tokens.unsubscribe_token(world.sam)])
    world.sam.set_password("a brand new passphrase 42")
    world.sam.save()

    assert _refused(Client().post(path, {"List-Unsubscribe": "One-Click"}), 400, "invalid")
    assert Profile.objects.get(user=world.sam).reminders_enabled


def test_a_deleted_accounts_links_do_not_work_for_the_next_account_with_its_id(world):
    sam_id = world.sam.pk
    action = tokens.action_token(world.objects[FollowUp], Action.SKIP)
    unsubscribe = tokens.unsubscribe_token(world.sam)
    world.sam.delete()
    # SQLite reuses the highest id after a delete; a restored backup can too.
    newcomer = get_user_model().objects.create_user(
        id=sam_id, username="newcomer", email="new@example.com", password="another one 77"
    )
    Profile.objects.get_or_create(user=newcomer)

    response = Client().post(
        reverse("followups:unsubscribe", args=[unsubscribe]), {"List-Unsubscribe": "One-Click"}
    )
    assert _refused(response, 400, "invalid")
    assert Profile.objects.get(user=newcomer).reminders_enabled
    assert _refused(Client().get(reverse("followups:action", args=[action])), 404, "gone")


def test_an_unsubscribe_link_older_than_thirty_days_is_refused(world):
    sent = NOW.astimezone(dt.UTC)
    with time_machine.travel(sent, tick=False):
        path = reverse("followups:unsubscribe", args=[tokens.unsubscribe_token(world.sam)])

    with time_machine.travel(sent + tokens.UNSUBSCRIBE_LINK_MAX_AGE + dt.timedelta(minutes=1)):
        response = Client().post(path, {"List-Unsubscribe": "One-Click"})
        assert _refused(response, 410, "expired")
        assert "turn reminder emails off in your settings" in response.text
    assert Profile.objects.get(user=world.sam).reminders_enabled

    with time_machine.travel(sent + tokens.UNSUBSCRIBE_LINK_MAX_AGE - dt.timedelta(minutes=1)):
        Client().post(path, {"List-Unsubscribe": "One-Click"})
    assert not Profile.objects.get(user=world.sam).reminders_enabled
