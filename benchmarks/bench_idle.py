"""The idle tick: `dispatch_due_reminders()` with nothing due, at 10,000 and 1,000,000 rows.

The outbox looks like a long-running site's. Row g of N was created at a point of the last
two years (in id order, as rows are really written) and its reminder was due 1 to 90 days
later. What fell due before NOW is history: 94 % done and sent, 5 % cancelled, 1 % still
pending with a failed reminder. What falls due after NOW is pending. So nothing is due at
NOW, and a tick should cost a few index probes whatever the size. Each size is built fresh
and VACUUM ANALYZEd, as autovacuum would have done. The figures: time per tick (p50/p95
over many ticks), its queries, and the PostgreSQL plans of those queries (EXPLAIN ANALYZE).
"""

import datetime as dt
import statistics
import time

from benchmarks.database import truncate, vacuum_analyze
from benchmarks.population import make_followups, make_people, ts

NOW = dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC)
HISTORY = dt.timedelta(days=730)
PER_USER = 100
WARM_UP = 20


def states(rows: int) -> dict[str, str]:
    """SQL for the state of row g of `rows` (see the module docstring)."""
    created = (
        f"({ts(NOW - HISTORY)} + (g::float8 * {HISTORY.total_seconds()} / {rows}) "
        "* interval '1 second')"
    )
    due = f"({created} + ((g % 90) + 1) * interval '1 day')"
    past = f"{due} < {ts(NOW)}"
    return {
        "status": f"CASE WHEN NOT {past} OR g % 100 = 1 THEN 'pending' "
        "WHEN g % 20 = 0 THEN 'cancelled' ELSE 'done' END",
        "due_at": due,
        "deadline_at": f"{due} + interval '2 days'",
        "done_at": f"CASE WHEN {past} AND g % 20 <> 0 AND g % 100 <> 1 THEN {due} END",
        "reminder_status": f"CASE WHEN NOT {past} THEN 'pending' WHEN g % 100 = 1 THEN 'failed' "
        "WHEN g % 20 = 0 THEN 'cancelled' ELSE 'sent' END",
        "next_attempt_at": due,
        "sent_at": f"CASE WHEN {past} AND g % 20 <> 0 AND g % 100 <> 1 THEN {due} END",
    }


def build(rows: int, *, stage: int) -> None:
    """A fresh outbox of `rows` follow-ups, each with its reminder."""
    from django.contrib.auth import get_user_model

    from followups.models import FollowUp, Reminder

    truncate([get_user_model()])
    people = make_people(
        count=rows // PER_USER, searches_per_user=1, prefix=f"idle{stage}-", now=NOW
    )
    make_followups(people, per_user=PER_USER, **states(rows))
    vacuum_analyze([FollowUp, Reminder])


def tick_queries() -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from followups import outbox

    with CaptureQueriesContext(connection) as queries:
        summary = outbox.dispatch_due_reminders(now=NOW)
    if summary.claimed:
        raise RuntimeError(f"the idle tick claimed {summary.claimed} reminder(s)")
    return [q["sql"] for q in queries.captured_queries]


def explain(statements: list[str]) -> list[str]:
    from django.db import connection, transaction

    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) " + statement)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def measure(ticks: int) -> dict:
    from followups import outbox

    for _ in range(WARM_UP):
        outbox.dispatch_due_reminders(now=NOW)
    times = []
    for _ in range(ticks):
        started = time.perf_counter()
        outbox.dispatch_due_reminders(now=NOW)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "ticks": ticks,
        "p50_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "mean_ms": statistics.fmean(times),
    }


def select1(ticks: int) -> float:
    """p50 of a bare round trip to PostgreSQL, for scale."""
    from django.db import connection

    times = []
    with connection.cursor() as cursor:
        for _ in range(ticks):
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def table_facts() -> dict:
    from django.db import connection
    from django.db.models import Count

    from followups.models import FollowUp, Reminder

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelname, pg_relation_size(indexrelid) FROM pg_stat_user_indexes "
            "WHERE indexrelname IN ('reminder_pending_due_idx', 'reminder_sending_lease_idx')"
        )
        indexes = dict(cursor.fetchall())
        cursor.execute(
            "SELECT pg_total_relation_size(%s), pg_total_relation_size(%s)",
            [FollowUp._meta.db_table, Reminder._meta.db_table],
        )
        followups_size, reminders_size = cursor.fetchone()
    by_status = dict(
        Reminder.objects.order_by().values_list("status").annotate(n=Count("pk")).order_by()
    )
    return {
        "followups": FollowUp.objects.count(),
        "reminders": Reminder.objects.count(),
        "reminders_by_status": by_status,
        "followups_bytes": followups_size,
        "reminders_bytes": reminders_size,
        "index_bytes": indexes,
    }


def run(ctx) -> dict:
    sizes = ctx.sizes["idle_rows"]
    ticks = ctx.sizes["idle_ticks"]
    stages = []
    for stage, rows in enumerate(sizes):
        ctx.log(f"idle: building an outbox of {rows:,} follow-ups and reminders")
        started = time.perf_counter()
        build(rows, stage=stage)
        load_seconds = time.perf_counter() - started
        facts = table_facts()
        statements = tick_queries()
        timing = measure(ticks)
        timing["select1_ms"] = select1(ticks)
        plans = explain(statements)
        ctx.log(f"idle: {rows:,} rows, tick p50 {timing['p50_ms']:.2f} ms")
        stages.append(
            {
                "rows": rows,
                "load_seconds": load_seconds,
                **facts,
                **timing,
                "queries": len(statements),
                "statements": statements,
                "plans": plans,
                "uses_index": {
                    name: any(name in plan for plan in plans)
                    for name in ("reminder_pending_due_idx", "reminder_sending_lease_idx")
                },
            }
        )
    return {"stages": stages, "growth": stages[-1]["p50_ms"] / stages[0]["p50_ms"]}
