"""docs/PERFORMANCE.md, written from one run's results (never edited by hand)."""

import textwrap

TARGET_RATIO = 0.5
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
    parts = [_intro(results, complete=complete), _machine(results), _summary(results)]
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


def _summary(results: dict) -> str:
    rows = []
    if "dashboard" in results:
        for p in results["dashboard"]["people"]:
            rows.append(
                [
                    f"Dashboard, {_n(p['applications'])} applications",
                    f"{p['queries']} queries; p50 {_ms(p['p50_ms'])}, p95 {_ms(p['p95_ms'])}",
                    "queries constant in the data",
                ]
            )
    if "load" in results:
        lo = results["load"]
        for run in lo["runs"]:
            rows.append(
                [
                    f"Web, {lo['connections']} connections for {lo['duration']} s, "
                    f"{run['username']}'s dashboard",
                    f"{_n(run['requests'])} requests ({run['rps']:.1f}/s), "
                    f"{run['errors']} errors; p50 {_ms(run['p50_ms'])}, p99 {_ms(run['p99_ms'])}",
                    "no errors",
                ]
            )
    if "dispatch" in results:
        d = results["dispatch"]
        verdict = "met" if d["ratio"] >= TARGET_RATIO else "**not met**"
        rows.append(
            [
                f"Dispatch, {_n(d['reminders'])} due reminders, {d['concurrency']} dispatchers "
                "(as docker-compose.yml runs them)",
                f"{d['engine']['rate']:,.0f} emails/s vs raw smtplib {d['raw']['rate']:,.0f}/s"
                + _raw_runs(d["raw"])
                + f": **ratio {d['ratio']:.2f}**",
                f"≥ {TARGET_RATIO} ({verdict})",
            ]
        )
        one = d["single"]
        rows.append(
            [
                f"Dispatch, one dispatcher alone ({_n(one['reminders'])} reminders)",
                f"{one['rate']:,.0f} emails/s: ratio {one['ratio']:.2f}",
                "",
            ]
        )
        rows.append(
            [
                "Dispatch worker peak memory",
                f"{_mib(d['memory']['peak_kib'])} (VmHWM; {_mib(d['memory']['baseline_kib'])} "
                "before the run)",
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


def _dashboard(d: dict, results: dict) -> str:
    rows = [
        [
            p["username"],
            _n(p["applications"]),
            f"{_n(p['followups'])} ({_n(p['pending_followups'])} pending)",
            p["queries"],
            _n(p["requests"]),
            _ms(p["p50_ms"]),
            _ms(p["p95_ms"]),
            _ms(p["max_ms"]),
            f"{p['bytes'] / 1024:,.0f} KiB",
            f"{p['seed_seconds']:.1f} s",
        ]
        for p in d["people"]
    ]
    slowest = ""
    big = d["people"][-1]
    if big.get("slowest"):
        slowest = (
            f"\n\nWhere the database time goes for {big['username']} (EXPLAIN ANALYZE of each "
            f"query of the page; {_ms(big['db_ms'])} in all):\n\n"
            + _table(
                ["Planning + execution", "of which JIT", "Query (start)"],
                [[_ms(ms), _ms(jit) if jit else "", f"`{sql}`"] for ms, jit, sql in big["slowest"]],
            )
        )
    return (
        "## Dashboard\n\n"
        "Each person is made by `manage.py seed_demo --user NAME --applications N` (the demo "
        "search scaled up, the engine's follow-ups included). The page (`/`) is requested "
        "in-process through Django's test Client, so the whole middleware stack runs with "
        "the production settings. The database is ANALYZEd after seeding, as autovacuum "
        "would. After a warm-up, the queries of one request are counted (middleware "
        "included) and the server time of each request is measured.\n\n"
        + _table(
            [
                "Person",
                "Applications",
                "Follow-ups",
                "Queries",
                "Requests",
                "p50",
                "p95",
                "max",
                "Page",
                "Seeding",
            ],
            rows,
        )
        + slowest
    )


def _load(lo: dict, results: dict) -> str:
    rows = []
    for run in lo["runs"]:
        statuses = ", ".join(f"{code}: {_n(n)}" for code, n in sorted(run["statuses"].items()))
        rows.append(
            [
                f"`/` as {run['username']} ({run['page_bytes'] / 1024:,.0f} KiB)",
                f"{_n(run['requests'])} ({run['rps']:.1f}/s)",
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
    return (
        "## Web under load\n\n"
        f"gunicorn with {lo['workers']} sync workers (as docker-compose.yml) on 127.0.0.1, "
        f"driven by {client} with {lo['connections']} connections for {lo['duration']} s "
        "per page. The logged-in person's session cookie and the `X-Forwarded-Proto: "
        "https` header the TLS proxy adds go with every request; every response that is "
        f"not a 200 counts as an error, as does no answer within {lo['timeout']} s.\n\n"
        + _table(["Page", "Requests", "Responses", "Errors", "p50", "p90", "p99", "max"], rows)
    )


def _raw_runs(raw: dict) -> str:
    runs = raw.get("runs") or []
    if len(runs) != 2:
        return ""
    return f" (pooled: {runs[0]['rate']:,.0f}/s before, {runs[1]['rate']:,.0f}/s after)"


def _dispatch(d: dict, results: dict) -> str:
    e, raw, mem, one = d["engine"], d["raw"], d["memory"], d["single"]
    s = e["summary"]
    runs = raw.get("runs") or [raw]
    labels = ["before the engine", "after the engine"] if len(runs) == 2 else ["one run"]
    rows = [
        [
            f"Raw smtplib, one connection, {label}",
            _n(run["count"]),
            f"{run['elapsed']:.1f} s",
            f"{run['rate']:,.0f}/s",
            _n(run["accepted"]),
        ]
        for label, run in zip(labels, runs, strict=True)
    ]
    if len(runs) > 1:
        rows.append(
            [
                "**Raw smtplib, pooled** (the figure the ratio uses)",
                _n(raw["count"]),
                f"{raw['elapsed']:.1f} s",
                f"**{raw['rate']:,.0f}/s**",
                _n(raw["accepted"]),
            ]
        )
    rows += [
        [
            f"{d['concurrency']} dispatchers at once",
            _n(e["emails"]),
            f"{e['elapsed']:.1f} s",
            f"{e['rate']:,.0f}/s",
            _n(e["accepted"]),
        ],
        [
            "One dispatcher alone (before, on other rows)",
            _n(one["emails"]),
            f"{one['elapsed']:.1f} s",
            f"{one['rate']:,.0f}/s",
            "",
        ],
    ]
    shares = ", ".join(f"{_n(w['emails'])} in {w['elapsed']:.1f} s" for w in e.get("workers", []))
    verdict = (
        f"With {d['concurrency']} dispatchers the engine reaches {d['ratio']:.2f} of raw SMTP "
        f"throughput: the {TARGET_RATIO} target is met. One dispatcher alone reaches "
        f"{one['ratio']:.2f}."
        if d["ratio"] >= TARGET_RATIO
        else f"With {d['concurrency']} dispatchers the engine reaches {d['ratio']:.2f} of raw "
        f"SMTP throughput: **below the {TARGET_RATIO} target**. One dispatcher alone reaches "
        f"{one['ratio']:.2f}; see 'What limits dispatch' below."
    )
    return (
        "## Dispatch\n\n"
        f"{_n(d['reminders'] + one['reminders'])} reminders due at once for "
        f"{_n(d['people'])} people (100 follow-ups each, every kind of the rule table in "
        "turn, each with its recorded company, contact, application, interview and "
        "rejection), sent to a local aiosmtpd server in its own process that accepts and "
        "discards every message. The raw figure is plain `smtplib` sending "
        f"{_n(runs[0]['count'])} messages over one connection to a fresh server of the same "
        "kind, cycling through real reminder emails rendered beforehand "
        f"({_n(d['message_bytes_min'])}–{_n(d['message_bytes_max'])} bytes, mean "
        f"{_n(d['message_bytes_mean'])})."
        + (
            " A shared host's speed drifts over minutes, so the raw run is made before and "
            "after the engine, and the ratio uses the two pooled."
            if len(runs) > 1
            else ""
        )
        + "\n\nThe engine runs as a worker runs it: `dispatch_due_reminders()` in processes of its "
        "own (`benchmarks/dispatch_worker.py`), with the production email backend "
        "(`followups.smtp.EmailBackend`). First one dispatcher alone sends the "
        f"{_n(one['reminders'])} reminders due earliest, timed step by step; then "
        f"{d['concurrency']} dispatchers, started together, send the other "
        f"{_n(d['reminders'])}: what a worker with {d['concurrency']} pool processes does "
        "with a backlog (the beat tick starts DISPATCH_CONCURRENCY - 1 helpers, "
        "`followups/tasks.py`). Their claims skip each other's rows (FOR UPDATE SKIP LOCKED). "
        "The rate is emails over the time from their start to the last one's end.\n\n"
        + _table(["", "Emails", "Time", "Rate", "Accepted by the server"], rows)
        + (f"\n\nThe {d['concurrency']} dispatchers' shares: {shares}." if shares else "")
        + f"\n\nSummary of the {d['concurrency']} dispatchers: {_n(s['claimed'])} claimed, "
        f"{_n(s['sent'])} sent, {s['retrying']} retrying, {s['failed']} failed, "
        f"{s['cancelled']} cancelled, {s['deferred']} deferred; {_n(e['sent_rows'])} rows "
        f"marked sent in all; {_n(e['queries'])} SQL queries "
        f"({e['queries'] / max(e['emails'], 1):.2f} per email)."
        f"\n\n{verdict}\n\n"
        f"Worker memory: {_mib(mem['baseline_kib'])} after start-up and an idle tick, "
        f"{_mib(mem['peak_kib'])} peak while sending (VmHWM, the larger of the "
        f"{d['concurrency']}; ru_maxrss {_mib(mem['maxrss_kib'])})."
        + (_limits(d) if d.get("split") else "")
    )


def _limits(d: dict) -> str:
    one = d["single"]
    rows = [[name, _ms(ms)] for name, ms in one["steps_ms"].items()]
    rows.append(["**All in (1 / one dispatcher's rate)**", f"**{_ms(1000 / one['rate'])}**"])
    rows.append(["Raw smtplib, for comparison (1 / raw rate)", _ms(1000 / d["raw"]["rate"])])
    split = d["split"]
    detail = [[name, _ms(ms)] for name, ms in split["per_email_ms"].items()]
    return (
        "\n\n### What limits dispatch\n\n"
        "Where one dispatcher's time went, per email (timers around the functions the engine "
        "calls, in the worker process during the one-dispatcher run above):\n\n"
        + _table(["Step", "Per email"], rows)
        + f"\n\nBuilding one email, step by step (measured in the benchmark's own process "
        f"over {_n(split['emails'])} of the reminders, before the runs):\n\n"
        + _table(["Step", "Per email"], detail)
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


def _findings(results: dict) -> str:
    """What the figures say and what to do about them (text chosen by the figures)."""
    from followups import outbox

    batch, chunk = outbox.DEFAULT_BATCH_SIZE, outbox.CHUNK
    items = []
    if "dispatch" in results:
        d = results["dispatch"]
        one = d["single"]
        steps = one["steps_ms"]
        wire = next((ms for name, ms in steps.items() if "smtplib" in name), 0.0)
        total = 1000 / one["rate"]
        met = "above" if d["ratio"] >= TARGET_RATIO else "below"
        items.append(
            f"**Dispatch** reaches {d['ratio']:.2f} of raw SMTP throughput with "
            f"{d['concurrency']} dispatchers, {met} the {TARGET_RATIO} target; one dispatcher "
            f"alone reaches {one['ratio']:.2f}. An email costs one dispatcher {_ms(total)}, "
            f"of which the SMTP conversation is {_ms(wire)} (raw smtplib: "
            f"{_ms(1000 / d['raw']['rate'])} a message): time spent waiting for the server, "
            "which a second dispatcher fills with its own work. That is why the production "
            "shape runs the tick and DISPATCH_CONCURRENCY - 1 helpers when a backlog is due. "
            f"The rest is CPU in Python: the draft, three templates and four signed links, "
            f"then the MIME encoding, which `followups.smtp` writes directly "
            "(Django's encoder, for comparison, is in 'What limits dispatch'). Claims come in "
            f"batches of {batch}, the drafts' data is loaded once per batch, and the re-check "
            f"and the marking-sent are one query each per chunk of {chunk} "
            f"({d['engine']['queries'] / max(d['engine']['emails'], 1):.2f} queries per email)."
        )
        items.append(
            f"**Worker memory**: {_mib(d['memory']['peak_kib'])} at the peak against "
            f"{_mib(d['memory']['baseline_kib'])} after start-up. The worker holds one claimed "
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
            f"{'use' if used else 'do not all use'} the partial indexes "
            "`reminder_pending_due_idx` and `reminder_sending_lease_idx`: sent, cancelled "
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
            f"{_ms(big['p50_ms'])} against {_ms(small['p50_ms'])} ({growth:.1f}x). "
            + (
                "It barely grows with the size of the search: the time is Python (the cards' "
                "rows and seven templates), not the database."
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
            f"{run['rps']:.1f} dashboards a second for {run['username']} with "
            f"{run['errors']} errors"
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
        for name in results["sections"]
        if name in results
    )
    return f"---\n\nThe whole run took {minutes:.1f} minutes ({sections})."
