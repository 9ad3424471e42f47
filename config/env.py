"""Small typed readers for environment variables.

Each one fails loudly on a value it cannot understand, so a typo in production
configuration stops the process at start-up instead of quietly using a default.
"""

import os

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ImproperlyConfiguredEnv(ValueError):
    pass


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfiguredEnv(f"{name}={raw!r} is not a boolean (use true/false, 1/0, yes/no)")


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfiguredEnv(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfiguredEnv(f"{name}={value} must be at least {minimum}")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# The placeholder in .env.example: copying the file without editing it must not start.
PLACEHOLDER_SECRET_KEY = "change-me-to-a-long-random-string"


def secret_key_problem(key: str) -> str | None:
    """Why `key` cannot sign links in production, or None when it can.

    Django's own deploy check asks for 50 characters and 5 distinct ones: anything weaker
    can be guessed, and with it every signed email link forged.
    """
    if not key:
        return "SECRET_KEY must be set when DEBUG is off"
    if key == PLACEHOLDER_SECRET_KEY:
        return "SECRET_KEY is still the .env.example placeholder; set a random one"
    if len(key) < 50 or len(set(key)) < 5:
        return (
            "SECRET_KEY is too weak (needs at least 50 characters, 5 of them different); "
            'generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    return None
