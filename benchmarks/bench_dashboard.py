"""The dashboard next to a bare logged-in page, for the demo search and a very large one.

Each person is made by `manage.py seed_demo --user ... --applications N` (the demo search,
scaled: rejections of every age, interviews, feedback, goals, the engine's follow-ups); the
first person has seed_demo's own default size, the demo search. Both pages are requested
through Django's test Client in this one process, so the whole middleware stack runs
(session, authentication, time zone, axes) with the production settings, over "HTTPS".

The bare page is the smallest page behind login: "Your password was changed"
(`accounts:password_change_done`), base.html with one sentence, so it costs what every
logged-in page costs (middleware, session, user, the layout) and nothing else. The two
pages take turns (dashboard, bare, bare, dashboard, ...), so whatever slows the machine
down meanwhile slows both alike; the ratio is the dashboard's median over the bare page's.

After seeding, the database is VACUUM ANALYZEd (as autovacuum would have done by the time
a person has this many rows, as the idle benchmark does too): the planner sees the real row
counts, and the visibility map lets an index answer a count alone. The figures: SQL queries per page (all of them, middleware included),
server time (median, p95), and the database time of the dashboard's slowest queries
(EXPLAIN ANALYZE).
"""

import statistics
import time

WARM_UP = 10
MARKER = b'data-testid="card-coming-up"'
BARE_URL_NAME = "accounts:password_change_done"
BARE_MARKER = b"Your password was changed."


def demo_size() -> int:
    """How many applications `seed_demo` makes when not told: the demo search."""
    from dashboard.management.commands.seed_demo import Command

    return Command().create_parser("manage.py", "seed_demo").get_default("applications")


def sizes(ctx) -> list[int]:
    """The people's sizes; 0 stands for the demo search (seed_demo's default)."""
    return [n or demo_size() for n in ctx.sizes["dashboard_users"]]


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
    # What autovacuum does after a bulk load: the planner sees the real row counts, and the
    # visibility map is set (index-only scans need it).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
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


def bare_url() -> str:
    from django.urls import reverse

    return reverse(BARE_URL_NAME)


def get_bare(client, url: str):
    response = client.get(url, secure=True)
    if response.status_code != 200 or BARE_MARKER not in response.content:
        raise RuntimeError(f"{url} answered {response.status_code}, not the bare page")
    return response


def _queries_of(request) -> tuple[list[str], object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = request()
    # Read now: the next request's request_started signal empties the connection's log.
    return [q["sql"] for q in captured.captured_queries], response


def _figures(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "p50_ms": statistics.median(times),
        "p95_ms": times[max(int(len(times) * 0.95) - 1, 0)],
        "mean_ms": statistics.fmean(times),
        "max_ms": times[-1],
    }


def measure(user, requests: int) -> dict:
    """`requests` dashboards rendered afresh and as many bare pages, taking turns, in pairs
    whose order alternates (AB BA AB ...); then the same with repeat visits served from the
    kept cards in place of the rendered dashboard.

    "Rendered" is a visit after a change to the person's data: the kept cards are dropped
    from the cache just before it (untimed), so it builds and renders the cards and keeps
    them, as such a visit does. "Kept" is a repeat visit: the cards kept by the visit
    before. (Not override_settings: it would slow every settings read of the request.)"""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone

    from accounts.models import Profile
    from dashboard.views import cards_key

    client = logged_in_client(user)
    url = bare_url()
    stamp = Profile.objects.get(user=user).cards_stamp
    seconds = settings.DASHBOARD_CACHE_SECONDS

    def forget():
        if seconds:
            cache.delete(cards_key(user.pk, stamp, timezone.now(), seconds))

    pages = {
        "dashboard": lambda: get_dashboard(client),
        "kept": lambda: get_dashboard(client),
        "bare": lambda: get_bare(client, url),
    }
    for _ in range(WARM_UP):
        for name, request in pages.items():
            if name == "dashboard":
                forget()
            request()
    forget()
    queries, response = _queries_of(pages["dashboard"])
    kept_queries, _kept = _queries_of(pages["kept"])
    bare_queries, bare_response = _queries_of(pages["bare"])

    def pairs(name: str) -> tuple[list[float], list[float]]:
        times: dict[str, list[float]] = {name: [], "bare": []}
        for index in range(requests):
            for page in (name, "bare") if index % 2 == 0 else ("bare", name):
                if page == "dashboard":
                    forget()
                started = time.perf_counter()
                pages[page]()
                times[page].append((time.perf_counter() - started) * 1000)
        return times[name], times["bare"]

    rendered_times, bare_times = pairs("dashboard")
    kept_times, kept_bare_times = pairs("kept")
    dashboard = _figures(rendered_times)
    bare = _figures(bare_times)
    kept = _figures(kept_times)
    kept_bare = _figures(kept_bare_times)
    return {
        "requests": requests,
        "queries": len(queries),
        "statements": queries,
        "bytes": len(response.content),
        **dashboard,
        "kept": {
            "queries": len(kept_queries),
            **kept,
            "ratio": kept["p50_ms"] / kept_bare["p50_ms"],
            "ratio_p95": kept["p95_ms"] / kept_bare["p95_ms"],
        },
        "bare": {
            "url": url,
            "queries": len(bare_queries),
            "bytes": len(bare_response.content),
            **bare,
        },
        "ratio": dashboard["p50_ms"] / bare["p50_ms"],
        "ratio_p95": dashboard["p95_ms"] / bare["p95_ms"],
    }


def breakdown(user, repeats: int) -> dict:
    """Where a dashboard visit's time goes, in this process: the cards' data (every card's
    selector, SQL included) and the cards' template (dashboard/_cards.html) rendered from that data, each timed
    `repeats` times, taking turns; medians in ms. The rest of a visit is what the bare page
    costs too (middleware, session, the layout's request)."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import get_token
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import timezone

    from dashboard import views

    user = type(user).objects.select_related("profile").get(pk=user.pk)
    request = RequestFactory().get("/", secure=True)
    request.user, request.session, request.htmx = user, SessionStore(), False
    get_token(request)
    times: dict[str, list[float]] = {"data": [], "template": []}
    for _ in range(repeats):
        now = timezone.now()
        started = time.perf_counter()
        data = views.build_cards(user, now)
        times["data"].append((time.perf_counter() - started) * 1000)
        context = {"cards": data, "now": now, "is_new": False}
        started = time.perf_counter()
        render_to_string("dashboard/_cards.html", context, request)
        times["template"].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


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
    demo = demo_size()
    for applications in sizes(ctx):
        username = f"bench{applications}"
        ctx.log(f"dashboard: seeding {username} with {applications:,} applications")
        person = seed(username, applications)
        ctx.log(f"dashboard: seeded in {person['seed_seconds']:.1f} s; measuring")
        figures = measure(person["user"], ctx.sizes["dashboard_requests"])
        ctx.log(
            f"dashboard: {applications:,} applications: {figures['queries']} queries, "
            f"p50 {figures['p50_ms']:.1f} ms; bare page p50 {figures['bare']['p50_ms']:.1f} ms; "
            f"ratio {figures['ratio']:.1f}"
        )
        figures["db_ms"], figures["slowest"] = explain(figures["statements"])
        figures["breakdown"] = breakdown(
            person["user"], max(ctx.sizes["dashboard_requests"] // 4, 10)
        )
        user = person.pop("user")
        people.append({"username": username, "demo": applications == demo, **person, **figures})
        ctx.shared.setdefault("dashboard_users", []).append(user)
    return {"people": people, "demo_applications": demo}
