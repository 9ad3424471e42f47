import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_it_emails_a_working_reset_link(client, user):
    response = client.post("/accounts/password/reset/", {"email": user.email}, follow=True)
    assert "a link to reset the password is on its way" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Reset your Open Doors password"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-passphrase-9", "new_password2": "brand-new-passphrase-9"},
        follow=True,
    )
    assert "Your new password is set" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("brand-new-passphrase-9")


def test_it_answers_the_same_for_an_unknown_address_and_sends_nothing(client, user):
    response = client.post(
        "/accounts/password/reset/", {"email": "nobody@example.com"}, follow=True
    )
    assert "a link to reset the password is on its way" in response.content.decode()
    assert mail.outbox == []


def test_it_changes_the_password_for_a_logged_in_person(user, user_client):
    response = user_client.post(
        "/accounts/password/change/",
        {
            "old_password": "correct-horse-battery",
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
        follow=True,
    )
    assert "Your password was changed" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("another-long-passphrase")
