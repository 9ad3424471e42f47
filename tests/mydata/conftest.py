"""Fixtures shared with the follow-up engine's tests."""

from tests.followups.conftest import smtp_server  # noqa: F401  (fixtures are found by name)
