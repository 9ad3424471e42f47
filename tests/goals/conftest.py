"""The goal tests use the job-search fixtures (a person in Berlin, a company, a clock)."""

from tests.applications.conftest import acme, application, dana, needs_postgres, now  # noqa: F401
