"""`make run PORT=...`: another port, SITE_URL following it, and a taken port stopping
everything with one clear line and a non-zero exit."""

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_a_taken_port_stops_everything_with_one_line(tmp_path):
    """GIVEN something already listening on a port
    WHEN the port checker `make run` starts with runs for that port
    THEN it exits non-zero with one line naming the port, before anything starts."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "config.port_free", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"Port {port} is already in use" in lines[0]
    assert "nothing was started" in lines[0]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_on_a_taken_port_exits_before_starting_web_worker_or_beat(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            ["make", "--no-print-directory", "run", f"PORT={port}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={"PATH": "/usr/bin:/bin", "VAR_DIR": str(tmp_path), "HOME": str(tmp_path)},
        )
    assert result.returncode != 0
    assert f"Port {port} is already in use" in result.stderr
    # Nothing started: no migration, no demo login, no worker banner.
    assert "Demo login" not in result.stdout
    assert "celery" not in (result.stdout + result.stderr).lower()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_site_url_follows_the_port_unless_set():
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=8001"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert 'SITE_URL="http://127.0.0.1:8001"' in dry.stdout
    assert "runserver 127.0.0.1:8001" in dry.stdout
    fixed = subprocess.run(
        ["make", "-n", "run", "PORT=8001", "SITE_URL=https://doors.example"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert 'SITE_URL="https://doors.example"' in fixed.stdout
