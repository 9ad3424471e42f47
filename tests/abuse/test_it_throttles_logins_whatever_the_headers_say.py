"""Login throttling that forged headers cannot get around. tests/accounts/test_login_throttling.py
shows the basics (five failures lock an account, even with a forged X-Forwarded-For for each);
this extends it to the two ways around a per-address limit: many accounts from one address
behind a different forged header each time, and one account from many real addresses."""

import pytest

from tests.abuse.conftest import without_tokens
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
FORGED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_CLIENT_IP", "HTTP_FORWARDED")


def attempt(client, username: str, password: str, address: str = "192.0.2.10", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def test_spraying_many_accounts_from_one_address_locks_the_address(client):
    """GIVEN an attacker trying one password on five accounts, forging every proxy header anew
    WHEN they then try a sixth account with its right password, from the same address
    THEN they are refused: the limit counts the address the connection came from."""
    people = [UserFactory(username=f"person{n}") for n in range(6)]
    for n, person in enumerate(people[:5]):
        headers = {name: f"203.0.113.{n}" for name in FORGED}
        attempt(client, person.username, "Summer2026!", **headers)
    fresh = {name: "198.51.100.99" for name in FORGED}

    response = attempt(client, people[5].username, "correct-horse-battery", **fresh)

    assert response.status_code == 429
    assert "Too many failed log-ins" in response.text
    assert "_auth_user_id" not in client.session


def test_one_account_from_many_addresses_locks_the_account(client):
    """GIVEN five failures on Sam's account, each from a different real address
    WHEN the right password comes from a sixth address
    THEN it is refused too: the limit also counts the username."""
    UserFactory(username="sam")
    for n in range(5):
        attempt(client, "sam", "wrong", address=f"192.0.2.{n + 20}")

    response = attempt(client, "sam", "correct-horse-battery", address="192.0.2.99")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_locked_out_unknown_name_looks_like_a_locked_out_account(client):
    """Locking does not tell an attacker which usernames exist."""
    UserFactory(username="sam")
    for n in range(5):
        attempt(client, "sam", "wrong", address=f"192.0.2.{n + 40}")
        attempt(client, "nobody", "wrong", address=f"192.0.2.{n + 60}")

    known = attempt(client, "sam", "wrong", address="192.0.2.98")
    unknown = attempt(client, "nobody", "wrong", address="192.0.2.97")

    assert known.status_code == unknown.status_code == 429
    assert without_tokens(known) == without_tokens(unknown)
