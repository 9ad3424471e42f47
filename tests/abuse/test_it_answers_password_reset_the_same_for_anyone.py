"""Password reset does not tell who has an account: an unknown address and a known one get the
same answer, byte for byte (CSRF tokens aside), and an email goes only to the real account.
(tests/accounts/test_password_reset_and_change.py checks that the emailed link works.)"""

import pytest
from django.test import Client

from tests.abuse.conftest import without_tokens
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"


def ask(email: str):
    client = Client()
    first = client.post(RESET, {"email": email})
    return first, client.get(first["Location"])


def test_an_unknown_address_gets_the_same_answer_and_no_email(mailoutbox):
    UserFactory(username="sam", email="sam@example.com")
    nobody_redirect, nobody_page = ask("nobody@example.com")
    assert mailoutbox == []
    sam_redirect, sam_page = ask("sam@example.com")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["sam@example.com"]

    assert nobody_redirect.status_code == sam_redirect.status_code == 302
    assert nobody_redirect["Location"] == sam_redirect["Location"]
    assert nobody_page.status_code == sam_page.status_code == 200
    assert without_tokens(nobody_page) == without_tokens(sam_page)


def test_an_account_that_cannot_log_in_gets_no_email_either(mailoutbox):
    """No usable password (made by an admin) or switched off: same answer, nothing sent."""
    inactive = UserFactory(username="gone", email="gone@example.com")
    inactive.is_active = False
    inactive.save()
    unusable = UserFactory(username="admin-made", email="made@example.com")
    unusable.set_unusable_password()
    unusable.save()

    answers = [ask(address) for address in ("gone@example.com", "made@example.com")]

    assert mailoutbox == []
    assert {a[0]["Location"] for a in answers} == {ask("nobody@example.com")[0]["Location"]}


def test_password_reset_is_limited_per_email_address_and_per_network(mailoutbox, settings):
    """A flood of reset requests for one address sends only a few emails (the page says the
    same as ever); one network asking for many addresses is told to wait."""
    UserFactory(username="sam", email="sam@example.com")
    limits = settings.RATE_LIMITS["password_reset"]
    for n in range(limits["email"] + 3):
        response = Client(REMOTE_ADDR=f"192.0.2.{n}").post(RESET, {"email": "sam@example.com"})
        assert response.status_code == 302
    assert len(mailoutbox) == limits["email"]

    client = Client(REMOTE_ADDR="198.51.100.7")
    for n in range(limits["address"]):
        assert client.post(RESET, {"email": f"p{n}@example.com"}).status_code == 302
    response = client.post(RESET, {"email": "one-more@example.com"})
    assert response.status_code == 429
    assert "Too many requests from your network" in response.text
