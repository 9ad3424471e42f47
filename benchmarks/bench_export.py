"""How long "Download my data" takes for a long search, and how much memory it holds.

    .venv/bin/python benchmarks/bench_export.py [--applications 5000]

Runs on DATABASE_URL when set (PostgreSQL: use a database of its own, e.g.
postgres://postgres@127.0.0.1:5432/opendoors_bench_export; it is migrated, and the bench user
is removed again at the end), otherwise on a throwaway SQLite file. The person is made by
`manage.py seed_demo --applications N` (the demo search, scaled). Prints figures; asserts
nothing (a benchmark, not a test).
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
import zipfile
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=5_000)
    parser.add_argument(
        "--keep", action="store_true", help="Keep the seeded person, and reuse a kept one."
    )
    parser.add_argument("--profile", action="store_true", help="Print where the time goes.")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="od-bench-export-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("VAR_DIR", scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from applications.models import Application
    from mydata.export import build_zip

    call_command("migrate", verbosity=0)
    username = f"bench-export-{args.applications}"
    started = time.perf_counter()
    reused = args.keep and get_user_model().objects.filter(username=username).exists()
    if not reused:
        get_user_model().objects.filter(username=username).delete()
        call_command("seed_demo", user=username, applications=args.applications, stdout=StringIO())
    seeded = time.perf_counter() - started
    user = get_user_model().objects.get(username=username)
    print(
        f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"{Application.objects.filter(owner=user).count():,} applications, "
        + ("reused from an earlier --keep run" if reused else f"seeded in {seeded:.1f} s")
    )

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(build_zip, user)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    try:
        for run in range(3):
            tracemalloc.start()
            started, cpu = time.perf_counter(), time.process_time()
            archive = build_zip(user)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            size = archive.seek(0, 2)
            archive.seek(0)
            with zipfile.ZipFile(archive) as zipped:
                unpacked = sum(info.file_size for info in zipped.infolist())
            archive.close()
            print(
                f"run {run + 1}: export in {seconds:.2f} s ({cpu:.2f} s of this process's CPU), "
                f"zip {size / 1e6:.1f} MB "
                f"({unpacked / 1e6:.1f} MB unpacked), peak Python memory {peak / 1e6:.1f} MB"
            )
    finally:
        if not args.keep:
            get_user_model().objects.filter(username=username).delete()


if __name__ == "__main__":
    main()
