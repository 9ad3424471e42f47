"""What the figures were measured on."""

import datetime as dt
import os
import platform
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def _run(*command: str) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10, cwd=ROOT)
    except (OSError, subprocess.SubprocessError):
        return ""
    return (done.stdout or done.stderr).strip()


def describe() -> dict[str, str]:
    """Machine, versions and date; call after django.setup()."""
    import django
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    redis_version = "not used"
    if getattr(settings, "REDIS_URL", ""):
        import redis

        info = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).info("server")
        redis_version = str(info.get("redis_version", "unknown"))
    mem_kib = int(_first("/proc/meminfo", "MemTotal").split()[0] or 0)
    wrk = shutil.which("wrk")
    commit = _run("git", "rev-parse", "--short", "HEAD")
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _first("/proc/cpuinfo", "model name"),
        "nproc": str(len(os.sched_getaffinity(0))),
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "os": f"{platform.system()} {platform.release()} ({_os_name()})",
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
        "redis": redis_version,
        "wrk": (_run(wrk, "-v").splitlines() or ["wrk"])[0].split(" [")[0] if wrk else "absent",
        "commit": commit or "unknown",
    }


def _os_name() -> str:
    try:
        return platform.freedesktop_os_release().get("PRETTY_NAME", "Linux")
    except OSError:
        return platform.platform()
