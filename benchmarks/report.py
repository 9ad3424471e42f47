"""docs/PERFORMANCE.md, written from one run's results (never edited by hand)."""

import re
import textwrap

# The targets of issue #17; the verdicts below are computed from the run's figures.
DASHBOARD_DEMO_RATIO = 6.0  # dashboard median / bare page median, the demo search
DASHBOARD_LARGE_RATIO = 10.0  # the same, at LARGE_APPLICATIONS
LARGE_APPLICATIONS = 5_000
DASHBOARD_MAX_QUERIES = 12
TARGET_RATIO = 0.5  # one dispatcher / raw smtplib, median of the interleaved pairs
LOAD_RATIO = 0.3  # dashboard / bare page requests per second under load
FLAT_GROWTH = 1.5  # an idle tick at the largest size within 1.5x of the smallest is "flat"


def _ms(value: float) -> str:
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def _mib(kib: float) -> str:
    return f"{kib / 1024:,.0f} MiB"


def _n(value: float) -> str:
    return f"{value:,.0f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _code(text: str) -> str:
    return "```\n" + text.rstrip() + "\n```"


def render(results: dict, *, complete: bool) -> str:
    parts = [
        _intro(results, complete=complete),
        _machine(results),
        _targets(results, complete=complete),
        _summary(results),
    ]
    for name, section in (
        ("dashboard", _dashboard),
        ("load", _load),
        ("dispatch", _dispatch),
        ("idle", _idle),
    ):
        if name in results:
            parts.append(section(results[name], results))
    parts.append(_findings(results))
    parts.append(_footer(results))
    return "\n\n".join(p.strip() for p in parts if p) + "\n"


def _intro(results: dict, *, complete: bool) -> str:
    note = (
        ""
        if complete
        else "\n\n**Partial run** (`--quick`, `--only` or `--set`): smaller sizes than the "
        "full benchmark; not the committed figures."
    )
    return (
        textwrap.dedent(
            """
            # Performance

            Written by `make bench` (`benchmarks/run.py`) on {date}. Every figure below comes
            from that one run, on PostgreSQL with the production settings (DEBUG off, manifest
            static files, persistent database connections, Redis, the SMTP backend, HTTPS
            behind a proxy); the script writes this file, so the figures are never edited by
            hand. Run `make bench` again to measure your own machine ({minutes:.0f} minutes
            here; `--quick` for a smaller run that writes `var/PERFORMANCE-quick.md`).
            """
        )
        .strip()
        .format(date=results["machine"]["date"], minutes=results["total_seconds"] / 60)
        + (
            f"\n\nThe text was written again on {results['rendered_again']} from that run's "
            "saved results (`benchmarks/run.py --from-results`); the figures are the run's."
            if results.get("rendered_again")
            else ""
        )
        + note
    )


def _machine(results: dict) -> str:
    m = results["machine"]
    rows = [
        ["Date", m["date"]],
        ["CPU", f"{m['cpu']}, {m['nproc']} CPUs (`nproc`)"],
        ["Memory", m["memory"]],
        ["OS", m["os"]],
        ["Python / Django", f"{m['python']} / {m['django']}"],
        ["PostgreSQL", m["postgresql"]],
        ["Redis", m["redis"]],
        [
            "Load generator",
            m["wrk"] if m["wrk"] != "absent" else "wrk absent: a threaded Python client",
        ],
        ["Commit", f"`{m['commit']}`"],
        [
            "Load average (1 min) at start / end",
            f"{results['loadavg_start']} / {results['loadavg_end']}",
        ],
    ]
    return (
        "## Machine\n\n"
        + _table(["", ""], rows)
        + "\n\nThe benchmark shares the machine with whatever else runs on it (the load average "
        "above says how busy it was); the SMTP server, gunicorn, the load generator and PostgreSQL run on "
        "the same CPUs as the code under test."
    )


def _demo(person: dict) -> str:
    return " (the demo search)" if person.get("demo") else ""


def _kept_note(p: dict) -> str:
    kept = p.get("kept")
    if not kept:
        return ""
    return (
        f"; a repeat visit served from the kept cards takes {_ms(kept['p50_ms'])} "
        f"({kept['ratio']:.1f}×, {kept['queries']} queries)"
    )


def _verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def _dashboard_target(person: dict) -> str:
    if person.get("demo"):
        return f"≤ {DASHBOARD_DEMO_RATIO:g}× ({_verdict(person['ratio'] <= DASHBOARD_DEMO_RATIO)})"
    return (
        f"≤ {DASHBOARD_LARGE_RATIO:g}× at {_n(LARGE_APPLICATIONS)} applications "
        f"({_verdict(person['ratio'] <= DASHBOARD_LARGE_RATIO)}"
        + ("" if person["applications"] == LARGE_APPLICATIONS else ", at this run's size")
        + ")"
    )


def target_sentences(results: dict) -> list[tuple[bool | None, str]]:
    """One sentence per target of issue #17, each saying met or missed from the figures
    (None: not measured in this run)."""
    out: list[tuple[bool | None, str]] = []
    if "dashboard" in results:
        people = results["dashboard"]["people"]
        demo = next((p for p in people if p.get("demo")), None)
        if demo is not None:
            met = demo["ratio"] <= DASHBOARD_DEMO_RATIO
            out.append(
                (
                    met,
                    f"Dashboard ≤ {DASHBOARD_DEMO_RATIO:g}× a bare logged-in page for the demo "
                    f"search: {_verdict(met)}. With {_n(demo['applications'])} applications "
                    f"the dashboard's median is {_ms(demo['p50_ms'])} against the bare page's "
                    f"{_ms(demo['bare']['p50_ms'])}, {demo['ratio']:.1f}× (p95: "
                    f"{demo['ratio_p95']:.1f}×), rendered afresh on every visit{_kept_note(demo)}.",
                )
            )
        large = people[-1]
        if not large.get("demo"):
            met = large["ratio"] <= DASHBOARD_LARGE_RATIO
            size_note = (
                ""
                if large["applications"] == LARGE_APPLICATIONS
                else f" (this run measured {_n(large['applications'])} applications, not "
                f"{_n(LARGE_APPLICATIONS)}: the verdict is for the size measured)"
            )
            out.append(
                (
                    met,
                    f"Dashboard ≤ {DASHBOARD_LARGE_RATIO:g}× the bare page at "
                    f"{_n(LARGE_APPLICATIONS)} applications: {_verdict(met)}{size_note}. "
                    f"With {_n(large['applications'])} applications the dashboard's median "
                    f"is {_ms(large['p50_ms'])} against the bare page's "
                    f"{_ms(large['bare']['p50_ms'])}, {large['ratio']:.1f}× (p95: "
                    f"{large['ratio_p95']:.1f}×), rendered afresh on every visit{_kept_note(large)}.",
                )
            )
        counts = [p["queries"] for p in people]
        constant = len(set(counts)) == 1
        met = constant and max(counts) <= DASHBOARD_MAX_QUERIES
        out.append(
            (
                met,
                f"The dashboard's queries constant and ≤ {DASHBOARD_MAX_QUERIES}: "
                f"{_verdict(met)}. It makes "
                + " and ".join(
                    f"{p['queries']} for {_n(p['applications'])} applications" for p in people
                )
                + f" ({'constant' if constant else 'not constant'}; every query of the "
                "request counted, middleware included).",
            )
        )
    if "dispatch" in results:
        one = results["dispatch"]["one"]
        many = results["dispatch"]["many"]
        met = one["ratio"] >= TARGET_RATIO
        out.append(
            (
                met,
                f"One dispatcher ≥ {TARGET_RATIO} of raw SMTP: {_verdict(met)}. The median of "
                f"{len(one['pairs'])} interleaved pairs is {one['ratio']:.2f} (pairs: "
                + ", ".join(f"{p['ratio']:.2f}" for p in one["pairs"])
                + f"); {many['dispatchers']} dispatchers reach {many['ratio']:.2f} the same "
                "way (no target of their own).",
            )
        )
    if "load" in results:
        lo = results["load"]
        dashboards = [r for r in lo["runs"] if "ratio" in r]
        if dashboards:
            demo_name = _demo_username(results)
            first = next((r for r in dashboards if r["username"] == demo_name), dashboards[0])
            met = first["ratio"] >= LOAD_RATIO
            others = "".join(
                f"; {r['username']}'s dashboard{_how(r)}: {r['ratio']:.2f} ({r['rps']:.1f}/s)"
                for r in dashboards
                if r is not first
            )
            out.append(
                (
                    met,
                    f"Throughput under load, dashboard / bare page ≥ {LOAD_RATIO}: "
                    f"{_verdict(met)}. With {lo['connections']} connections on "
                    f"{lo['workers']} gunicorn workers, {first['username']}'s dashboard"
                    f"{' (the demo search)' if first['username'] == demo_name else ''}"
                    f"{_how(first)} "
                    f"serves {first['rps']:.1f}/s against the bare page's "
                    f"{lo['bare']['rps']:.1f}/s: {first['ratio']:.2f}{others}.",
                )
            )
    return out


def _demo_username(results: dict) -> str | None:
    people = results.get("dashboard", {}).get("people", [])
    return next((p["username"] for p in people if p.get("demo")), None)


def _targets(results: dict, *, complete: bool) -> str:
    sentences = target_sentences(results)
    if not sentences:
        return ""
    caveat = (
        ""
        if complete
        else " This is a partial run (smaller sizes or fewer sections): the verdicts are "
        "for what it measured, not the committed figures."
    )
    return (
        "## Targets\n\n"
        "Each sentence is written by the benchmark from this run's figures; a target the "
        "figures miss says so." + caveat + "\n\n" + "\n".join(f"- {t}" for _, t in sentences)
    )


def _summary(results: dict) -> str:
    rows = []
    if "dashboard" in results:
        for p in results["dashboard"]["people"]:
            b = p["bare"]
            rows.append(
                [
                    f"Dashboard, {_n(p['applications'])} applications{_demo(p)}, vs the bare page",
                    f"{p['queries']} queries; p50 {_ms(p['p50_ms'])} vs {_ms(b['p50_ms'])}, "
                    f"p95 {_ms(p['p95_ms'])} vs {_ms(b['p95_ms'])}: **{p['ratio']:.1f}×**",
                    _dashboard_target(p),
                ]
            )
    if "load" in results:
        lo = results["load"]
        for run in lo["runs"]:
            ratio = f"; **{run['ratio']:.2f}** of the bare page's rate" if "ratio" in run else ""
            rows.append(
                [
                    f"Web, {lo['connections']} connections for {lo['duration']} s, {_page(run)}",
                    f"{_n(run['requests'])} requests ({run['rps']:.1f}/s), "
                    f"{run['errors']} errors; p50 {_ms(run['p50_ms'])}, p99 {_ms(run['p99_ms'])}"
                    + ratio,
                    "no errors" + (f"; ≥ {LOAD_RATIO} of the bare page" if ratio else ""),
                ]
            )
    if "dispatch" in results:
        d = results["dispatch"]
        for series, target in ((d["one"], f"≥ {TARGET_RATIO}"), (d["many"], "")):
            rows.append(
                [
                    f"Dispatch, {series['dispatchers']} dispatcher"
                    f"{'s' if series['dispatchers'] > 1 else ''} vs raw smtplib, "
                    f"{len(series['pairs'])} interleaved pairs of {_n(series['reminders_per_run'])}",
                    "pairs' ratios "
                    + ", ".join(f"{p['ratio']:.2f}" for p in series["pairs"])
                    + f": **median {series['ratio']:.2f}**",
                    target,
                ]
            )
        mem = _memory(d)
        rows.append(
            [
                "Dispatch worker peak memory",
                f"{_mib(mem['peak_kib'])} (VmHWM; {_mib(mem['baseline_kib'])} before the run)",
                "",
            ]
        )
    if "idle" in results:
        stages = results["idle"]["stages"]
        growth = results["idle"]["growth"]
        verdict = "flat" if growth <= FLAT_GROWTH else "**grows**"
        for s in stages:
            rows.append(
                [
                    f"Idle dispatch tick, {_n(s['rows'])} rows",
                    f"p50 {_ms(s['p50_ms'])}, p95 {_ms(s['p95_ms'])}; {s['queries']} queries",
                    "flat as rows grow",
                ]
            )
        rows.append(
            [
                "Idle tick growth",
                f"{growth:.2f}x from {_n(stages[0]['rows'])} to {_n(stages[-1]['rows'])} rows",
                f"≤ {FLAT_GROWTH}x ({verdict})",
            ]
        )
    return "## Summary\n\n" + _table(["Figure", "Measured", "Target"], rows)


def _kept(p: dict) -> str:
    kept = p.get("kept")
    if not kept:
        return ""
    return f"{kept['queries']}, {_ms(kept['p50_ms'])}, {kept['ratio']:.1f}×"


def _dashboard(d: dict, results: dict) -> str:
    rows = []
    for p in d["people"]:
        b = p["bare"]
        rows.append(
            [
                f"{p['username']}{_demo(p)}",
                _n(p["applications"]),
                f"{_n(p['followups'])} ({_n(p['pending_followups'])} pending)",
                f"{p['queries']} / {b['queries']}",
                _n(p["requests"]),
                f"{_ms(p['p50_ms'])} / {_ms(b['p50_ms'])}",
                f"{_ms(p['p95_ms'])} / {_ms(b['p95_ms'])}",
                f"**{p['ratio']:.1f}×** / {p['ratio_p95']:.1f}×",
                _kept(p),
                f"{_ms(p['max_ms'])} / {_ms(b['max_ms'])}",
                f"{p['bytes'] / 1024:,.0f} / {b['bytes'] / 1024:,.0f} KiB",
                f"{p['seed_seconds']:.1f} s",
            ]
        )
    parts = [
        f"{p['username']}: the cards' data {_ms(p['breakdown']['data'])} (their SQL "
        f"included), the template {_ms(p['breakdown']['template'])}, against the bare "
        f"page's whole {_ms(p['bare']['p50_ms'])}"
        for p in d["people"]
        if p.get("breakdown")
    ]
    where = (
        "\n\nWhere a visit's time goes (medians, timed apart in this process after the "
        "pairs): " + "; ".join(parts) + ". The rest of a visit is what every page pays "
        "(middleware, the session, the person's row)."
        if parts
        else ""
    )
    slowest = ""
    big = d["people"][-1]
    if big.get("slowest"):
        slowest = (
            f"\n\nWhere the database time goes for {big['username']} (EXPLAIN ANALYZE of each "
            f"query of the dashboard; {_ms(big['db_ms'])} in all):\n\n"
            + _table(
                ["Planning + execution", "of which JIT", "Query (start)"],
                [[_ms(ms), _ms(jit) if jit else "", f"`{sql}`"] for ms, jit, sql in big["slowest"]],
            )
        )
    bare_url = d["people"][0]["bare"]["url"]
    return (
        "## Dashboard and a bare page\n\n"
        "Each person is made by `manage.py seed_demo --user NAME --applications N` (the demo "
        f"search is seed_demo's own size, {_n(d['demo_applications'])} applications; the "
        "others scale it up, the engine's follow-ups included). The database is VACUUM "
        "ANALYZEd after seeding, as autovacuum would have done by then (row counts for the "
        "planner, the visibility map for index-only scans). The pages are requested in this one process "
        "through Django's test Client, so the whole middleware stack runs with the "
        "production settings: the dashboard (`/`) rendered afresh on every visit (the kept "
        "cards are dropped from the cache just before it, untimed: what a visit right after "
        "a change to the person's data costs, keeping the new cards included), the dashboard "
        "as production serves a repeat visit (the cards kept by the visit before, while "
        "nothing changed: 'kept'), and the bare page "
        f"(`{bare_url}`, 'Your password was changed': the smallest page behind login, the "
        "layout and one sentence, so what every logged-in page costs and nothing more). "
        "After a warm-up, the queries of one request of each are counted "
        "(middleware included); then the rendered dashboard and the bare page take turns, in "
        "pairs whose order alternates (dashboard first, then the bare page first, ...), so a "
        "machine that slows down meanwhile slows both alike; then the kept dashboard and the "
        "bare page the same way. The ratio is the dashboard's median over the bare page's "
        "of the same pairs (and the same of the p95s); the targets are held against the "
        "rendered dashboard.\n\n"
        + _table(
            [
                "Person",
                "Applications",
                "Follow-ups",
                "Queries (dashboard / bare)",
                "Requests of each",
                "p50 (dashboard / bare)",
                "p95",
                "Ratio p50 / p95",
                "Kept: queries, p50, ratio",
                "max",
                "Page",
                "Seeding",
            ],
            rows,
        )
        + where
        + slowest
    )


def _how(run: dict) -> str:
    """Which dashboard a load run asked for (older results: as served, no cache then)."""
    if "rendered" not in run:
        return ""
    if run["rendered"]:
        return ", rendered afresh on every visit (as right after a change)"
    return ", repeat visits served from the kept cards"


def _page(run: dict) -> str:
    if run.get("page") == "bare":
        return f"the bare page `{run['path']}`"
    return f"the dashboard `/` as {run['username']}{_how(run)}"


def _load(lo: dict, results: dict) -> str:
    rows = []
    for run in lo["runs"]:
        statuses = ", ".join(f"{code}: {_n(n)}" for code, n in sorted(run["statuses"].items()))
        rows.append(
            [
                f"{_page(run)} ({run['page_bytes'] / 1024:,.0f} KiB)",
                f"{_n(run['requests'])} ({run['rps']:.1f}/s)",
                f"{run['ratio']:.2f}" if "ratio" in run else "",
                statuses or "none",
                f"{run['errors']} ({run['socket_errors']} socket, {run['timeouts']} timeouts, "
                f"{run['requests'] - run['ok']} non-200)",
                _ms(run["p50_ms"]),
                _ms(run["p90_ms"]),
                _ms(run["p99_ms"]),
                _ms(run["max_ms"]),
            ]
        )
    client = lo["runs"][0]["client"] if lo["runs"] else ""
    bare = lo.get("bare")
    pooled = (
        f"\n\nThe bare page, its two runs pooled: {_n(bare['requests'])} requests in "
        f"{bare['seconds']:.1f} s, {bare['rps']:.1f}/s; each dashboard's rate is divided by "
        "this one for its ratio."
        if bare
        else ""
    )
    return (
        "## Web under load\n\n"
        f"gunicorn with {lo['workers']} sync workers and its access log (as docker-compose.yml "
        f"runs it) on 127.0.0.1, driven by {client} with {lo['connections']} connections for "
        f"{lo['duration']} s per run. The runs go in this order: the bare page, each "
        "dashboard as production serves it (a repeat visit gets the cards kept from an "
        "earlier visit in the same minute, in Redis, while the person's data has not "
        "changed), each dashboard rendered afresh on every visit (a second gunicorn with "
        "`DASHBOARD_CACHE_SECONDS=0`: what every visit would cost right after a change), the "
        "bare page again, so the bare page's figure is measured on either side of the "
        "dashboards. The logged-in person's session cookie and the "
        "`X-Forwarded-Proto: https` header the TLS proxy adds go with every request; every "
        f"response that is not a 200 counts as an error, as does no answer within "
        f"{lo['timeout']} s.\n\n"
        + _table(
            [
                "Page",
                "Requests",
                "Rate / bare page",
                "Responses",
                "Errors",
                "p50",
                "p90",
                "p99",
                "max",
            ],
            rows,
        )
        + pooled
    )


def _memory(d: dict) -> dict:
    one, many = d["one"]["memory"], d["many"]["memory"]
    return {key: max(one[key], many[key]) for key in one}


def _pairs_table(series: dict) -> str:
    rows = []
    for index, p in enumerate(series["pairs"], 1):
        raw, engine = p["raw"], p["engine"]
        rows.append(
            [
                str(index),
                p["first"],
                f"{_n(raw['count'])} in {raw['elapsed']:.1f} s: {raw['rate']:,.0f}/s",
                f"{_n(engine['count'])} in {engine['elapsed']:.1f} s: {engine['rate']:,.0f}/s",
                f"{p['ratio']:.2f}",
            ]
        )
    rows.append(
        [
            "**median**",
            "",
            f"{series['raw_rate']:,.0f}/s",
            f"{series['engine_rate']:,.0f}/s",
            f"**{series['ratio']:.2f}**",
        ]
    )
    return _table(["Pair", "First", "Raw smtplib", "Engine", "Engine / raw"], rows)


def _dispatch(d: dict, results: dict) -> str:
    one, many = d["one"], d["many"]
    mem = _memory(d)
    sink = d["sink"]
    parts = []
    for series in (one, many):
        s = series["summary"]
        n = series["dispatchers"]
        parts.append(
            f"### {n} dispatcher{'s' if n > 1 else ''}\n\n"
            + _pairs_table(series)
            + f"\n\nIn all: {_n(s['claimed'])} claimed, {_n(s['sent'])} sent, "
            f"{s['retrying']} retrying, {s['failed']} failed, {s['cancelled']} cancelled, "
            f"{s['deferred']} deferred; {_n(series['queries'])} SQL queries "
            f"({series['queries'] / max(series['emails'], 1):.2f} per email)."
        )
    return (
        "## Dispatch\n\n"
        f"{_n(d['reminders'])} reminders due at once for {_n(d['people'])} people (100 "
        "follow-ups each, every kind of the rule table in turn, each with its recorded "
        "company, contact, application, interview and rejection), VACUUM ANALYZEd once "
        "written, as autovacuum would have done (else it runs during the first pairs). "
        "One local aiosmtpd server "
        "in its own process, which accepts and discards every message, serves the whole "
        "section, one run at a time. Raw smtplib and the engine take turns on it in pairs: "
        f"raw is plain `smtplib` sending {_n(d['reminders_per_run'])} messages over one "
        "connection, cycling through real reminder emails rendered beforehand "
        f"({_n(d['message_bytes_min'])}–{_n(d['message_bytes_max'])} bytes, mean "
        f"{_n(d['message_bytes_mean'])}); the engine is `dispatch_due_reminders()` in "
        "processes of its own (`benchmarks/dispatch_worker.py`, as a worker runs it, with "
        f"the production email backend) sending {_n(d['reminders_per_run'])} due reminders. "
        "The order alternates from pair to pair, so the machine's drift over minutes weighs "
        "on both sides alike; each pair gives a ratio, and the figure is the median of the "
        f"pairs' ratios. First with one dispatcher, then with {d['concurrency']} started "
        f"together (what a worker with {d['concurrency']} pool processes does with a "
        "backlog: the beat tick starts DISPATCH_CONCURRENCY - 1 helpers, "
        "`followups/tasks.py`; their claims skip each other's rows, FOR UPDATE SKIP LOCKED); "
        "a run's rate is its emails over the time from its start to the last dispatcher's "
        "end.\n\n"
        + "\n\n".join(parts)
        + f"\n\nThe server accepted {_n(sink['accepted'])} messages of the "
        f"{_n(sink['sent'])} sent to it (raw and engine); {_n(d['sent_rows'])} reminders "
        "are marked sent.\n\n"
        f"Worker memory: {_mib(mem['baseline_kib'])} after start-up and an idle tick, "
        f"{_mib(mem['peak_kib'])} peak while sending (VmHWM, the largest of the workers; "
        f"ru_maxrss {_mib(mem['maxrss_kib'])})." + _limits(d)
    )


def _limits(d: dict) -> str:
    one, many = d["one"], d["many"]
    before = d.get("before")
    missing = before.get("error") if before else None
    if missing:
        before = None
    b_one = before["one"] if before else None
    names = list(
        dict.fromkeys([*(b_one["steps_ms"] if b_one else {}), *one["steps_ms"], *many["steps_ms"]])
    )

    def row(name: str, then, now_one, now_many) -> list[str]:
        return [name, *([then] if before else []), now_one, now_many]

    def step(series: dict | None, name: str) -> str:
        if series is None or name not in series["steps_ms"]:
            return "—"
        return _ms(series["steps_ms"][name])

    rows = [row(name, step(b_one, name), step(one, name), step(many, name)) for name in names]
    rows.append(
        row(
            "**All in, per dispatcher (sum of the above)**",
            f"**{_ms(sum(b_one['steps_ms'].values()))}**" if b_one else "",
            f"**{_ms(sum(one['steps_ms'].values()))}**",
            f"**{_ms(sum(many['steps_ms'].values()))}**",
        )
    )
    if "timed_rate" in one and "timed_rate" in many:
        rows.append(
            row(
                "1 / the timed run's rate (all dispatchers together)",
                "— (its pairs ran with the timers)" if b_one else "",
                _ms(1000 / one["timed_rate"]),
                _ms(1000 / many["timed_rate"]),
            )
        )
    rows.append(
        row(
            "1 / the pairs' median engine rate, without timers (all dispatchers together)",
            f"{_ms(1000 / b_one['engine_rate'])} (with the timers)" if b_one else "",
            _ms(1000 / one["engine_rate"]),
            _ms(1000 / many["engine_rate"]),
        )
    )
    rows.append(
        row(
            "Raw smtplib, for comparison (1 / the pairs' median raw rate)",
            _ms(1000 / b_one["raw_rate"]) if b_one else "",
            _ms(1000 / one["raw_rate"]),
            _ms(1000 / many["raw_rate"]),
        )
    )
    rows.append(
        row(
            "Engine / raw (median of the pairs' ratios)",
            f"{b_one['ratio']:.2f}" if b_one else "",
            f"{one['ratio']:.2f}",
            f"{many['ratio']:.2f}",
        )
    )
    split = d["split"]
    # The same step may have had another name then ("3 actions" before a fourth link): a
    # step is matched by its name up to the parenthesis, and the old name is shown.
    b_split = {
        name.split(" (")[0]: (name, ms)
        for name, ms in (before["split"]["per_email_ms"] if before else {}).items()
    }

    def then(name: str) -> str:
        old_name, ms = b_split.get(name.split(" (")[0], (None, None))
        if old_name is None:
            return "—"
        return _ms(ms) + ("" if old_name == name else f" (then: {old_name})")

    detail = [
        [name, *([then(name)] if before else []), _ms(ms)]
        for name, ms in split["per_email_ms"].items()
    ]
    commit = f"`{before['commit']}`" if before else ""
    return (
        "\n\n### Where the time goes per email\n\n"
        "Timers around the functions the engine calls, in the dispatch processes of one "
        "more engine run of each kind after its pairs (the pairs themselves run without "
        "the timers, which add work of their own to every step, so the timed run is the "
        "slower): a dispatcher's time per email it sent."
        + (_before_note(before) if before else "")
        + (
            f" The engine before issue #17 could not be measured in this run: {missing}."
            if missing
            else ""
        )
        + "\n\n"
        + _table(
            [
                "Step",
                *([f"Before: one dispatcher at {commit}"] if before else []),
                "One dispatcher",
                f"{many['dispatchers']} dispatchers (each)",
            ],
            rows,
        )
        + f"\n\nBuilding one email, step by step (measured in the benchmark's own process "
        f"over {_n(split['emails'])} of the reminders, before the runs"
        + ("; before: the same measurement at " + commit if before else "")
        + "):\n\n"
        + _table(["Step", *([f"Before, at {commit}"] if before else []), "Per email"], detail)
    )


def _before_note(before: dict) -> str:
    return (
        f" The 'before' column is the engine at `{before['commit']}` (\"{before['subject']}\"), "
        "when the work on issue #17 began, measured in this run after its own sections by "
        "that commit's own benchmark (`benchmarks/before.py`: its dispatch section, in a git "
        "worktree of that commit, with this run's sizes, on a database of its own); then the "
        "timers ran during the pairs themselves (pooled over them), so its engine rate "
        "includes their cost. Its pairs' ratios: "
        + ", ".join(f"{r:.2f}" for r in before["one"]["pairs"])
        + f" ({before['date']}, load {before['loadavg'][0]} → {before['loadavg'][1]})."
    )


def _idle(d: dict, results: dict) -> str:
    rows = []
    for s in d["stages"]:
        by_status = ", ".join(f"{k} {_n(v)}" for k, v in sorted(s["reminders_by_status"].items()))
        index = s["index_bytes"].get("reminder_pending_due_idx", 0)
        rows.append(
            [
                _n(s["rows"]),
                by_status,
                f"{s['reminders_bytes'] / 2**20:,.0f} MiB / {index / 1024:,.0f} KiB",
                s["queries"],
                _n(s["ticks"]),
                _ms(s["p50_ms"]),
                _ms(s["p95_ms"]),
                _ms(s["select1_ms"]),
            ]
        )
    plans = []
    for s in d["stages"]:
        used = ", ".join(
            f"`{name}`: {'yes' if yes else 'NO'}" for name, yes in s["uses_index"].items()
        )
        plans.append(f"At {_n(s['rows'])} rows ({used}):\n\n" + _code("\n\n".join(s["plans"])))
    return (
        "## Idle dispatch tick\n\n"
        "`dispatch_due_reminders()` when nothing is due, over an outbox built like a "
        "long-running site's: two years of follow-ups in id order, each with its reminder "
        "due 1–90 days after the event; what fell due before now is done and sent (94 %), "
        "cancelled (5 %) or pending with a failed reminder (1 %); what falls due later is "
        "pending. Each size is built fresh with `INSERT ... SELECT FROM generate_series` and "
        "VACUUM ANALYZEd, as autovacuum would have done. `SELECT 1` is the round trip of the "
        "same connection at the same time, for scale.\n\n"
        + _table(
            [
                "Follow-ups / reminders",
                "Reminders by status",
                "Outbox / due index",
                "Queries",
                "Ticks",
                "p50",
                "p95",
                "`SELECT 1`",
            ],
            rows,
        )
        + f"\n\nGrowth of the p50 from the smallest to the largest size: {d['growth']:.2f}x.\n\n"
        "The tick's queries, with PostgreSQL's plans (EXPLAIN ANALYZE):\n\n"
        + _code("\n".join(d["stages"][-1]["statements"]))
        + "\n\n"
        + "\n\n".join(plans)
    )


def _indexes_used(plans: list[str]) -> list[str]:
    """The indexes the plans scan, in order, each once."""
    return list(dict.fromkeys(re.findall(r"Index (?:Only )?Scan using (\w+)", "\n".join(plans))))


def _findings(results: dict) -> str:
    """What the figures say and what to do about them (text chosen by the figures)."""
    from followups import outbox

    batch, chunk = outbox.DEFAULT_BATCH_SIZE, outbox.CHUNK
    items = []
    if "dispatch" in results:
        d = results["dispatch"]
        one, many = d["one"], d["many"]
        steps = one["steps_ms"]
        wire = next((ms for name, ms in steps.items() if "smtplib" in name), 0.0)
        total = sum(steps.values())
        helps = many["ratio"] > one["ratio"] * 1.1
        items.append(
            f"**Dispatch**: one dispatcher reaches {one['ratio']:.2f} of raw SMTP (median of "
            f"{len(one['pairs'])} interleaved pairs), {'above' if one['ratio'] >= TARGET_RATIO else 'below'} "
            f"the {TARGET_RATIO} target; {many['dispatchers']} dispatchers reach "
            f"{many['ratio']:.2f}. An email costs one dispatcher {_ms(total)}, of which the "
            f"SMTP conversation is {_ms(wire)} (raw smtplib: {_ms(1000 / one['raw_rate'])} a "
            "message); the rest is the engine's own work: SQL, the draft, three templates "
            "and four signed links, the MIME encoding (see 'Where the time goes per email'). "
            + (
                f"A second dispatcher helps ({many['ratio']:.2f} against {one['ratio']:.2f}): "
                "it works while the other waits for the server."
                if helps
                else f"More dispatchers do not help here ({many['ratio']:.2f} against "
                f"{one['ratio']:.2f}): on {results['machine']['nproc']} CPUs shared with the "
                "SMTP server and PostgreSQL, the engine's time is CPU, not waiting."
            )
            + f" Claims come in batches of {batch}, the drafts' data is loaded once per "
            f"batch, the re-check is one query per chunk of {chunk}, and each email is marked "
            "sent by an UPDATE of its own the moment the server accepts it "
            f"({one['queries'] / max(one['emails'], 1):.2f} queries per email)."
        )
        if d.get("before") and not d["before"].get("error"):
            b = d["before"]["one"]
            items[-1] += (
                f" Before the work on issue #17 (`{d['before']['commit']}`, measured in this run "
                f"by that commit's own benchmark), one dispatcher reached "
                f"{b['ratio']:.2f} of raw SMTP and an email cost it "
                f"{_ms(sum(b['steps_ms'].values()))}."
            )
        mem = _memory(d)
        items.append(
            f"**Worker memory**: {_mib(mem['peak_kib'])} at the peak against "
            f"{_mib(mem['baseline_kib'])} after start-up. The worker holds one claimed "
            f"batch of {batch} reminders at a time, so the peak does not depend on how many "
            "are due."
        )
    if "idle" in results:
        i = results["idle"]
        flat = i["growth"] <= FLAT_GROWTH
        used = all(all(s["uses_index"].values()) for s in i["stages"])
        items.append(
            f"**The idle tick** {'stays flat' if flat else 'grows'} "
            f"({i['growth']:.2f}x from {_n(i['stages'][0]['rows'])} to "
            f"{_n(i['stages'][-1]['rows'])} rows) and its two claim queries "
            + (
                "use the partial indexes `reminder_pending_due_idx` and "
                "`reminder_sending_lease_idx` at every size"
                if used
                else "do not use the partial indexes `reminder_pending_due_idx` and "
                "`reminder_sending_lease_idx` at every size (the indexes each size's plans "
                "use: "
                + "; ".join(
                    f"{_n(s['rows'])} rows: "
                    + ", ".join(f"`{name}`" for name in _indexes_used(s["plans"]))
                    for s in i["stages"]
                )
                + ")"
            )
            + ": sent, cancelled "
            "and failed rows are not in them, so the indexes hold only what may still be "
            "sent. The database's own work is the plans' Execution Time, a small fraction of "
            "a tick; the rest is Django building four statements (BEGIN, two SELECT ... FOR "
            "UPDATE SKIP LOCKED, COMMIT) and their round trips."
        )
    if "dashboard" in results:
        people = results["dashboard"]["people"]
        small, big = people[0], people[-1]
        same = len({p["queries"] for p in people}) == 1
        growth = big["p50_ms"] / small["p50_ms"]
        items.append(
            f"**The dashboard** makes {big['queries']} queries for {_n(big['applications'])} "
            f"applications and {small['queries']} for {_n(small['applications'])}"
            f"{' (constant, as the cards promise)' if same else ''}; its p50 server time is "
            f"{_ms(big['p50_ms'])} against {_ms(small['p50_ms'])} ({growth:.1f}x), "
            f"{big['ratio']:.1f}× and {small['ratio']:.1f}× the bare logged-in page "
            f"({_ms(big['bare']['p50_ms'])} and {_ms(small['bare']['p50_ms'])}: the middleware, "
            "the session and the layout every page pays). "
            + (
                "It barely grows with the size of the search: the time is Python (building the "
                "cards and rendering the page), not the database."
                if growth < 1.5
                else "It grows with the size of the search, in the database: under EXPLAIN "
                f"ANALYZE (which adds overhead of its own) the page's queries take "
                f"{_ms(big['db_ms'])}, the slowest alone {_ms(big['slowest'][0][0])} (listed "
                "in the dashboard section)."
                if big.get("slowest")
                else "It grows with the size of the search."
            )
        )
        jit = [(ms, j) for ms, j, _sql in big.get("slowest", []) if j]
        if jit:
            which = "one of the page's queries" if len(jit) == 1 else f"{len(jit)} of its queries"
            items.append(
                f"**PostgreSQL JIT-compiles** {which} for {big['username']} "
                f"({_ms(sum(j for _, j in jit))} of compiling): the cost estimate passes "
                "`jit_above_cost`, yet it runs once per page view, where compiling costs more "
                "than it saves. Turning JIT off for the app's connections "
                "(`OPTIONS: {'options': '-c jit=off'}` in DATABASES) or making the query cheaper "
                "would remove it."
            )
    if "load" in results:
        lo = results["load"]
        served = "; ".join(
            f"{run['rps']:.1f} a second of {_page(run)} with {run['errors']} errors"
            for run in lo["runs"]
        )
        items.append(
            f"**Under load**, {lo['workers']} sync gunicorn workers serve {served}. With "
            f"{lo['connections']} connections on {lo['workers']} workers most of the latency "
            "is waiting in the queue; throughput is bounded by the dashboard's CPU time and "
            f"the machine's {results['machine']['nproc']} CPUs, which the load generator and PostgreSQL "
            "share here."
        )
    return "## Findings\n\n" + "\n\n".join(f"- {item}" for item in items)


def _footer(results: dict) -> str:
    minutes = results["total_seconds"] / 60
    sections = ", ".join(
        f"{name} {results[name]['seconds']:.0f} s"
        + (
            f" (load {results[name]['loadavg'][0]} → {results[name]['loadavg'][1]})"
            if results[name].get("loadavg")
            else ""
        )
        for name in results["sections"]
        if name in results
    )
    before = results.get("dispatch", {}).get("before")
    if before and "seconds_all" in before:
        sections += f", the engine before #17 {before['seconds_all']:.0f} s"
    return f"---\n\nThe whole run took {minutes:.1f} minutes ({sections})."
