"""Moving an Open Doors account: our own export read back into an empty account.

The document's ids only link its rows to each other; every row gets a new id here and the
links are re-made through maps from old ids to new rows. Follow-ups keep their state and what
was sent; their idempotency keys are rebuilt from the new ids (the rule table says which
event each key is built from). Every row is validated like a form would before it is saved,
and the whole restore is one transaction: a tampered or truncated file leaves nothing.
"""

import io
import json
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from applications.models import (
    Application,
    Company,
    Contact,
    Feedback,
    Interview,
    Rejection,
)
from followups import outbox
from followups.models import FollowUp, Reminder, Reply
from followups.rules import rule_for
from goals.models import ImprovementGoal
from mydata.export import FORMAT, JSON_NAME, KINDS, PROFILE_FIELDS, VERSION
from mydata.importer import NOT_CSV, ImportRefused
from watch.models import BoardWatch

MODELS = {
    "companies": Company,
    "applications": Application,
    "contacts": Contact,
    "interviews": Interview,
    "rejections": Rejection,
    "feedback": Feedback,
    "goals": ImprovementGoal,
    "followups": FollowUp,
    "reminders": Reminder,
    "replies": Reply,
    "job_boards": BoardWatch,
}
# Fields the database sets itself on creation; restored afterwards with an UPDATE.
KEPT_TIMESTAMPS = ("created_at",)
NOT_OURS = ImportRefused(
    "This file is not a complete Open Doors export (it may have been changed or cut off). "
    "Nothing was imported. Upload open-doors.json, or the zip, exactly as it was downloaded."
)


def looks_like_export(raw: bytes) -> bool:
    head = raw[:200].lstrip()
    return head.startswith(b"{") or raw.startswith(b"PK\x03\x04")


def load(raw: bytes) -> dict:
    """The export document in `raw` (the JSON itself, or the zip holding it)."""
    if raw.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                raw = archive.read(JSON_NAME)
        except (zipfile.BadZipFile, KeyError):
            # A zip that is not our export: most often a spreadsheet (.xlsx is a zip).
            raise ImportRefused(NOT_CSV) from None
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise NOT_OURS from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise NOT_OURS
    if document.get("version") != VERSION:
        raise ImportRefused(
            f"This export is of version {document.get('version')!r}; this Open Doors reads "
            f"version {VERSION}. Nothing was imported."
        )
    for kind in KINDS:
        if not isinstance(document.get(kind.name), list):
            raise NOT_OURS
    return document


def counts(document: dict) -> dict[str, int]:
    return {kind.name: len(document[kind.name]) for kind in KINDS}


def account_is_empty(owner) -> bool:
    return not any(
        model.objects.filter(owner=owner).exists()
        for model in (Company, Application, Contact, FollowUp)
    )


def _value(model, name: str, value: Any) -> Any:
    """A value from the document as the model field wants it (dates were written as text)."""
    if value is None:
        return None
    field = model._meta.get_field(name.removesuffix("_id"))
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        parsed = parse_datetime(str(value))
    elif kind == "DateField":
        parsed = parse_date(str(value))
    elif kind == "TimeField":
        parsed = parse_time(str(value))
    else:
        return value
    if parsed is None:
        raise ValueError(f"{name}: {value!r}")
    return parsed


@transaction.atomic
def restore(owner, document: dict) -> dict[str, int]:
    """Re-create every row of `document` for `owner` (whose account must be empty)."""
    if not account_is_empty(owner):
        raise ImportRefused(
            "An export can only be imported into an empty account, so nothing is doubled. "
            "Sign up for a new account and import it there. Nothing was imported."
        )
    try:
        return _restore(owner, document)
    except (ValidationError, IntegrityError, KeyError, TypeError, ValueError):
        transaction.set_rollback(True)
        raise NOT_OURS from None


def _restore(owner, document: dict) -> dict[str, int]:
    now = timezone.now()
    profile = owner.profile
    settings = document["account"]["settings"]
    for name in PROFILE_FIELDS:
        if name in settings:
            setattr(profile, name, _value(type(profile), name, settings[name]))
    profile.full_clean(exclude=["user"])
    profile.save()

    new: dict[str, dict[int, Any]] = {kind.name: {} for kind in KINDS}
    for kind in KINDS:
        model = MODELS[kind.name]
        for row in document[kind.name]:
            values: dict[str, Any] = {}
            for name in kind.fields:
                if name in ("id", "interviewer_ids") or name in KEPT_TIMESTAMPS:
                    continue
                value = row[name]
                if name in kind.refs:
                    value = new[kind.refs[name]][int(value)].pk if value is not None else None
                else:
                    value = _value(model, name, value)
                values[name] = value
            obj = model(owner=owner, **values)
            if kind.name == "followups":
                obj.key = _followup_key(obj)
            if kind.name == "reminders" and obj.status == Reminder.Status.SENDING:
                obj.status = Reminder.Status.PENDING  # its sender is on the other server
            if kind.name == "reminders":
                obj.next_attempt_at = obj.send_at
                if obj.status == Reminder.Status.PENDING and obj.followup.deadline_at <= now:
                    # As for a spreadsheet: nothing is emailed for a deadline already past.
                    obj.status = Reminder.Status.CANCELLED
                    obj.last_error = "Its deadline had passed when the export was imported."
            obj.full_clean(exclude=["owner", "message_id"])
            obj.save()
            if kind.name == "reminders":
                obj.message_id = outbox.message_id("reminder", obj.pk)
                Reminder.objects.filter(pk=obj.pk).update(message_id=obj.message_id)
            kept = {f: _value(model, f, row[f]) for f in KEPT_TIMESTAMPS if row.get(f)}
            if kept:
                model.objects.filter(pk=obj.pk).update(**kept)
            if kind.name == "interviews":
                obj.interviewers.set([new["contacts"][int(c)] for c in row["interviewer_ids"]])
            new[kind.name][int(row["id"])] = obj
    return {name: len(rows) for name, rows in new.items()}


def _followup_key(followup: FollowUp) -> str:
    rule = rule_for(followup.kind)
    scope_pk = getattr(followup, f"{rule.scope}_id")
    return rule.key(scope_pk, followup.sequence)
