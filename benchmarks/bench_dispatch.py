"""Dispatch throughput next to raw SMTP throughput, and the worker's peak memory.

1. N reminders due at NOW for N/100 people (100 follow-ups each, every kind in turn).
2. Raw: plain smtplib sends N messages of the same sizes (real reminder emails, rendered
   beforehand) over one connection to a discarding aiosmtpd server in its own process.
3. Dispatch: `dispatch_due_reminders(now=NOW)` in a worker process of its own
   (benchmarks/dispatch_worker.py) sends the N reminders to a fresh server of the same kind.
The ratio of the two rates is the figure: how close the engine comes to the wire.
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

    total = Reminder.objects.count()
    step = max(total // count, 1)
    ids = list(Reminder.objects.order_by("pk").values_list("pk", flat=True)[::step][:count])
    reminders = list(Reminder.objects.filter(pk__in=ids).select_related("owner__profile"))
    followups = {
        f.pk: f
        for f in with_draft_data(FollowUp.objects.filter(pk__in=[r.followup_id for r in reminders]))
    }
    steps = dict.fromkeys(("draft", "links", "message", "mime"), 0.0)
    out = []
    for reminder in reminders:
        reminder.followup = followup = followups[reminder.followup_id]
        profile = reminder.owner.profile
        started = time.perf_counter()
        drafts.draft_for(followup)
        steps["draft"] += time.perf_counter() - started
        started = time.perf_counter()
        for action in tokens.Action:
            tokens.action_url(followup, action)
        tokens.unsubscribe_url(reminder.owner)
        steps["links"] += time.perf_counter() - started
        started = time.perf_counter()
        message = emails.reminder_message(reminder, profile=profile)
        steps["message"] += time.perf_counter() - started
        started = time.perf_counter()
        data = message.message().as_bytes(linesep="\r\n")
        steps["mime"] += time.perf_counter() - started
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


def run_worker(env: dict[str, str], *, smtp_port: int, profile: str | None = None) -> dict:
    command = [sys.executable, str(WORKER), "--now", NOW.isoformat()]
    if profile:
        command += ["--profile", profile]
    done = subprocess.run(
        command,
        env={**os.environ, **env, "EMAIL_PORT": str(smtp_port)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"dispatch worker failed:\n{done.stderr[-4000:]}")
    if profile:
        print(done.stderr, file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(ctx) -> dict:
    from followups.models import Reminder

    count = ctx.sizes["dispatch_reminders"]
    ctx.log(f"dispatch: writing {count:,} due reminders")
    started = time.perf_counter()
    populate(count)
    ctx.log(f"dispatch: written in {time.perf_counter() - started:.1f} s; rendering samples")
    messages, per_email = sample_messages(min(SAMPLES, count))
    sizes = [len(data) for _f, _r, data in messages]
    ctx.log(f"dispatch: raw smtplib, {count:,} messages")
    raw = raw_smtp(messages, count)
    ctx.log(f"dispatch: raw {raw['rate']:.0f}/s; now the engine")
    sink = SinkProcess()
    try:
        worker = run_worker(ctx.env, smtp_port=sink.port, profile=ctx.profile_dispatch)
    finally:
        accepted, size = sink.stop()
    summary = worker["summary"]
    steps = worker["steps"]
    emails_sent = max(summary["emails"], 1)
    engine_steps = {}
    if "build" in steps:
        engine_steps["Building the email (`reminder_message()`)"] = steps["build"]
    if "backend" in steps and "wire" in steps:
        engine_steps["MIME encoding in Django's SMTP backend"] = steps["backend"] - steps["wire"]
        engine_steps["SMTP conversation (`smtplib.sendmail`)"] = steps["wire"]
    engine_steps["SQL (claims, re-checks, drafts' data, marking sent)"] = steps["sql"]
    engine_steps["The rest (the engine's own Python)"] = worker["elapsed"] - sum(
        engine_steps.values()
    )
    engine_steps = {name: seconds * 1000 / emails_sent for name, seconds in engine_steps.items()}
    sent_rows = Reminder.objects.filter(status=Reminder.Status.SENT).count()
    rate = summary["emails"] / worker["elapsed"]
    ctx.log(f"dispatch: engine {rate:.0f}/s, ratio {rate / raw['rate']:.2f}")
    return {
        "reminders": count,
        "people": max(count // PER_USER, 1),
        "message_bytes_mean": sum(sizes) / len(sizes),
        "message_bytes_min": min(sizes),
        "message_bytes_max": max(sizes),
        "raw": raw,
        "engine": {
            "elapsed": worker["elapsed"],
            "rate": rate,
            "emails": summary["emails"],
            "summary": summary,
            "queries": worker["queries"],
            "accepted": accepted,
            "bytes": size,
            "sent_rows": sent_rows,
            "steps_ms": engine_steps,
        },
        "ratio": rate / raw["rate"],
        "split": {
            "emails": len(messages),
            "per_email_ms": {
                "The draft (followups.drafts; a goals query for 2 kinds of 7)": per_email["draft"],
                "Signed links (3 actions + unsubscribe)": per_email["links"],
                "`reminder_message()` in all (draft, links, 3 templates)": per_email["message"],
                "MIME encoding (`message().as_bytes()`)": per_email["mime"],
            },
        },
        "memory": {
            "baseline_kib": worker["baseline_rss_kib"],
            "peak_kib": worker["peak_rss_kib"],
            "maxrss_kib": worker["maxrss_kib"],
        },
    }
