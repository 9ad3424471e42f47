"""The email engine before issue #17, measured in the same `make bench` run as after it.

Issue #17 asks where a dispatcher's time goes per email "before and after". After its own
dispatch section, the benchmark checks out COMMIT (aca32c5, whose report opened the issue's
work, every target missed) into a temporary git worktree and runs that commit's own
`benchmarks/run.py --only dispatch` with this run's dispatch sizes, on a database of its own
(created and dropped by it). What that report says about an email (its timed steps, its
pairs) becomes the "before" column, on the same machine in the same run. It needs the
repository's history; without it the report says why the column is missing.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
COMMIT = "aca32c5"


def measure(*, database_url: str, sizes: dict, log) -> dict:
    """COMMIT's dispatch figures for these sizes, or {"error": why} if they cannot be had."""
    try:
        commit = _git("rev-parse", "--verify", f"{COMMIT}^{{commit}}")
    except (OSError, subprocess.CalledProcessError) as exc:
        return {"error": f"commit {COMMIT} is not in this checkout's history ({_why(exc)})"}
    place = Path(tempfile.mkdtemp(prefix="opendoors-before-"))
    tree = place / "tree"
    try:
        _git("worktree", "add", "--detach", str(tree), commit)
        # The same packages: this checkout's virtualenv.
        (tree / ".venv").symlink_to(ROOT / ".venv")
        report = place / "before.md"
        log(f"before: {commit[:7]}'s own dispatch benchmark, in a worktree")
        subprocess.run(
            [
                sys.executable,
                "benchmarks/run.py",
                "--only",
                "dispatch",
                "--set",
                f"dispatch_pairs={sizes['dispatch_pairs']}",
                "--set",
                f"dispatch_per_run={sizes['dispatch_per_run']}",
                "--set",
                f"dispatch_concurrency={sizes['dispatch_concurrency']}",
                "--output",
                str(report),
            ],
            cwd=tree,
            # The old run sets its own production settings over these, as this one did.
            env={**os.environ, "DATABASE_URL": _sibling(database_url, "_before")},
            check=True,
            capture_output=True,
            text=True,
        )
        results = json.loads(report.with_suffix(".json").read_text())
    except (OSError, subprocess.CalledProcessError, ValueError) as exc:
        return {"error": f"{COMMIT}'s benchmark did not run ({_why(exc)})"}
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True
        )
        shutil.rmtree(place, ignore_errors=True)
    return _kept(results, commit)


def _kept(results: dict, commit: str) -> dict:
    dispatch = results["dispatch"]
    kept = {
        "commit": commit[:7],
        "subject": _git("log", "-1", "--format=%s", commit),
        "date": results["machine"]["date"],
        "seconds": dispatch.get("seconds"),
        "loadavg": dispatch.get("loadavg"),
        "split": dispatch["split"],
    }
    for kind in ("one", "many"):
        series = dispatch[kind]
        kept[kind] = {
            "dispatchers": series["dispatchers"],
            "ratio": series["ratio"],
            "pairs": [pair["ratio"] for pair in series["pairs"]],
            "raw_rate": series["raw_rate"],
            "engine_rate": series["engine_rate"],
            "steps_ms": series["steps_ms"],
        }
    return kept


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def _why(exc: Exception) -> str:
    if isinstance(exc, subprocess.CalledProcessError):
        tail = (exc.stderr or "").strip().splitlines()[-1:] or [f"exit {exc.returncode}"]
        return tail[0][:300]
    return str(exc)[:300]


def _sibling(url: str, suffix: str) -> str:
    """The same server, a database of its own."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))
