"""Read one email from a file or standard input, for procmail/maildrop/fetchmail and scripts.

    python manage.py import_email --user sam message.eml
    python manage.py import_email --user sam --dry-run --json - < message.eml

Without --dry-run, a rejection goes into the person's review queue (never straight into their
records): they confirm it on the Review page.
"""

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from capture import services
from capture.models import ReviewItem
from capture.reader import MAX_EMAIL_BYTES, UnreadableEmail


class Command(BaseCommand):
    help = "Read one email (a file, or - for standard input) and queue it if it is a rejection."
    stealth_options = ("stdin",)  # tests hand in a stream instead of sys.stdin

    def add_arguments(self, parser) -> None:
        parser.add_argument("--user", required=True, help="the username the email belongs to")
        parser.add_argument("--dry-run", action="store_true", help="read only; queue nothing")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("source", help="a file with the raw email, or - for standard input")

    def handle(self, *args, **options) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user named {options['user']!r}.")
        raw = self._read(options["source"], options.get("stdin"))
        try:
            reading = services.read_for(user, raw)
        except UnreadableEmail as error:
            raise CommandError(str(error)) from None
        found = services.match_reading(owner=user, reading=reading)
        queued = None
        if not options["dry_run"]:
            queued, _ = services.queue_for_review(
                owner=user, reading=reading, source=ReviewItem.Source.IMPORT
            )
        result = {
            "is_rejection": reading.is_rejection,
            "confidence": reading.confidence,
            "decided_by": list(reading.decided_by),
            "verdict": reading.verdict,
            "company": reading.company,
            "role": reading.role,
            "contact_name": reading.contact_name,
            "contact_email": reading.contact_email,
            "received_at": reading.received_at.isoformat() if reading.received_at else None,
            "reason": reading.reason,
            "open_door": reading.open_door,
            "open_door_phrases": list(reading.open_door_phrases),
            "matched_company": found.company.pk if found.company else None,
            "matched_application": found.application.pk if found.application else None,
            "message_id": reading.message_id or None,
            "notes": list(reading.notes),
            "queued": queued.pk if queued else None,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        if not reading.is_rejection:
            self.stdout.write(f"{reading.verdict} Nothing queued.")
            return
        where = f"{reading.role or 'a role'} at {reading.company or 'an unknown company'}"
        said = "; ".join(f"“{phrase}”" for phrase in reading.decided_by)
        if options["dry_run"]:
            self.stdout.write(
                f"A rejection for {where}, decided by {said}. Dry run: nothing queued."
            )
        elif queued is not None:
            self.stdout.write(
                f"A rejection for {where}, decided by {said}. Waiting for you on the Review page."
            )
        else:
            self.stdout.write(f"Probably a rejection for {where}, too unsure to queue.")

    def _read(self, source: str, stdin=None) -> bytes:
        if source == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(MAX_EMAIL_BYTES + 1)
        else:
            path = Path(source)
            if not path.is_file():
                raise CommandError(f"No file at {source}.")
            with path.open("rb") as handle:
                data = handle.read(MAX_EMAIL_BYTES + 1)
        return data if isinstance(data, bytes) else data.encode("utf-8", "surrogateescape")
