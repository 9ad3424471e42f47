"""Dispatch throughput next to raw SMTP throughput, and the worker's peak memory.

1. N + M reminders due at NOW for (N + M)/100 people (100 follow-ups each, every kind in turn).
2. Raw: plain smtplib sends N messages of the same sizes (real reminder emails, rendered
   beforehand) over one connection to a discarding aiosmtpd server in its own process.
3. One dispatcher: `dispatch_due_reminders(now=NOW)` in a process of its own
   (benchmarks/dispatch_worker.py) sends the first M reminders, with timers around its
   steps: where an email's time goes.
4. The production shape: DISPATCH_CONCURRENCY such processes started together (a worker's
   pool processes running the beat tick and its helpers, followups/tasks.py) send the other N
   to a fresh server of the same kind. The ratio of this rate to the raw one is the figure.
5. Raw again: this machine's speed drifts over minutes (a shared host), so the raw rate is
   measured before and after the engine and the two pooled.
"""

import datetime as dt
import json
import os
import smtplib
import subprocess
import sys
import time
from pathlib import Path

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


def raw_smtp(messages: list[tuple[str, list[str], bytes]], count: int) -> dict:
    sink = SinkProcess()
    try:
        started = time.perf_counter()
        smtp = smtplib.SMTP("127.0.0.1", sink.port, timeout=10)
        for index in range(count):
            from_email, recipients, data = messages[index % len(messages)]
            smtp.sendmail(from_email, recipients, data)
        smtp.quit()
        elapsed = time.perf_counter() - started
    finally:
        accepted, size = sink.stop()
    return {
        "count": count,
        "elapsed": elapsed,
        "rate": count / elapsed,
        "accepted": accepted,
        "bytes": size,
    }


def run_workers(
    env: dict[str, str],
    *,
    smtp_port: int,
    count: int = 1,
    max_batches: int | None = None,
    profile: str | None = None,
) -> list[dict]:
    """`count` dispatch worker processes, started together; each one's figures."""
    command = [sys.executable, str(WORKER), "--now", NOW.isoformat()]
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


def _engine_steps(worker: dict) -> dict[str, float]:
    """Milliseconds per email in each step, from one worker's timers."""
    steps = worker["steps"]
    emails_sent = max(worker["summary"]["emails"], 1)
    engine_steps = {}
    if "build" in steps:
        engine_steps["Building the email (`reminder_message()`)"] = steps["build"]
    if "backend" in steps and "wire" in steps:
        engine_steps["MIME encoding in the SMTP backend (`followups.smtp`)"] = (
            steps["backend"] - steps["wire"]
        )
        engine_steps["SMTP conversation (`smtplib.sendmail`)"] = steps["wire"]
    engine_steps["SQL (claims, re-checks, drafts' data, marking sent)"] = steps["sql"]
    engine_steps["The rest (the engine's own Python)"] = worker["elapsed"] - sum(
        engine_steps.values()
    )
    return {name: seconds * 1000 / emails_sent for name, seconds in engine_steps.items()}


def _pooled(*runs: dict) -> dict:
    """Several raw runs as one: all their messages over all their time."""
    count = sum(r["count"] for r in runs)
    elapsed = sum(r["elapsed"] for r in runs)
    return {
        "count": count,
        "elapsed": elapsed,
        "rate": count / elapsed,
        "accepted": sum(r["accepted"] for r in runs),
        "bytes": sum(r["bytes"] for r in runs),
        "runs": list(runs),
    }


def _sum_summaries(workers: list[dict]) -> dict:
    total: dict = {}
    for worker in workers:
        for key, value in worker["summary"].items():
            if isinstance(value, int):
                total[key] = total.get(key, 0) + value
    return total


def run(ctx) -> dict:
    from followups.models import Reminder
    from followups.outbox import DEFAULT_BATCH_SIZE

    count = ctx.sizes["dispatch_reminders"]
    single = ctx.sizes["dispatch_single"]
    concurrency = ctx.sizes["dispatch_concurrency"]
    batch = DEFAULT_BATCH_SIZE
    single = max(single // batch, 1) * batch  # whole batches: it stops after single / batch
    ctx.log(f"dispatch: writing {count + single:,} due reminders")
    started = time.perf_counter()
    populate(count + single)
    ctx.log(f"dispatch: written in {time.perf_counter() - started:.1f} s; rendering samples")
    messages, per_email = sample_messages(min(SAMPLES, count))
    sizes = [len(data) for _f, _r, data in messages]
    ctx.log(f"dispatch: raw smtplib, {count:,} messages")
    raw_before = raw_smtp(messages, count)
    ctx.log(f"dispatch: raw {raw_before['rate']:.0f}/s; one dispatcher, {single:,} reminders")

    sink = SinkProcess()
    try:
        [one] = run_workers(
            ctx.env, smtp_port=sink.port, max_batches=single // batch, profile=ctx.profile_dispatch
        )
    finally:
        sink.stop()
    one_rate = one["summary"]["emails"] / one["elapsed"]
    ctx.log(f"dispatch: one dispatcher {one_rate:.0f}/s; {concurrency} at once, {count:,}")

    sink = SinkProcess()
    try:
        workers = run_workers(ctx.env, smtp_port=sink.port, count=concurrency)
    finally:
        accepted, size = sink.stop()
    summary = _sum_summaries(workers)
    elapsed = max(w["finished_at"] for w in workers) - min(w["started_at"] for w in workers)
    rate = summary["emails"] / elapsed
    sent_rows = Reminder.objects.filter(status=Reminder.Status.SENT).count()
    ctx.log(f"dispatch: {concurrency} dispatchers {rate:.0f}/s; raw smtplib again")
    raw_after = raw_smtp(messages, count)
    raw = _pooled(raw_before, raw_after)
    ctx.log(f"dispatch: raw {raw_after['rate']:.0f}/s, pooled {raw['rate']:.0f}/s")
    return {
        "reminders": count,
        "people": max((count + single) // PER_USER, 1),
        "message_bytes_mean": sum(sizes) / len(sizes),
        "message_bytes_min": min(sizes),
        "message_bytes_max": max(sizes),
        "raw": raw,
        "concurrency": concurrency,
        "engine": {
            "elapsed": elapsed,
            "rate": rate,
            "emails": summary["emails"],
            "summary": summary,
            "queries": sum(w["queries"] for w in workers),
            "accepted": accepted,
            "bytes": size,
            "sent_rows": sent_rows,
            "workers": [
                {"emails": w["summary"]["emails"], "elapsed": w["elapsed"]} for w in workers
            ],
        },
        "ratio": rate / raw["rate"],
        "single": {
            "reminders": single,
            "emails": one["summary"]["emails"],
            "elapsed": one["elapsed"],
            "rate": one_rate,
            "ratio": one_rate / raw["rate"],
            "queries": one["queries"],
            "steps_ms": _engine_steps(one),
        },
        "split": {
            "emails": len(messages),
            "per_email_ms": {
                "The draft (followups.drafts)": per_email["draft"],
                "Signed links (3 actions + unsubscribe)": per_email["links"],
                "`reminder_message()` in all (draft, links, 3 templates)": per_email["message"],
                "MIME encoding (`followups.smtp.mime_bytes()`)": per_email["mime"],
                "MIME encoding, Django's (`message().as_bytes()`), for comparison": per_email[
                    "django_mime"
                ],
            },
        },
        "memory": {
            "baseline_kib": max(w["baseline_rss_kib"] for w in workers),
            "peak_kib": max(w["peak_rss_kib"] for w in workers),
            "maxrss_kib": max(w["maxrss_kib"] for w in workers),
        },
    }
