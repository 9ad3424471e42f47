"""Fixtures for the job-search tests."""

import datetime as dt

import pytest
import time_machine

from tests.factories import ApplicationFactory, CompanyFactory, ContactFactory

# A Tuesday in March, 11:00 in Berlin (where the test user lives).
NOW = dt.datetime(2025, 3, 11, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def acme(user):
    return CompanyFactory(owner=user, name="Acme Analytics")


@pytest.fixture
def dana(user, acme):
    return ContactFactory(
        owner=user, company=acme, name="Dana Whitfield", email="dana@acme.example"
    )


@pytest.fixture
def application(user, acme, now):
    return ApplicationFactory(
        owner=user, company=acme, role_title="Backend Engineer", applied_on=dt.date(2025, 2, 20)
    )


@pytest.fixture
def needs_postgres(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
