import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import UserFactory


def _renew_cards_stamp_on_every_statement() -> None:
    """Each test runs inside one transaction and reads its pages inside it, so the cards stamp
    must change on every statement there, not once per transaction as in production
    (dashboard.stamps): the connections of the test run say so."""
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = " ".join(
            filter(None, (options.get("options"), "-c cards_stamp.each_statement=on"))
        )


_renew_cards_stamp_on_every_statement()


@pytest.fixture
def user(db):
    return UserFactory(username="sam")


@pytest.fixture
def other_user(db):
    return UserFactory(username="intruder")


@pytest.fixture
def client_for():
    """A logged-in test client for any user: client_for(user)."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def user_client(user, client_for) -> Client:
    return client_for(user)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs ~0.3 s per password; tests check behaviour, not the hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    # Rate limits count in the cache (Redis when REDIS_URL is set): each test starts at zero.
    from django.core.cache import cache

    cache.clear()
    yield
