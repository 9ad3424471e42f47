"""Send due reminder emails: the same service the beat tick runs, for cron, tests and debugging.

    python manage.py dispatch_reminders                      # once, now
    python manage.py dispatch_reminders --now 2026-03-02T09:00:00+01:00
    python manage.py dispatch_reminders --loop               # every DISPATCH_INTERVAL_SECONDS

Run twice at the same --now, the second run sends nothing: what was sent is marked in the
database before the run ends.
"""

import datetime as dt
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from followups.outbox import DEFAULT_BATCH_SIZE, dispatch_due_reminders


def parse_now(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise CommandError(f"--now {value!r} is not an ISO-8601 date and time") from None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


class Command(BaseCommand):
    help = "Send the reminder emails that are due (what the beat tick does)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="Pretend it is this time (ISO-8601; naive means UTC).")
        parser.add_argument(
            "--loop",
            action="store_true",
            help="Keep running, once every DISPATCH_INTERVAL_SECONDS.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=float(settings.DISPATCH_INTERVAL_SECONDS),
            help="Seconds between runs with --loop.",
        )
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["loop"] and options["now"]:
            raise CommandError("--now and --loop don't mix: a loop runs on the real clock.")
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if not options["loop"]:
            now = parse_now(options["now"]) if options["now"] else timezone.now()
            self.stdout.write(str(dispatch_due_reminders(now=now, batch_size=batch_size)))
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        self.stdout.write("dispatch_reminders: running; Ctrl-C to stop")
        while not stop.is_set():
            summary = dispatch_due_reminders(now=timezone.now(), batch_size=batch_size)
            if summary.claimed:
                self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} {summary}")
            stop.wait(options["interval"])
