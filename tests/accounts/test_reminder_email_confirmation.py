"""A reminder address goes to work only once the link sent to it is followed: typing someone
else's address sends them one "is this you?" email and no reminders; the account email keeps
receiving until then."""

import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Profile
from tests.accounts.test_settings_page import _settings_data

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    url = re.search(r"https?://\S+/accounts/settings/reminder-email/\S+/", message.body)[0]
    return re.sub(r"^https?://[^/]+", "", url)


def test_a_new_reminder_address_works_only_after_its_link(user, user_client):
    response = user_client.post(
        "/accounts/settings/", _settings_data(reminder_email="work@example.com"), follow=True
    )

    assert "We sent a link to work@example.com" in response.text
    profile = Profile.objects.get(user=user)
    assert profile.reminder_email == "work@example.com"
    assert profile.email_address == user.email  # still the account's
    [message] = mail.outbox
    assert message.to == ["work@example.com"]

    link = _link(message)
    assert "Send reminders to work@example.com?" in Client().get(link).text
    assert Profile.objects.get(user=user).email_address == user.email  # a GET changes nothing
    confirmed = Client().post(link)

    assert "Reminders now go to" in confirmed.text
    assert Profile.objects.get(user=user).email_address == "work@example.com"


def test_a_link_for_an_address_no_longer_typed_does_nothing(user, user_client):
    user_client.post("/accounts/settings/", _settings_data(reminder_email="old@example.com"))
    old_link = _link(mail.outbox[-1])
    user_client.post("/accounts/settings/", _settings_data(reminder_email="new@example.com"))

    response = Client().post(old_link)

    assert response.status_code == 404
    assert Profile.objects.get(user=user).email_address == user.email


def test_changing_a_confirmed_address_needs_a_new_confirmation(user, user_client):
    user_client.post("/accounts/settings/", _settings_data(reminder_email="work@example.com"))
    Client().post(_link(mail.outbox[-1]))
    user_client.post("/accounts/settings/", _settings_data(reminder_email="other@example.com"))

    assert Profile.objects.get(user=user).email_address == user.email
    # Typing the confirmed one back needs no new link.
    mail.outbox.clear()
    user_client.post("/accounts/settings/", _settings_data(reminder_email="work@example.com"))
    assert mail.outbox == []
    assert Profile.objects.get(user=user).email_address == "work@example.com"


def test_a_tampered_link_is_refused(user, user_client):
    user_client.post("/accounts/settings/", _settings_data(reminder_email="work@example.com"))
    link = _link(mail.outbox[-1])

    response = Client().post(link[:-3] + "xx/")

    assert response.status_code == 400
    assert Profile.objects.get(user=user).email_address == user.email
