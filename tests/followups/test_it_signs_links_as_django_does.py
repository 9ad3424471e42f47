"""The links in reminder emails are signed by followups.tokens with the derived keys kept, not
by django.core.signing itself: each token is the very string signing.dumps() writes, and reads
back with signing.loads(), whatever SECRET_KEY is (a rotated key changes every link)."""

import time

import pytest
from django.core import signing
from django.test import override_settings

from followups import tokens
from tests.factories import FollowUpFactory


def test_each_token_is_the_string_django_would_sign(person, time_machine):
    time_machine.move_to("2026-03-03 13:00:00+00:00", tick=False)
    followup = FollowUpFactory(owner=person)
    for action in tokens.Action:
        token = tokens.action_token(followup, action)
        payload = signing.loads(token, salt=tokens.ACTION_SALT)
        assert payload == {
            "f": followup.pk,
            "o": person.pk,
            "a": str(action),
            "k": tokens.binding(person),
        }
        assert token == signing.dumps(payload, salt=tokens.ACTION_SALT)
    token = tokens.unsubscribe_token(person)
    assert token == signing.dumps(
        {"u": person.pk, "k": tokens.binding(person)}, salt=tokens.UNSUBSCRIBE_SALT
    )
    assert tokens.read_unsubscribe_token(token) == (person.pk, tokens.binding(person))


def test_a_new_secret_key_signs_anew_and_old_links_stop(person):
    followup = FollowUpFactory(owner=person)
    old = tokens.action_token(followup, tokens.Action.DONE)
    with override_settings(SECRET_KEY="another-key-" + "k" * 50, SECRET_KEY_FALLBACKS=[]):
        new = tokens.action_token(followup, tokens.Action.DONE)
        assert new != old
        assert tokens.read_action_token(new).followup_id == followup.pk
        with pytest.raises(tokens.LinkInvalid):
            tokens.read_action_token(old)
    assert signing.loads(old, salt=tokens.ACTION_SALT)["f"] == followup.pk


def test_the_timestamp_is_the_time_of_signing(person, time_machine):
    time_machine.move_to("2026-03-03 13:00:00+00:00", tick=False)
    token = tokens.unsubscribe_token(person)
    signed_at = signing.b62_decode(token.split(":")[1])
    assert signed_at == int(time.time())
