"""One dispatch run in a process of its own, as a worker's pool process runs it: prints JSON.

    python benchmarks/dispatch_worker.py --now 2026-03-03T12:00:00+00:00 [--profile out.pstats]
        [--max-batches N] [--start-at EPOCH] [--timers]

Several of these at once, started together with --start-at, are what a worker with
several pool processes does with a backlog (the beat tick and its helpers, followups.tasks).

The settings come from the environment the benchmark prepared (benchmarks/env.py). The
figures: seconds spent in dispatch_due_reminders(), its summary, the queries it made,
and the process's peak resident memory (VmHWM) before and after the run.
"""

import argparse
import datetime as dt
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def peak_rss_kib() -> int:
    """Peak resident set size of this process (VmHWM), in KiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--now", required=True)
    parser.add_argument("--profile", help="Profile with cProfile; write the stats here.")
    parser.add_argument("--max-batches", type=int, default=10_000, help="Stop after N batches.")
    parser.add_argument("--start-at", type=float, help="Wait until this time.time() to start.")
    parser.add_argument(
        "--timers", action="store_true", help="Time the steps of each email (costs a little)."
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from dataclasses import asdict

    from django.db import connection, reset_queries
    from django.urls import get_resolver

    from followups import outbox

    # Import what a run imports, open the database connection and load the URL patterns the
    # links are reversed from (a pool process does these once, at its first tick), before the
    # baseline: they are not a cost per email.
    connection.ensure_connection()
    outbox.dispatch_due_reminders(now=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    get_resolver().reverse_dict  # noqa: B018 - imports every app's URLs and views
    baseline = peak_rss_kib()
    now = dt.datetime.fromisoformat(args.now)
    timers = _time_the_steps() if args.timers else {}
    queries = _QueryCounter()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    if args.start_at:
        time.sleep(max(args.start_at - time.time(), 0))
    with connection.execute_wrapper(queries):
        started_at = time.time()
        started, cpu_started = time.perf_counter(), time.process_time()
        summary = outbox.dispatch_due_reminders(now=now, max_batches=args.max_batches)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        finished_at = time.time()
    if profiler is not None:
        import pstats

        profiler.disable()
        profiler.dump_stats(args.profile)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    reset_queries()
    print(
        json.dumps(
            {
                "elapsed": elapsed,
                "cpu": cpu,
                "started_at": started_at,
                "finished_at": finished_at,
                "summary": asdict(summary),
                "queries": queries.count,
                "steps": {"sql": queries.seconds, **timers},
                "baseline_rss_kib": baseline,
                "peak_rss_kib": peak_rss_kib(),
                "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )
    )


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def _time_the_steps() -> dict[str, float]:
    """Seconds spent building emails, in Django's SMTP backend and on the wire (smtplib).

    Wrappers around the functions the engine calls, a few microseconds per email; a step
    whose function is not found (renamed) is simply not reported. The dispatcher builds the
    next emails a step at a time while it waits for the SMTP server's replies: that work is
    counted as building (or MIME), and taken out of the backend's and the wire's time.
    """
    import smtplib

    from django.core.mail.backends.smtp import EmailBackend

    from followups import emails, smtp

    timers: dict[str, float] = {}
    waiting: list[str] = []  # the outer calls (backend, wire) in progress

    def charge(name: str, seconds: float, *, outer: bool = False) -> None:
        timers[name] += seconds
        if not outer:
            for waited in waiting:
                timers[waited] -= seconds

    def timed(name, owner, attribute, *, outer=False):
        function = getattr(owner, attribute, None)
        if function is None:
            return
        timers[name] = 0.0

        def wrapper(*args, **kwargs):
            if outer:
                waiting.append(name)
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                if outer:
                    waiting.pop()
                charge(name, time.perf_counter() - started, outer=outer)

        setattr(owner, attribute, wrapper)

    def timed_steps(name, owner, attribute):
        function = getattr(owner, attribute, None)
        if function is None:
            return
        timers[name] = 0.0

        def wrapper(*args, **kwargs):
            steps = function(*args, **kwargs)
            while True:
                started = time.perf_counter()
                try:
                    next(steps)
                except StopIteration as done:
                    charge(name, time.perf_counter() - started)
                    return done.value
                charge(name, time.perf_counter() - started)
                yield

        setattr(owner, attribute, wrapper)

    timed_steps("build", emails, "reminder_message_steps")
    timed_steps("prepare", smtp.EmailBackend, "prepare_steps")  # the MIME bytes, written ahead
    timed("backend", EmailBackend, "send_messages", outer=True)  # followups.smtp's inherits it
    timed("wire", smtplib.SMTP, "sendmail", outer=True)
    return timers


if __name__ == "__main__":
    main()
