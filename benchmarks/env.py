"""The settings the benchmark runs with: production values (.env.example) on 127.0.0.1.

DEBUG off, manifest static files, PostgreSQL with persistent connections, Redis for the
cache and broker, the SMTP backend, HTTPS behind a proxy (requests carry
X-Forwarded-Proto: https, as the TLS-terminating proxy would add). Only the host names
and addresses differ from production.
"""

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"


def redis_reachable(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except Exception:
        return False


def production_env(*, database_url: str, var_dir: Path, smtp_port: int) -> dict[str, str]:
    """Environment variables for the Django processes of this run (this one and children)."""
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": "https://opendoors.example.com",
        "USE_X_FORWARDED_PROTO": "true",
        "SECURE_SSL_REDIRECT": "true",
        "SESSION_COOKIE_SECURE": "true",
        "CSRF_COOKIE_SECURE": "true",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "staticfiles"),
        "EMAIL_BACKEND": "followups.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "10",
        "DEFAULT_FROM_EMAIL": "Open Doors <reminders@opendoors.example.com>",
        "LOG_LEVEL": "WARNING",
    }
    if redis_reachable(redis_url):
        env["REDIS_URL"] = redis_url
    return env


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()
