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


STRONG_KEY = "k3Yq-8vZ_w2Lr9TtPx4Nc7Hs1Ud6Fa0Gm5Jb8Ek2Qo7Wi3Ry9Zl"


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
    result = _import_settings(DEBUG="false", SECRET_KEY=STRONG_KEY, EMAIL_TIMEOUT="soon")
    assert result.returncode != 0
    assert "EMAIL_TIMEOUT='soon' is not a whole number" in result.stderr


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("change-me-to-a-long-random-string", "still the .env.example placeholder"),
        ("short-but-random-9Xq", "SECRET_KEY is too weak"),
        ("ab" * 40, "SECRET_KEY is too weak"),
    ],
    ids=["placeholder", "short", "few-distinct-characters"],
)
def test_it_will_not_start_in_production_with_a_guessable_secret_key(key, says):
    result = _import_settings(DEBUG="false", SECRET_KEY=key)
    assert result.returncode != 0
    # One clear line at the end of the traceback says what is wrong.
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert says in last


def test_it_starts_in_production_with_a_strong_key_and_in_development_with_none():
    assert _import_settings(DEBUG="false", SECRET_KEY=STRONG_KEY).returncode == 0
    assert _import_settings(DEBUG="true").returncode == 0
