import subprocess
import sys

import pytest

from config.env import ImproperlyConfiguredEnv, envbool, envint, envlist


def test_it_reads_booleans_in_the_usual_spellings(monkeypatch):
    for raw, expected in [("true", True), ("1", True), ("Yes", True), ("off", False), ("0", False)]:
        monkeypatch.setenv("FLAG", raw)
        assert envbool("FLAG", not expected) is expected


def test_it_refuses_a_boolean_it_cannot_understand(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfiguredEnv, match="DEBUG='maybe' is not a boolean"):
        envbool("DEBUG", False)


def test_it_refuses_a_number_that_is_not_one_or_too_small(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfiguredEnv, match="not a whole number"):
        envint("EMAIL_PORT", 25)
    monkeypatch.setenv("EMAIL_PORT", "0")
    with pytest.raises(ImproperlyConfiguredEnv, match="at least 1"):
        envint("EMAIL_PORT", 25, minimum=1)


def test_it_splits_lists_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, b.example,,")
    assert envlist("ALLOWED_HOSTS", []) == ["a.example", "b.example"]


def _import_settings(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_will_not_start_in_production_without_a_secret_key():
    result = _import_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_will_not_start_with_a_nonsense_setting():
    result = _import_settings(DEBUG="false", SECRET_KEY="x" * 50, EMAIL_TIMEOUT="soon")
    assert result.returncode != 0
    assert "EMAIL_TIMEOUT='soon' is not a whole number" in result.stderr
