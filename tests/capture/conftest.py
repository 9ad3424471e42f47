"""Fixtures for capture: the written emails, and a person with a search under way."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine

EMAILS = Path(__file__).parent / "emails"
# A Wednesday in December 2026, after every email in the corpus arrived.
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)


def email_bytes(name: str) -> bytes:
    return (EMAILS / name).read_bytes()


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW
