"""Login throttling that forged headers cannot get around, and that an attacker cannot turn
against the owner. tests/accounts/test_login_throttling.py shows the basics (five failures
lock a username at that address, even with a forged X-Forwarded-For for each). Here: password
spraying from one address meets the per-address limit; failures for Sam's name from elsewhere
do not lock Sam out; a lock ends after its cool-off however hard it is hammered; behind a
trusted proxy each person is counted by their own address."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from tests.abuse.conftest import without_tokens
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
FORGED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_CLIENT_IP", "HTTP_FORWARDED")


def attempt(client, username: str, password: str, address: str = "192.0.2.10", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_spraying_many_accounts_from_one_address_locks_the_address(client):
    """GIVEN an attacker trying one password on many accounts, forging every proxy header anew
    WHEN they reach the per-address limit and then try another account with its right password
    THEN they are refused: the limit counts the address the connection came from."""
    limit = settings.LOGIN_FAILURES_PER_ADDRESS
    target = UserFactory(username="target")
    for n in range(limit):
        headers = {name: f"203.0.113.{n % 250}" for name in FORGED}
        attempt(client, f"person{n}", "Summer2026!", **headers)
    fresh = {name: "198.51.100.99" for name in FORGED}

    response = attempt(client, target.username, "correct-horse-battery", **fresh)

    assert response.status_code == 429
    assert "Too many failed log-ins" in response.text
    assert not logged_in(client)


def test_a_few_failures_on_several_names_do_not_lock_a_shared_address(client):
    """An office behind one address: five people each mistyping once is not an attack."""
    people = [UserFactory(username=f"colleague{n}") for n in range(6)]
    for person in people[:5]:
        attempt(client, person.username, "typo")

    attempt(client, people[5].username, "correct-horse-battery")

    assert logged_in(client)


def test_failures_for_a_name_from_five_addresses_do_not_lock_its_owner_out(client):
    """GIVEN five failures on Sam's account, each from a different address
    WHEN Sam logs in with the right password from a sixth address
    THEN Sam is in: a username is only locked together with the address it failed from."""
    UserFactory(username="sam")
    for n in range(5):
        attempt(client, "sam", "wrong", address=f"192.0.2.{n + 20}")

    response = attempt(client, "sam", "correct-horse-battery", address="192.0.2.99")

    assert response.status_code == 302
    assert logged_in(client)


def test_a_lock_ends_after_its_cool_off_however_often_it_is_hit(client):
    """GIVEN five failures on Sam's name from one address (locked: even the right password
    is refused there), and more failures during the lock
    WHEN the cool-off has passed since the fifth failure
    THEN the right password from that address logs Sam in: hitting a lock does not extend it."""
    UserFactory(username="sam")
    start = timezone.now()
    cool_off = dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            attempt(client, "sam", "wrong")
        assert attempt(client, "sam", "correct-horse-battery").status_code == 429
    with time_machine.travel(start + cool_off - dt.timedelta(minutes=2), tick=False):
        for _ in range(5):
            assert attempt(client, "sam", "wrong").status_code == 429

    with time_machine.travel(start + cool_off + dt.timedelta(minutes=1), tick=False):
        response = attempt(client, "sam", "correct-horse-battery")

    assert response.status_code == 302
    assert logged_in(client)


@override_settings(TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_each_person_is_counted_by_their_own_address(client):
    """GIVEN one reverse proxy (TRUSTED_PROXIES=1): every request comes from its address, and
    it appends the address it saw to X-Forwarded-For
    WHEN an attacker behind it locks Sam's name (forging an X-Forwarded-For of their own)
    THEN Sam, behind the same proxy, still logs in; the attacker stays locked."""
    UserFactory(username="sam")
    proxy = "10.0.0.2"
    for n in range(5):
        attempt(
            client, "sam", "wrong", address=proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.7"
        )
    attacker = attempt(
        client,
        "sam",
        "correct-horse-battery",
        address=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
    )
    assert attacker.status_code == 429

    response = attempt(
        client, "sam", "correct-horse-battery", address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.55"
    )

    assert response.status_code == 302
    assert logged_in(client)


def test_a_locked_out_unknown_name_looks_like_a_locked_out_account(client):
    """Locking does not tell an attacker which usernames exist."""
    UserFactory(username="sam")
    for _ in range(5):
        attempt(client, "sam", "wrong", address="192.0.2.40")
        attempt(client, "nobody", "wrong", address="192.0.2.60")

    known = attempt(client, "sam", "wrong", address="192.0.2.40")
    unknown = attempt(client, "nobody", "wrong", address="192.0.2.60")

    assert known.status_code == unknown.status_code == 429
    assert without_tokens(known) == without_tokens(unknown)
