"""The dashboard for a person with few and with many applications, in-process.

Each person is made by `manage.py seed_demo --user ... --applications N` (the demo search,
scaled: rejections of every age, interviews, feedback, goals, the engine's follow-ups).
The page is requested through Django's test Client, so the whole middleware stack runs
(session, authentication, time zone, axes) with the production settings, over "HTTPS".
After seeding, the database is ANALYZEd (as autovacuum would), so the planner sees the
real row counts. The figures: SQL queries per page (all of them, middleware included),
server time, and the database time of the page's slowest queries (EXPLAIN ANALYZE).
"""

import statistics
import time

WARM_UP = 10
MARKER = b'data-testid="card-coming-up"'


def seed(username: str, applications: int) -> dict:
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from applications.models import Application
    from followups.models import FollowUp, Reminder

    started = time.perf_counter()
    call_command("seed_demo", user=username, applications=applications, stdout=StringIO())
    seconds = time.perf_counter() - started
    # What autovacuum does after a bulk load: the planner sees the real row counts.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user = get_user_model().objects.get(username=username)
    return {
        "user": user,
        "applications": Application.objects.filter(owner=user).count(),
        "followups": FollowUp.objects.filter(owner=user).count(),
        "pending_followups": FollowUp.objects.filter(owner=user, status="pending").count(),
        "reminders": Reminder.objects.filter(owner=user).count(),
        "seed_seconds": seconds,
    }


def logged_in_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def get_dashboard(client):
    response = client.get("/", secure=True)
    if response.status_code != 200 or MARKER not in response.content:
        raise RuntimeError(f"the dashboard answered {response.status_code}, not the page")
    return response


def measure(user, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in_client(user)
    for _ in range(WARM_UP):
        get_dashboard(client)
    with CaptureQueriesContext(connection) as captured:
        response = get_dashboard(client)
    # Read now: the next request's request_started signal empties the connection's log.
    queries = [q["sql"] for q in captured.captured_queries]
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        get_dashboard(client)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "requests": requests,
        "queries": len(queries),
        "statements": queries,
        "bytes": len(response.content),
        "p50_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "mean_ms": statistics.fmean(times),
        "max_ms": times[-1],
    }


def explain(statements: list[str]) -> tuple[float, list[tuple[float, float, str]]]:
    """Database time of the page's queries (EXPLAIN ANALYZE), in all and the slowest three,
    each with the part PostgreSQL spent compiling it (JIT)."""
    from django.db import connection

    timed = []
    with connection.cursor() as cursor:
        for statement in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement)
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else plan
            ms = plan["Planning Time"] + plan["Execution Time"]
            jit = plan.get("JIT", {}).get("Timing", {}).get("Total", 0.0)
            if isinstance(jit, dict):  # PostgreSQL 16+: {"Total": {...}}
                jit = jit.get("Total", 0.0)
            timed.append((ms, jit, " ".join(statement.split())[:120] + " ..."))
    timed.sort(reverse=True)
    return sum(ms for ms, _, _ in timed), timed[:3]


def run(ctx) -> dict:
    people = []
    for applications in ctx.sizes["dashboard_users"]:
        username = f"bench{applications}"
        ctx.log(f"dashboard: seeding {username} with {applications:,} applications")
        person = seed(username, applications)
        ctx.log(f"dashboard: seeded in {person['seed_seconds']:.1f} s; measuring")
        figures = measure(person["user"], ctx.sizes["dashboard_requests"])
        ctx.log(
            f"dashboard: {applications:,} applications: {figures['queries']} queries, "
            f"p50 {figures['p50_ms']:.1f} ms"
        )
        figures["db_ms"], figures["slowest"] = explain(figures["statements"])
        user = person.pop("user")
        people.append({"username": username, **person, **figures})
        ctx.shared.setdefault("dashboard_users", []).append(user)
    return {"people": people}
