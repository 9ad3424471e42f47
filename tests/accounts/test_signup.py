import pytest
from django.contrib.auth import get_user_model

from accounts.models import Profile

pytestmark = pytest.mark.django_db


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


def test_it_creates_the_account_logs_in_and_keeps_the_browser_time_zone(client):
    response = _sign_up(client)
    assert response.context["user"].username == "alex"
    assert "Welcome to Open Doors" in response.content.decode()
    profile = Profile.objects.get(user__username="alex")
    assert profile.time_zone == "America/New_York"
    assert profile.user.email == "alex@example.com"


def test_it_falls_back_to_utc_for_an_unknown_time_zone(client):
    _sign_up(client, time_zone="Mars/Olympus_Mons")
    assert Profile.objects.get(user__username="alex").time_zone == "UTC"


def test_it_refuses_an_email_already_in_use_with_a_message_next_to_the_field(client, user):
    response = _sign_up(client, email=user.email.upper())
    assert response.status_code == 200
    assert "An account already uses this email" in response.content.decode()
    assert response.context["form"].errors["email"]
    assert not get_user_model().objects.filter(username="alex").exists()


def test_it_refuses_mismatched_passwords_and_saves_nothing(client):
    response = _sign_up(client, password2="something-else-entirely")
    assert "password2" in response.context["form"].errors
    assert not get_user_model().objects.filter(username="alex").exists()
    assert not Profile.objects.exists()


def test_it_asks_for_the_name_that_greets_and_signs(client):
    response = _sign_up(client, full_name="   ")
    assert "Type your name, as you sign your emails." in response.content.decode()
    assert not get_user_model().objects.filter(username="alex").exists()

    _sign_up(client, full_name="  Alex   Moreno ")
    assert Profile.objects.get(user__username="alex").full_name == "Alex Moreno"
