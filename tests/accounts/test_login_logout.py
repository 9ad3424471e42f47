import pytest

pytestmark = pytest.mark.django_db


def test_it_logs_in_with_the_right_password_and_out_again(client, user):
    response = client.post(
        "/accounts/login/", {"username": "sam", "password": "correct-horse-battery"}, follow=True
    )
    assert response.context["user"].is_authenticated
    response = client.post("/accounts/logout/", follow=True)
    assert not response.context["user"].is_authenticated
    assert "A rejection is not the end of the conversation" in response.content.decode()


def test_it_says_when_the_password_is_wrong(client, user):
    response = client.post("/accounts/login/", {"username": "sam", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_it_sends_a_visitor_to_the_login_page_for_private_pages(client):
    response = client.get("/accounts/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
