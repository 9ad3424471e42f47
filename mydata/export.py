"""Everything a person owns, as one zip: a JSON document and one CSV per kind.

The zip is written to a temporary file row by row (querysets read with `.iterator()`), so a
long search costs disk, not memory, and the response streams the file back.
"""

import contextlib
import csv
import datetime as dt
import io
import json
import shutil
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone

from applications.models import (
    Application,
    Company,
    Contact,
    Feedback,
    Interview,
    Rejection,
)
from followups.models import FollowUp, Reminder, Reply
from goals.models import ImprovementGoal
from watch.models import BoardWatch

FORMAT = "open-doors-export"
VERSION = 1
JSON_NAME = "open-doors.json"
CHUNK = 2_000

PROFILE_FIELDS = (
    "full_name",
    "signature",
    "time_zone",
    "reminder_email",
    "reminders_enabled",
    "reminder_start",
    "reminder_end",
    "delivery",
    "keep_in_touch_days",
    "reapply_cooldown_days",
)


@dataclass(frozen=True)
class Kind:
    """One kind of record: its name in the document, its rows and its columns.

    `refs` names the columns holding another kind's id (for the JSON import to re-link).
    """

    name: str
    rows: Callable[[object], QuerySet]
    fields: tuple[str, ...]
    refs: dict[str, str]
    lists: tuple[str, ...] = ()  # columns holding a list (joined with "; " in the CSV)


def _owned(model) -> Callable[[object], QuerySet]:
    return lambda owner: model.objects.filter(owner=owner).order_by("pk")


KINDS: tuple[Kind, ...] = (
    Kind(
        "companies",
        _owned(Company),
        ("id", "name", "website", "notes", "door_closed_at", "created_at"),
        {},
    ),
    Kind(
        "applications",
        _owned(Application),
        (
            "id",
            "company_id",
            "role_title",
            "job_url",
            "source",
            "applied_on",
            "status",
            "why_this_role",
            "notes",
            "created_at",
        ),
        {"company_id": "companies"},
    ),
    Kind(
        "contacts",
        _owned(Contact),
        (
            "id",
            "company_id",
            "name",
            "role",
            "email",
            "phone",
            "linkedin_url",
            "notes",
            "last_touch_at",
            "created_at",
        ),
        {"company_id": "companies"},
    ),
    Kind(
        "interviews",
        _owned(Interview),
        (
            "id",
            "application_id",
            "when",
            "kind",
            "interviewer_ids",
            "detail_to_mention",
            "looking_for",
            "notes",
        ),
        {"application_id": "applications", "interviewer_ids": "contacts"},
        lists=("interviewer_ids",),
    ),
    Kind(
        "rejections",
        _owned(Rejection),
        (
            "id",
            "application_id",
            "received_at",
            "channel",
            "stage_reached",
            "reason_given",
            "contact_id",
            "reply_to",
            "open_door_signals",
        ),
        {"application_id": "applications", "contact_id": "contacts"},
        lists=("open_door_signals",),
    ),
    Kind(
        "feedback",
        _owned(Feedback),
        ("id", "rejection_id", "received_on", "what_they_said", "themes"),
        {"rejection_id": "rejections"},
        lists=("themes",),
    ),
    Kind(
        "goals",
        _owned(ImprovementGoal),
        (
            "id",
            "feedback_id",
            "theme",
            "what",
            "how_measured",
            "target_date",
            "progress",
            "notes",
            "completed_on",
        ),
        {"feedback_id": "feedback"},
    ),
    Kind(
        "followups",
        _owned(FollowUp),
        (
            "id",
            "kind",
            "sequence",
            "company_id",
            "application_id",
            "rejection_id",
            "interview_id",
            "contact_id",
            "anchor_at",
            "due_at",
            "deadline_at",
            "status",
            "done_at",
            "draft_subject",
            "draft_body",
            "sent_text",
            "asked_for_feedback",
            "got_reply",
            "opening_title",
            "opening_url",
        ),
        {
            "company_id": "companies",
            "application_id": "applications",
            "rejection_id": "rejections",
            "interview_id": "interviews",
            "contact_id": "contacts",
        },
    ),
    Kind(
        "reminders",
        _owned(Reminder),
        ("id", "followup_id", "mode", "status", "send_at", "sent_at", "attempts", "last_error"),
        {"followup_id": "followups"},
    ),
    Kind(
        "replies",
        _owned(Reply),
        (
            "id",
            "followup_id",
            "company_id",
            "rejection_id",
            "contact_id",
            "replied_on",
            "words",
            "source",
            "created_at",
        ),
        {
            "followup_id": "followups",
            "company_id": "companies",
            "rejection_id": "rejections",
            "contact_id": "contacts",
        },
    ),
    Kind(
        "job_boards",
        _owned(BoardWatch),
        ("id", "company_id", "url", "provider", "created_at"),
        {"company_id": "companies"},
    ),
)
KINDS_BY_NAME = {kind.name: kind for kind in KINDS}


def plain(value):
    """A JSON-ready value: dates and times in ISO-8601 (times in UTC), the rest as it is."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


# Characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value) -> str:
    """A CSV cell a spreadsheet shows as text: a leading formula character gets a quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    value = plain(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def _interviewers(owner) -> dict[int, list[int]]:
    through = Interview.interviewers.through
    by_interview: dict[int, list[int]] = defaultdict(list)
    for interview_id, contact_id in (
        through.objects.filter(interview__owner=owner)
        .order_by("interview_id", "contact_id")
        .values_list("interview_id", "contact_id")
        .iterator(chunk_size=CHUNK)
    ):
        by_interview[interview_id].append(contact_id)
    return by_interview


def rows(kind: Kind, owner, *, interviewers: dict[int, list[int]]) -> Iterator[dict]:
    """The person's rows of one kind as plain dicts, read in chunks."""
    columns = [f for f in kind.fields if f != "interviewer_ids"]
    with_interviewers = "interviewer_ids" in kind.fields
    for values in kind.rows(owner).values_list(*columns).iterator(chunk_size=CHUNK):
        row = {name: plain(value) for name, value in zip(columns, values, strict=True)}
        if with_interviewers:
            row["interviewer_ids"] = interviewers.get(row["id"], [])
        yield row


def account(owner) -> dict:
    profile = owner.profile
    return {
        "username": owner.get_username(),
        "email": owner.email,
        "first_name": owner.first_name,
        "last_name": owner.last_name,
        "date_joined": plain(owner.date_joined),
        "settings": {field: plain(getattr(profile, field)) for field in PROFILE_FIELDS},
    }


def write_all(json_out: io.TextIOBase, csv_out: dict[str, io.TextIOBase], owner, *, now) -> None:
    """The whole JSON document and every CSV in one pass over the rows, one row at a time
    (never a whole list in memory)."""
    interviewers = _interviewers(owner)
    head = {"format": FORMAT, "version": VERSION, "exported_at": plain(now)}
    json_out.write(json.dumps(head, ensure_ascii=False)[:-1])
    json_out.write(', "account": ' + json.dumps(account(owner), ensure_ascii=False, indent=1))
    for kind in KINDS:
        writer = csv.writer(csv_out[kind.name])
        writer.writerow(kind.fields)
        json_out.write(f', "{kind.name}": [')
        separator = "\n "
        for row in rows(kind, owner, interviewers=interviewers):
            json_out.write(separator + json.dumps(row, ensure_ascii=False))
            separator = ",\n "
            writer.writerow([safe_cell(row[field]) for field in kind.fields])
        json_out.write("\n]")
    json_out.write("}\n")


def readme(now: dt.datetime) -> str:
    return (
        "Your Open Doors data, exported "
        f"{plain(now)}.\n\n"
        f"{JSON_NAME}: everything in one document (Open Doors can import it into an empty "
        "account).\n"
        "One CSV per kind, UTF-8 with a header row. Dates and times are ISO-8601, times in "
        "UTC. Columns ending in _id refer to the id column of another file. Cells that a "
        "spreadsheet would read as a formula start with an apostrophe.\n"
    )


def build_zip(owner, *, now: dt.datetime | None = None) -> IO[bytes]:
    """The export as a zip in a temporary file, rewound, for the response to stream.

    The JSON goes straight into the zip; the CSVs, written in the same pass, wait in
    temporary files (a zip takes one member at a time) and are copied in after it.
    """
    now = now or timezone.now()
    # Closed by the response once sent (FileResponse closes its file); removed on close.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    with contextlib.ExitStack() as stack:
        csv_out = {
            kind.name: stack.enter_context(
                tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
            )
            for kind in KINDS
        }
        # The fastest deflate level: text shrinks about tenfold anyway, and time matters more.
        with zipfile.ZipFile(
            out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
        ) as archive:
            archive.writestr("README.txt", readme(now))
            with archive.open(JSON_NAME, "w") as raw, io.TextIOWrapper(raw, "utf-8") as text:
                write_all(text, csv_out, owner, now=now)
            for name, spooled in csv_out.items():
                spooled.seek(0)
                with (
                    archive.open(f"{name}.csv", "w") as raw,
                    io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
                ):
                    shutil.copyfileobj(spooled, text)
    out.seek(0)
    return out


def filename(now: dt.datetime) -> str:
    return f"open-doors-{timezone.localtime(now):%Y-%m-%d}.zip"
