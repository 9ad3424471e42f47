"""The dashboard tests use the engine's fixtures (a person in Berlin, Dana at Acme)."""

from tests.followups.conftest import dana, needs_postgres, person  # noqa: F401
