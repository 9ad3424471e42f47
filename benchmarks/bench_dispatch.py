"""Dispatch throughput next to raw SMTP throughput, measured interleaved, and the worker's memory.

1. Reminders due at NOW for 100 follow-ups per person (every kind in turn), enough for every
   engine run below, VACUUM ANALYZEd as autovacuum would have done.
2. One SMTP server (aiosmtpd in its own process, accepting and discarding every message)
   for the whole section: every run below sends to it, one run at a time.
3. Pairs: raw smtplib and the engine take turns. Raw is plain smtplib sending M messages
   over one connection (real reminder emails of the same sizes, rendered beforehand); the
   engine is `dispatch_due_reminders(now=NOW)` in processes of their own
   (benchmarks/dispatch_worker.py) sending M reminders. The order alternates from pair to
   pair (raw first, then engine first, ...), so a machine that slows down or speeds up
   over minutes weighs on both sides alike. Each pair gives a ratio (engine rate / raw
   rate); the figure is the median of the pairs' ratios, every pair shown.
4. The same twice: first with ONE dispatcher, then with DISPATCH_CONCURRENCY dispatchers
   started together (a worker's pool processes running the beat tick and its helpers,
   followups/tasks.py). After the pairs of each, one more engine run with timers around
   its steps says where an email's time goes (the pairs run without the timers).
"""

import datetime as dt
import json
import os
import smtplib
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.database import vacuum_analyze
from benchmarks.population import make_followups, make_people, ts
from benchmarks.smtp_sink import SinkProcess

# A Tuesday, 13:00 in Berlin: inside the people's reminder hours (08:00-20:00).
NOW = dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC)
PER_USER = 100
SEARCHES_PER_USER = 20
SAMPLES = 1_000
WORKER = Path(__file__).resolve().parent / "dispatch_worker.py"


def populate(count: int) -> None:
    people = make_people(
        count=max(count // PER_USER, 1),
        searches_per_user=SEARCHES_PER_USER,
        prefix="dispatch",
        now=NOW,
    )
    make_followups(
        people,
        per_user=min(PER_USER, count),
        status="'pending'",
        due_at=ts(NOW - dt.timedelta(hours=2)),
        deadline_at=ts(NOW + dt.timedelta(days=1)),
        reminder_status="'pending'",
        # Due over the last hour, a second apart: the queue has an order.
        next_attempt_at=f"{ts(NOW - dt.timedelta(hours=1))} + (g % 3600) * interval '1 second'",
    )


def sample_messages(count: int) -> tuple[list[tuple[str, list[str], bytes]], dict]:
    """`count` real reminder emails, spread over the outbox, as the SMTP backend sends them,
    and the time each step of building one takes (the engine's work per email)."""
    from django.core.mail.message import sanitize_address

    from followups import drafts, emails, tokens
    from followups.drafts import with_draft_data
    from followups.models import FollowUp, Reminder
    from followups.smtp import mime_bytes

    total = Reminder.objects.count()
    step = max(total // count, 1)
    ids = list(Reminder.objects.order_by("pk").values_list("pk", flat=True)[::step][:count])
    reminders = list(Reminder.objects.filter(pk__in=ids).select_related("owner__profile"))
    followups = {
        f.pk: f
        for f in with_draft_data(FollowUp.objects.filter(pk__in=[r.followup_id for r in reminders]))
    }
    steps = dict.fromkeys(("draft", "links", "message", "mime", "django_mime"), 0.0)
    # What a process does once, before its first email (loading the URL patterns the links
    # are reversed from), is not a cost per email: done before the timing.
    tokens.unsubscribe_url(reminders[0].owner)
    out = []
    for reminder in reminders:
        reminder.followup = followup = followups[reminder.followup_id]
        profile = reminder.owner.profile
        goals = (
            drafts.load_completed_goals(followup.owner_id) if drafts.reads_goals(followup) else []
        )
        started = time.perf_counter()
        drafts.draft_for(followup, completed_goals=goals)
        steps["draft"] += time.perf_counter() - started
        started = time.perf_counter()
        for action in tokens.Action:
            tokens.action_url(followup, action)
        tokens.unsubscribe_url(reminder.owner)
        steps["links"] += time.perf_counter() - started
        started = time.perf_counter()
        message = emails.reminder_message(reminder, profile=profile, completed_goals=goals)
        steps["message"] += time.perf_counter() - started
        started = time.perf_counter()
        data = mime_bytes(message)
        steps["mime"] += time.perf_counter() - started
        started = time.perf_counter()
        message.message().as_bytes(linesep="\r\n")
        steps["django_mime"] += time.perf_counter() - started
        encoding = message.encoding or "utf-8"
        out.append(
            (
                sanitize_address(message.from_email, encoding),
                [sanitize_address(a, encoding) for a in message.recipients()],
                data,
            )
        )
    per_email = {name: seconds * 1000 / len(reminders) for name, seconds in steps.items()}
    return out, per_email


def raw_smtp(messages: list[tuple[str, list[str], bytes]], count: int, port: int) -> dict:
    started = time.perf_counter()
    smtp = smtplib.SMTP("127.0.0.1", port, timeout=10)
    for index in range(count):
        from_email, recipients, data = messages[index % len(messages)]
        smtp.sendmail(from_email, recipients, data)
    smtp.quit()
    elapsed = time.perf_counter() - started
    return {"count": count, "elapsed": elapsed, "rate": count / elapsed}


def run_workers(
    env: dict[str, str],
    *,
    smtp_port: int,
    count: int = 1,
    max_batches: int | None = None,
    profile: str | None = None,
    timers: bool = False,
) -> list[dict]:
    """`count` dispatch worker processes, started together; each one's figures."""
    command = [sys.executable, str(WORKER), "--now", NOW.isoformat()]
    if timers:
        command.append("--timers")
    command += ["--start-at", str(time.time() + 5 + count)]  # after every one has set up
    if max_batches is not None:
        command += ["--max-batches", str(max_batches)]
    if profile:
        command += ["--profile", profile]
    children = [
        subprocess.Popen(
            command,
            env={**os.environ, **env, "EMAIL_PORT": str(smtp_port)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    results = []
    for child in children:
        out, err = child.communicate()
        if child.returncode != 0:
            raise RuntimeError(f"dispatch worker failed:\n{err[-4000:]}")
        if profile:
            print(err, file=sys.stderr)
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _engine_steps(workers: list[dict]) -> dict[str, float]:
    """Milliseconds per email in each step, from the workers' timers (pooled)."""
    emails_sent = max(sum(w["summary"]["emails"] for w in workers), 1)
    steps: dict[str, float] = {}
    for worker in workers:
        for name, seconds in worker["steps"].items():
            steps[name] = steps.get(name, 0.0) + seconds
    engine_steps = {}
    if "build" in steps:
        engine_steps["Building the email (`reminder_message()`)"] = steps["build"]
    if "backend" in steps and "wire" in steps:
        # Written ahead of the email's turn (`prepare_steps`), or else when it is sent.
        engine_steps["MIME encoding in the SMTP backend (`followups.smtp`)"] = (
            steps["backend"] - steps["wire"] + steps.get("prepare", 0.0)
        )
        engine_steps["SMTP conversation (`smtplib.sendmail`)"] = steps["wire"]
    engine_steps["SQL (claims, re-checks, drafts' data, marking sent)"] = steps["sql"]
    engine_steps["The rest (the engine's own Python)"] = sum(w["elapsed"] for w in workers) - sum(
        engine_steps.values()
    )
    return {name: seconds * 1000 / emails_sent for name, seconds in engine_steps.items()}


def _sum_summaries(workers: list[dict]) -> dict:
    total: dict = {}
    for worker in workers:
        for key, value in worker["summary"].items():
            if isinstance(value, int):
                total[key] = total.get(key, 0) + value
    return total


def engine_run(
    ctx, *, port: int, dispatchers: int, reminders: int, profile=None, timers=False
) -> dict:
    """`dispatchers` processes started together, each sending its share of `reminders`."""
    from followups.outbox import DEFAULT_BATCH_SIZE

    batches = reminders // DEFAULT_BATCH_SIZE // dispatchers
    workers = run_workers(
        ctx.env,
        smtp_port=port,
        count=dispatchers,
        max_batches=batches,
        profile=profile,
        timers=timers,
    )
    summary = _sum_summaries(workers)
    elapsed = max(w["finished_at"] for w in workers) - min(w["started_at"] for w in workers)
    return {
        "count": summary["emails"],
        "elapsed": elapsed,
        "rate": summary["emails"] / elapsed,
        "summary": summary,
        "queries": sum(w["queries"] for w in workers),
        "workers": workers,
    }


def pairs(ctx, messages, *, port: int, dispatchers: int, reminders: int) -> dict:
    """Raw smtplib and the engine taking turns, the order alternating; each pair's ratio."""
    done = []
    for index in range(ctx.sizes["dispatch_pairs"]):
        engine_first = index % 2 == 1
        order = ("engine", "raw") if engine_first else ("raw", "engine")
        pair: dict = {"first": order[0]}
        for side in order:
            if side == "raw":
                pair["raw"] = raw_smtp(messages, reminders, port)
            else:
                profile = ctx.profile_dispatch if (index == 0 and dispatchers == 1) else None
                pair["engine"] = engine_run(
                    ctx, port=port, dispatchers=dispatchers, reminders=reminders, profile=profile
                )
        pair["ratio"] = pair["engine"]["rate"] / pair["raw"]["rate"]
        ctx.log(
            f"dispatch: {dispatchers} dispatcher(s), pair {index + 1} ({order[0]} first): "
            f"raw {pair['raw']['rate']:.0f}/s, engine {pair['engine']['rate']:.0f}/s, "
            f"ratio {pair['ratio']:.2f}"
        )
        done.append(pair)
    # Where an email's time goes: one more engine run, with timers around the steps (the
    # pairs run without them: they add work of their own to every step).
    timed = engine_run(ctx, port=port, dispatchers=dispatchers, reminders=reminders, timers=True)
    ctx.log(f"dispatch: {dispatchers} dispatcher(s), timed run: engine {timed['rate']:.0f}/s")
    workers = [w for pair in done for w in pair["engine"]["workers"]]
    for pair in done:  # what the report needs of each worker
        pair["engine"]["workers"] = [
            {"emails": w["summary"]["emails"], "elapsed": w["elapsed"]}
            for w in pair["engine"]["workers"]
        ]
    engine_emails = sum(p["engine"]["count"] for p in done)
    return {
        "dispatchers": dispatchers,
        "reminders_per_run": reminders,
        "pairs": done,
        "ratio": statistics.median(p["ratio"] for p in done),
        "raw_rate": statistics.median(p["raw"]["rate"] for p in done),
        "engine_rate": statistics.median(p["engine"]["rate"] for p in done),
        "emails": engine_emails,
        "raw_messages": sum(p["raw"]["count"] for p in done),
        "summary": _sum_summaries(workers),
        "queries": sum(p["engine"]["queries"] for p in done),
        "steps_ms": _engine_steps(timed["workers"]),
        "timed_rate": timed["rate"],
        "timed_emails": timed["count"],
        "memory": {
            "baseline_kib": max(w["baseline_rss_kib"] for w in workers),
            "peak_kib": max(w["peak_rss_kib"] for w in workers),
            "maxrss_kib": max(w["maxrss_kib"] for w in workers),
        },
    }


def run(ctx) -> dict:
    from followups.models import Reminder
    from followups.outbox import DEFAULT_BATCH_SIZE

    concurrency = ctx.sizes["dispatch_concurrency"]
    # Whole batches for each dispatcher: a run stops after its share of batches.
    whole = DEFAULT_BATCH_SIZE * concurrency
    per_run = max(ctx.sizes["dispatch_per_run"] // whole, 1) * whole
    total = per_run * (ctx.sizes["dispatch_pairs"] + 1) * 2  # the pairs and a timed run, twice
    ctx.log(f"dispatch: writing {total:,} due reminders")
    started = time.perf_counter()
    populate(total)
    # What autovacuum would do after such a bulk load (an ANALYZE at least), to every table
    # written (the people, their applications, contacts and the rest as well as the outbox):
    # done now, not during the first pairs' engine runs.
    vacuum_analyze()
    ctx.log(f"dispatch: written in {time.perf_counter() - started:.1f} s; rendering samples")
    messages, per_email = sample_messages(min(SAMPLES, total))
    sizes = [len(data) for _f, _r, data in messages]

    sink = SinkProcess()
    try:
        one = pairs(ctx, messages, port=sink.port, dispatchers=1, reminders=per_run)
        many = pairs(ctx, messages, port=sink.port, dispatchers=concurrency, reminders=per_run)
    finally:
        accepted, size = sink.stop()
    sent_rows = Reminder.objects.filter(status=Reminder.Status.SENT).count()
    sent = sum(s["emails"] + s["timed_emails"] + s["raw_messages"] for s in (one, many))
    ctx.log(
        f"dispatch: one dispatcher {one['ratio']:.2f} of raw, {concurrency} dispatchers "
        f"{many['ratio']:.2f} (medians of the pairs); the server accepted {accepted:,} of {sent:,}"
    )
    return {
        "reminders": total,
        "reminders_per_run": per_run,
        "people": max(total // PER_USER, 1),
        "message_bytes_mean": sum(sizes) / len(sizes),
        "message_bytes_min": min(sizes),
        "message_bytes_max": max(sizes),
        "concurrency": concurrency,
        "one": one,
        "many": many,
        "sink": {"accepted": accepted, "bytes": size, "sent": sent},
        "sent_rows": sent_rows,
        "split": {
            "emails": len(messages),
            "per_email_ms": {
                "The draft (followups.drafts)": per_email["draft"],
                "Signed links (4 actions + unsubscribe)": per_email["links"],
                "`reminder_message()` in all (draft, links, 3 templates)": per_email["message"],
                "MIME encoding (`followups.smtp.mime_bytes()`)": per_email["mime"],
                "MIME encoding, Django's (`message().as_bytes()`), for comparison": per_email[
                    "django_mime"
                ],
            },
        },
    }
