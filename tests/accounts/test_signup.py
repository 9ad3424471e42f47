"""Sign-up: the page answers the same for a taken and a free email address (the address's
owner learns which from the email), the account works once the emailed link is followed, a
taken username gets a suffix named only in that email, and floods are limited."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from accounts.models import Profile
from tests.abuse.conftest import without_tokens
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def _sign_up(client, **overrides):
    data = {
        "full_name": "Alex Moreno",
        "username": "alex",
        "email": "Alex@Example.com",
        "password1": "a-long-unusual-passphrase",
        "password2": "a-long-unusual-passphrase",
        "time_zone": "America/New_York",
    } | overrides
    return client.post("/accounts/signup/", data, follow=True)


def _link(message) -> str:
    return re.search(r"https?://\S+/accounts/signup/confirm/\S+/", message.body)[0]


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_it_creates_the_account_after_the_emailed_link_and_keeps_the_time_zone(client):
    response = _sign_up(client)
    assert "Check your inbox" in response.text
    assert "_auth_user_id" not in client.session
    user = User.objects.get(username="alex")
    assert not user.is_active  # not usable before the address is confirmed
    refused = client.post(
        "/accounts/login/", {"username": "alex", "password": "a-long-unusual-passphrase"}
    )
    assert "_auth_user_id" not in client.session
    assert refused.status_code == 200

    [message] = mail.outbox
    assert message.to == ["alex@example.com"]
    assert 'Your username is "alex".' in message.body
    link = _path(_link(message))
    assert "Confirm and log in" in client.get(link).text  # a GET (a mail scanner) only asks
    assert not User.objects.get(username="alex").is_active

    response = client.post(link, follow=True)

    assert response.context["user"].username == "alex"
    assert "Welcome to Open Doors" in response.text
    profile = Profile.objects.get(user__username="alex")
    assert profile.time_zone == "America/New_York"
    assert profile.user.email == "alex@example.com"
    assert profile.user.is_active


def test_it_answers_the_same_for_a_taken_email_and_tells_only_its_owner(client):
    taken = UserFactory(username="sam", email="sam@example.com")
    free = _sign_up(Client(), username="newbie", email="free@example.com")
    mail.outbox.clear()

    again = _sign_up(Client(), username="newbie2", email="SAM@example.com")

    assert without_tokens(again).replace("sam@example.com", "X") == without_tokens(free).replace(
        "free@example.com", "X"
    )
    [message] = mail.outbox
    assert message.to == [taken.email]
    assert "You already have one" in message.body
    assert "/accounts/login/" in message.body and "/accounts/password/reset/" in message.body
    assert not User.objects.filter(username="newbie2").exists()
    taken.refresh_from_db()
    assert taken.check_password("correct-horse-battery")


def test_a_taken_username_gets_a_suffix_named_only_in_the_email(client):
    UserFactory(username="alex", email="first@example.com")

    response = _sign_up(client, email="second@example.com")

    assert "Check your inbox" in response.text
    assert "taken" not in response.text
    [message] = mail.outbox
    name = re.search(r'Your username is "(alex-\d{4})"', message.body)[1]
    assert '("alex" was taken' in message.body
    assert User.objects.get(username=name).email == "second@example.com"


def test_an_unconfirmed_sign_up_is_replaced_by_the_next_one_for_that_address(client):
    _sign_up(
        Client(),
        username="squatter",
        password1="x-squatters-pass-1",
        password2="x-squatters-pass-1",
    )
    _sign_up(client, username="alex")

    assert not User.objects.filter(username="squatter").exists()
    client.post(_path(_link(mail.outbox[-1])))
    assert User.objects.get(email="alex@example.com").username == "alex"


def test_it_falls_back_to_utc_for_an_unknown_time_zone(client):
    _sign_up(client, time_zone="Mars/Olympus_Mons")
    assert Profile.objects.get(user__username="alex").time_zone == "UTC"


def test_it_refuses_mismatched_passwords_and_saves_nothing(client):
    response = _sign_up(client, password2="something-else-entirely")
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(username="alex").exists()
    assert not Profile.objects.exists()
    assert mail.outbox == []


def test_sign_up_is_limited_per_email_address_and_per_network(client, settings):
    limits = settings.RATE_LIMITS["signup"]
    for n in range(limits["email"] + 2):
        response = _sign_up(Client(REMOTE_ADDR=f"192.0.2.{n}"), username=f"a{n}")
        assert "Check your inbox" in response.text
    # Only so many emails to one address, whatever the page says.
    assert len(mail.outbox) == limits["email"]

    for n in range(limits["address"]):
        _sign_up(client, username=f"b{n}", email=f"b{n}@example.com")
    response = _sign_up(client, username="one-more", email="one-more@example.com")
    assert response.status_code == 429
    assert "Too many requests from your network" in response.text
    assert not User.objects.filter(username="one-more").exists()


def test_it_asks_for_the_name_that_greets_and_signs(client):
    response = _sign_up(client, full_name="   ")
    assert "Type your name, as you sign your emails." in response.content.decode()
    assert not User.objects.filter(username="alex").exists()

    _sign_up(client, full_name="  Alex   Moreno ")
    assert Profile.objects.get(user__username="alex").full_name == "Alex Moreno"
