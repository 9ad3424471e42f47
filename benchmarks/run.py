"""`make bench`: measure Open Doors on PostgreSQL and write docs/PERFORMANCE.md.

    .venv/bin/python benchmarks/run.py            # the full run; writes docs/PERFORMANCE.md
    .venv/bin/python benchmarks/run.py --quick    # smaller sizes; writes var/PERFORMANCE-quick.md
    .venv/bin/python benchmarks/run.py --only dispatch,idle --quick

DATABASE_URL picks the database (default postgres://postgres@127.0.0.1:5432/opendoors_bench).
It is created if missing and dropped at the end if this run created it; a database that
already existed must be empty of Open Doors rows, and is emptied again at the end.
Every figure in the report comes from this one run: the script writes the file.
"""

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import before, database, env, machine, report

ROOT = env.ROOT
SECTIONS = ("dashboard", "load", "dispatch", "idle")
FULL = {
    "dashboard_users": (0, 5_000),  # 0: the demo search (seed_demo's default size)
    "dashboard_requests": 200,
    "load_connections": 32,
    "load_seconds": 30,
    # Raw smtplib and the engine take turns: pairs of runs, each side this many emails. Seven
    # shorter pairs rather than five long ones: on a shared machine the median of more pairs
    # is steadier, and each pair's two runs lie closer in time.
    "dispatch_pairs": 7,
    "dispatch_per_run": 6_000,
    # The worker's --concurrency and DISPATCH_CONCURRENCY in docker-compose.yml.
    "dispatch_concurrency": 2,
    "idle_rows": (10_000, 1_000_000),
    "idle_ticks": 300,
}
QUICK = {
    "dashboard_users": (0, 500),
    "dashboard_requests": 50,
    "load_connections": 32,
    "load_seconds": 5,
    "dispatch_pairs": 3,
    "dispatch_per_run": 2_000,
    "dispatch_concurrency": 2,
    "idle_rows": (10_000, 100_000),
    "idle_ticks": 100,
}


@dataclass
class Context:
    env: dict[str, str]
    var_dir: Path
    sizes: dict
    profile_dispatch: str | None = None
    shared: dict = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def log(self, text: str) -> None:
        print(f"[{time.monotonic() - self.started:6.1f} s] {text}", file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="Smaller sizes, a shorter load run.")
    parser.add_argument("--only", help=f"Comma-separated sections of {', '.join(SECTIONS)}.")
    parser.add_argument("--output", help="Where to write the report.")
    parser.add_argument("--keep-db", action="store_true", help="Do not drop or empty the database.")
    parser.add_argument("--profile-dispatch", help="cProfile the dispatch worker into this file.")
    parser.add_argument(
        "--no-before",
        action="store_true",
        help="Skip the engine before issue #17 (benchmarks/before.py); the report is then partial.",
    )
    parser.add_argument(
        "--from-results",
        metavar="JSON",
        help="Only write the report again from a run's saved results (var/PERFORMANCE.json).",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="SIZE=N",
        help="Override one size (e.g. dispatch_per_run=800); the report is then partial.",
    )
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    if args.from_results:
        return _render_again(Path(args.from_results), args.output)
    # A stopped run still stops its servers and drops the database it made (finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sections = SECTIONS if not args.only else tuple(s.strip() for s in args.only.split(","))
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"Unknown section(s): {', '.join(sorted(unknown))}")
    sizes = dict(QUICK if args.quick else FULL)
    for item in args.set:
        key, _, value = item.partition("=")
        if key not in sizes:
            raise SystemExit(f"Unknown size {key!r}; sizes are {', '.join(sizes)}")
        sizes[key] = (
            tuple(int(v) for v in value.split(",")) if isinstance(sizes[key], tuple) else int(value)
        )
    # Only the full run, unprofiled, writes docs/PERFORMANCE.md.
    complete = (
        not (args.quick or args.set or args.profile_dispatch or args.no_before)
        and sections == SECTIONS
    )
    output = Path(
        args.output
        or (ROOT / "docs" / "PERFORMANCE.md" if complete else ROOT / "var" / "PERFORMANCE-quick.md")
    )

    db = database.bench_database(os.environ.get("DATABASE_URL") or database.DEFAULT_URL)
    db.ensure()
    var_dir = Path(tempfile.mkdtemp(prefix="opendoors-bench-"))
    ctx = Context(
        env=env.production_env(database_url=db.url, var_dir=var_dir, smtp_port=25),
        var_dir=var_dir,
        sizes=sizes,
        profile_dispatch=args.profile_dispatch,
    )
    ctx.log(f"database {db.name} ({'created' if db.created else 'existing'}); settings: production")
    try:
        env.setup_django(ctx.env)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        if not db.created:
            _require_empty()
        call_command("collectstatic", verbosity=0, interactive=False)
        results: dict = {
            "machine": machine.describe(),
            "sizes": sizes,
            "sections": sections,
            "loadavg_start": _loadavg(),
            "complete": complete,
        }
        for name in sections:
            if name in ("dispatch", "idle"):
                _empty_tables()
            started, load_before = time.monotonic(), _loadavg()
            results[name] = _section(name).run(ctx)
            results[name]["seconds"] = time.monotonic() - started
            results[name]["loadavg"] = [load_before, _loadavg()]
        if "dispatch" in results and not args.no_before:
            # The engine before issue #17, its own benchmark with the same sizes, now.
            started = time.monotonic()
            results["dispatch"]["before"] = before.measure(
                database_url=db.url, sizes=sizes, log=ctx.log
            )
            results["dispatch"]["before"]["seconds_all"] = time.monotonic() - started
        results["total_seconds"] = time.monotonic() - ctx.started
        results["loadavg_end"] = _loadavg()
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report.render(results, complete=complete))
        raw = output.with_name(output.stem + ".json") if not complete else _results_path()
        raw.parent.mkdir(parents=True, exist_ok=True)
        raw.write_text(json.dumps(results, indent=2, default=str))
        ctx.log(f"wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
        print(output.read_text())
    finally:
        for stop in ctx.shared.get("cleanup", []):
            stop()
        _clean_up(db, keep=args.keep_db)
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


def _render_again(results_path: Path, output: str | None) -> int:
    """The report of an earlier run, from its own results: the figures are that run's."""
    results = json.loads(results_path.read_text())
    results["sections"] = tuple(results["sections"])
    results["rendered_again"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    sizes = {k: tuple(v) if isinstance(v, list) else v for k, v in results["sizes"].items()}
    complete = results.get("complete", sizes == FULL and results["sections"] == SECTIONS)
    target = Path(
        output
        or (ROOT / "docs" / "PERFORMANCE.md" if complete else ROOT / "var" / "PERFORMANCE-quick.md")
    )
    env.setup_django({"DJANGO_SETTINGS_MODULE": "config.settings"})
    target.write_text(report.render(results, complete=complete))
    print(f"wrote {target}", file=sys.stderr)
    return 0


def _results_path() -> Path:
    """The full run's raw results, beside the checkout (var/ is not committed)."""
    return ROOT / "var" / "PERFORMANCE.json"


def _loadavg() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def _section(name: str):
    import importlib

    return importlib.import_module(f"benchmarks.bench_{name}")


def _app_models() -> list:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    return [get_user_model(), Session]


def _require_empty() -> None:
    from django.contrib.auth import get_user_model

    if get_user_model().objects.exists():
        raise SystemExit(
            "DATABASE_URL points at a database that already has users. The benchmark fills "
            "and empties its database: point it at a missing or empty one."
        )


def _empty_tables() -> None:
    """Each engine section starts empty (every table hangs off auth_user)."""
    database.truncate(_app_models())


def _clean_up(db: database.BenchDatabase, *, keep: bool) -> None:
    if keep:
        return
    try:
        from django.db import connections

        if db.created:
            connections.close_all()
            db.drop()
        else:
            _empty_tables()
    except Exception as exc:  # report, but do not hide the run's own error
        print(f"clean-up failed: {exc}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
