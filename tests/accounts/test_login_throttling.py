import pytest

pytestmark = pytest.mark.django_db


def _attempt(client, password, **headers):
    return client.post("/accounts/login/", {"username": "sam", "password": password}, **headers)


def test_it_locks_the_account_after_five_failures_even_with_the_right_password(client, user):
    for _ in range(5):
        _attempt(client, "wrong")
    response = _attempt(client, "correct-horse-battery")
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()


def test_it_is_not_fooled_by_a_forged_forwarded_for_header(client, user):
    for n in range(5):
        _attempt(client, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = _attempt(client, "correct-horse-battery", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429
