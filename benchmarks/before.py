"""`make bench-before`: measure the engine as it was before issue #17, for the "before" column.

    .venv/bin/python benchmarks/before.py [COMMIT]

Issue #17 asks for where a dispatcher's time goes per email "before and after". The "after"
is measured by every `make bench`; the "before" is the engine at COMMIT (default: aca32c5,
whose report opened the issue's work, every target missed), measured by its own benchmark:
this script checks that commit out into a temporary git worktree (it needs the repository's
history), runs that commit's `benchmarks/run.py --only dispatch` with the full run's
dispatch sizes on a database of its own (created and dropped), and keeps what its
report showed about an email (its timed steps, its pairs) in benchmarks/before.json, with
the commit, the date and the machine. `make bench` reads that file and shows it beside its
own figures, saying where it comes from; it is measured once, not by every run.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import FULL  # noqa: E402

DEFAULT_COMMIT = "aca32c5"
OUTPUT = ROOT / "benchmarks" / "before.json"
DATABASE = "postgres://postgres@127.0.0.1:5432/opendoors_bench_before"


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("commit", nargs="?", default=DEFAULT_COMMIT)
    parser.add_argument("--output", default=str(OUTPUT))
    parser.add_argument(
        "--from-results",
        metavar="JSON",
        help="Keep what an earlier run of COMMIT's dispatch section saved (its report's .json).",
    )
    args = parser.parse_args()
    commit = _git("rev-parse", "--verify", f"{args.commit}^{{commit}}")
    if args.from_results:
        results = json.loads(Path(args.from_results).read_text())
    else:
        results = _measure(commit)
    kept = _kept(results, commit)
    Path(args.output).write_text(json.dumps(kept, indent=2) + "\n")
    print(f"wrote {args.output}: one dispatcher {kept['one']['ratio']:.2f} of raw at {commit[:7]}")
    return 0


def _measure(commit: str) -> dict:
    """Run COMMIT's own dispatch benchmark in a worktree of it; its saved results."""
    place = Path(tempfile.mkdtemp(prefix="opendoors-before-"))
    tree = place / "tree"
    _git("worktree", "add", "--detach", str(tree), commit)
    try:
        # The same packages: this checkout's virtualenv.
        (tree / ".venv").symlink_to(ROOT / ".venv")
        report = place / "before.md"
        subprocess.run(
            [
                sys.executable,
                "benchmarks/run.py",
                "--only",
                "dispatch",
                "--set",
                f"dispatch_pairs={FULL['dispatch_pairs']}",
                "--set",
                f"dispatch_per_run={FULL['dispatch_per_run']}",
                "--output",
                str(report),
            ],
            cwd=tree,
            env={**os.environ, "DATABASE_URL": os.environ.get("BEFORE_DATABASE_URL", DATABASE)},
            check=True,
        )
        return json.loads(report.with_suffix(".json").read_text())
    finally:
        _git("worktree", "remove", "--force", str(tree))
        shutil.rmtree(place, ignore_errors=True)


def _kept(results: dict, commit: str) -> dict:
    dispatch = results["dispatch"]
    kept = {
        "commit": commit[:7],
        "subject": _git("log", "-1", "--format=%s", commit),
        "machine": results["machine"],
        "sizes": {k: v for k, v in results["sizes"].items() if k.startswith("dispatch")},
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
            "timed_separately": "timed_rate" in series,
        }
    return kept


if __name__ == "__main__":
    sys.exit(main())
