"""Moving in from a spreadsheet: read a CSV, map its columns, plan, and import in one go.

1. `read_table` decodes the upload (UTF-8, UTF-8 with BOM, else Windows-1252), finds the
   delimiter (comma, semicolon or tab) and parses it strictly, so broken quoting is an error
   with a line number rather than a silently shifted column.
2. `guess_mapping` matches the header row to our fields by common names.
3. `plan` decides, row by row, what would happen: a new company and application, an
   application at a company already known (merged, case and spaces ignored), a row already
   imported (nothing to do), or a refusal with its reason. Nothing is written.
4. `apply` writes the plan in one transaction, through the applications services, so the
   follow-up engine hears about each rejection as if it had been logged by hand.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone

from applications.models import Application, Company, Contact, Rejection
from applications.services import (
    find_or_create_contact,
    get_or_create_company,
    normalize_text,
    record_rejection,
)
from followups.hours import localize

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
SNIFF_BYTES = 64 * 1024
DELIMITERS = ",;\t"


class ImportRefused(Exception):
    """The whole file cannot be imported; the message says why and what to do."""


# --- Reading ----------------------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]  # data rows, blank ones left out
    line_numbers: list[int]  # each row's line in the file (for messages)
    encoding: str
    delimiter: str


NOT_CSV = (
    "This file is not a CSV (it looks like a spreadsheet or another binary file). "
    "In your spreadsheet, use “Save as” or “Download” → CSV, then upload that."
)


def decode(raw: bytes) -> tuple[str, str]:
    """The text and the encoding it was in: UTF-8 (with or without BOM), else Windows-1252."""
    if b"\x00" in raw[:SNIFF_BYTES]:
        raise ImportRefused(NOT_CSV)
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise ImportRefused(
            "This file's characters are in neither UTF-8 nor Windows-1252. Save it again as "
            "“CSV UTF-8” and upload that."
        ) from None


def sniff_delimiter(text: str) -> str:
    sample = text[:SNIFF_BYTES]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        # The sniffer gives up on short or irregular files: the header line decides.
        first = sample.splitlines()[0] if sample else ""
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def read_table(raw: bytes) -> Table:
    if len(raw) > MAX_BYTES:
        raise ImportRefused(too_big_message())
    text, encoding = decode(raw)
    if not text.strip():
        raise ImportRefused("This file is empty. Upload a CSV with a header row and your rows.")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportRefused(
                    f"This file has more than {MAX_ROWS:,} rows, more than one import takes. "
                    "Split it into files of up to "
                    f"{MAX_ROWS:,} rows (or leave out the oldest) and import them one by one."
                )
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise ImportRefused(
            f'Line {reader.line_num} cannot be read ({exc}). Usually a quote (") opens a cell '
            "and is never closed. Fix that line in your spreadsheet program, or save the file "
            "again as CSV, and upload it again. Nothing was imported."
        ) from None
    if header is None:
        raise ImportRefused("This file is empty. Upload a CSV with a header row and your rows.")
    if len(header) < 2:
        raise ImportRefused(
            "This file has only one column, so it does not look like a CSV of applications. "
            "Columns may be separated by commas, semicolons or tabs."
        )
    if not rows:
        raise ImportRefused("This file has a header row but no rows under it.")
    return Table(
        header=header, rows=rows, line_numbers=lines, encoding=encoding, delimiter=delimiter
    )


def too_big_message() -> str:
    return (
        f"This file is larger than {MAX_BYTES // (1024 * 1024)} MB, more than a CSV of "
        "applications needs. If it is a spreadsheet, save it as CSV; otherwise split it. "
        "Nothing was imported."
    )


# --- Mapping ----------------------------------------------------------------------------------

FIELDS: dict[str, str] = {
    "company": "Company",
    "role_title": "Role",
    "applied_on": "Date applied",
    "status": "Status",
    "job_url": "Link to the posting",
    "notes": "Notes",
    "contact_name": "Contact name",
    "contact_email": "Contact email",
    "rejected_on": "Date of the rejection",
}
REQUIRED = ("company", "role_title")

# Header names people use, after lower-casing and dropping everything but letters and digits.
HEADER_GUESSES: dict[str, tuple[str, ...]] = {
    "company": ("company", "companyname", "employer", "organisation", "organization", "firma"),
    "role_title": (
        "position",
        "role",
        "title",
        "jobtitle",
        "job",
        "positiontitle",
        "roletitle",
        "stelle",
    ),
    "applied_on": (
        "dateapplied",
        "applied",
        "appliedon",
        "applicationdate",
        "date",
        "dateofapplication",
        "datum",
    ),
    "status": ("status", "stage", "state", "outcome", "result"),
    "job_url": ("link", "url", "joblink", "joburl", "posting", "jobposting", "postingurl"),
    "notes": ("notes", "note", "comments", "comment"),
    "contact_name": ("contact", "contactname", "recruiter", "hiringmanager", "contactperson"),
    "contact_email": ("email", "contactemail", "recruiteremail", "emailaddress"),
    "rejected_on": (
        "rejectedon",
        "rejectiondate",
        "daterejected",
        "rejected",
        "responsedate",
        "dateofrejection",
    ),
}


def _header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def guess_mapping(header: list[str]) -> list[str]:
    """For each column, the field it probably holds ("" to ignore it); each field once."""
    taken: set[str] = set()
    mapping = []
    for name in header:
        key = _header_key(name)
        guess = ""
        for target, names in HEADER_GUESSES.items():
            if target not in taken and key in names:
                guess = target
                break
        taken.add(guess)
        mapping.append(guess)
    return mapping


def check_mapping(mapping: list[str]) -> list[str]:
    """What is wrong with a mapping, in words; empty when it can be used."""
    problems = []
    chosen = [m for m in mapping if m]
    for target in REQUIRED:
        if target not in chosen:
            problems.append(f"Pick the column that holds the {FIELDS[target].lower()}.")
    for target in sorted({m for m in chosen if chosen.count(m) > 1}):
        problems.append(f"Only one column can be the {FIELDS[target].lower()}.")
    return problems


# --- Values -----------------------------------------------------------------------------------

STATUS_WORDS: dict[str, str] = {}
for _status, _words in {
    Application.Status.APPLIED: ("applied", "submitted", "sent", "open", "pending", "beworben"),
    Application.Status.INTERVIEWING: (
        "interviewing",
        "interview",
        "interviews",
        "phonescreen",
        "screening",
        "inprogress",
        "vorstellungsgespräch",
    ),
    Application.Status.OFFER: ("offer", "offered", "angebot"),
    Application.Status.ACCEPTED: ("accepted", "hired", "signed", "zusage"),
    Application.Status.REJECTED: (
        "rejected",
        "rejection",
        "declined",
        "turneddown",
        "notselected",
        "no",
        "absage",
        "abgelehnt",
    ),
    Application.Status.WITHDRAWN: ("withdrawn", "withdrew", "cancelled", "canceled"),
    Application.Status.NO_RESPONSE: (
        "noresponse",
        "noanswer",
        "ghosted",
        "noreply",
        "keineantwort",
    ),
}.items():
    for _word in _words:
        STATUS_WORDS[_word] = _status


def parse_status(value: str) -> str:
    key = re.sub(r"[\s_\-]", "", value.strip().lower())
    if not key:
        return Application.Status.APPLIED
    if key not in STATUS_WORDS:
        known = ", ".join(label for _value, label in Application.Status.choices)
        raise ValueError(f"Unknown status “{value.strip()}”: use one of {known}.")
    return STATUS_WORDS[key]


MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def parse_date(value: str, *, day_first: bool) -> dt.date | None:
    """A date as spreadsheets write them; None for an empty cell; ValueError if impossible."""
    text = value.strip()
    if not text:
        return None
    text = text.split("T")[0].split(" 00:00")[0].strip()
    parts: tuple[int, int, int] | None = None
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})", text):
        parts = (int(m[3]), int(m[2]), int(m[1]))
    elif m := re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})", text):
        a, b = int(m[1]), int(m[2])
        day, month = (a, b) if day_first else (b, a)
        parts = (int(m[3]), month, day)
    elif m := re.fullmatch(r"(\d{1,2})\.? ([A-Za-z]+)\.?,? (\d{4})", text):
        parts = (int(m[3]), MONTHS.get(m[2].lower(), 0), int(m[1]))
    elif m := re.fullmatch(r"([A-Za-z]+)\.? (\d{1,2}),? (\d{4})", text):
        parts = (int(m[3]), MONTHS.get(m[1].lower(), 0), int(m[2]))
    if parts is None:
        raise ValueError(f"“{text}” is not a date we can read; write it as 2026-03-05.")
    year, month, day = parts
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text}” is not a real day.") from None


_url = URLValidator(schemes=["http", "https"])
_email = EmailValidator()


# --- Planning ---------------------------------------------------------------------------------


class Outcome:
    CREATE = "create"  # a new company and application
    MERGE = "merge"  # a new application at a company already there
    SAME = "same"  # already in the account: nothing to do
    REFUSE = "refuse"


@dataclass
class RowPlan:
    line: int
    outcome: str
    company: str = ""
    role_title: str = ""
    applied_on: dt.date | None = None
    status: str = Application.Status.APPLIED
    job_url: str = ""
    notes: str = ""
    contact_name: str = ""
    contact_email: str = ""
    rejected_on: dt.date | None = None
    reason: str = ""  # why it was refused, or what was merged

    @property
    def status_label(self) -> str:
        return Application.Status(self.status).label

    @property
    def writes(self) -> bool:
        return self.outcome in (Outcome.CREATE, Outcome.MERGE)


@dataclass
class Plan:
    rows: list[RowPlan] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count(Outcome.CREATE)

    @property
    def merged(self) -> int:
        return self.count(Outcome.MERGE)

    @property
    def same(self) -> int:
        return self.count(Outcome.SAME)

    @property
    def refused(self) -> int:
        return self.count(Outcome.REFUSE)

    @property
    def rejections(self) -> int:
        return sum(1 for row in self.rows if row.writes and row.rejected_on)


def company_key(name: str) -> str:
    """The same sameness as the database's unique constraint: case and spaces ignored."""
    return "".join(name.split()).lower()


def _cell(row: list[str], mapping: list[str], target: str) -> str:
    for index, chosen in enumerate(mapping):
        if chosen == target and index < len(row):
            return row[index]
    return ""


def _read_row(line: int, row: list[str], mapping: list[str], *, day_first: bool, today) -> RowPlan:
    get = lambda target: _cell(row, mapping, target)  # noqa: E731
    plan = RowPlan(line=line, outcome=Outcome.CREATE)
    plan.company = normalize_text(get("company"))
    plan.role_title = normalize_text(get("role_title"))
    problems = []
    if not plan.company:
        problems.append("no company")
    elif len(plan.company) > Company._meta.get_field("name").max_length:
        problems.append("the company name is too long")
    if not plan.role_title:
        problems.append("no role")
    elif len(plan.role_title) > Application._meta.get_field("role_title").max_length:
        problems.append("the role is too long")
    try:
        plan.applied_on = parse_date(get("applied_on"), day_first=day_first)
    except ValueError as exc:
        problems.append(f"date applied: {exc}")
    try:
        plan.rejected_on = parse_date(get("rejected_on"), day_first=day_first)
    except ValueError as exc:
        problems.append(f"date of the rejection: {exc}")
    try:
        plan.status = parse_status(get("status"))
    except ValueError as exc:
        problems.append(str(exc))
    plan.job_url = get("job_url").strip()
    if plan.job_url:
        try:
            _url(plan.job_url)
        except ValidationError:
            problems.append(f"the link “{plan.job_url[:60]}” is not a web address")
    plan.notes = get("notes").strip()
    plan.contact_name = normalize_text(get("contact_name"))[:120]
    plan.contact_email = normalize_text(get("contact_email")).lower()
    if plan.contact_email:
        try:
            _email(plan.contact_email)
        except ValidationError:
            problems.append(f"“{plan.contact_email[:60]}” is not an email address")
    if plan.applied_on is None and plan.rejected_on is None and not problems:
        problems.append("no date applied")
    if plan.applied_on and plan.applied_on > today:
        problems.append("the date applied is in the future")
    if plan.rejected_on and plan.rejected_on > today:
        problems.append("the date of the rejection is in the future")
    if plan.rejected_on and plan.status != Application.Status.REJECTED and not problems:
        plan.status = Application.Status.REJECTED
    if plan.status == Application.Status.REJECTED and plan.rejected_on is None:
        # "Rejected" and one date: the date the spreadsheet has is the one we can use.
        plan.rejected_on = plan.applied_on
    if plan.applied_on is None:
        plan.applied_on = plan.rejected_on
    if plan.applied_on and plan.rejected_on and plan.rejected_on < plan.applied_on:
        problems.append("the rejection is dated before the application")
    if problems:
        plan.outcome = Outcome.REFUSE
        text = "; ".join(problems)
        plan.reason = text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
    return plan


def plan(owner, table: Table, mapping: list[str], *, day_first: bool = True) -> Plan:
    """What importing `table` with `mapping` would do, row by row. Reads, never writes."""
    today = timezone.localdate()
    companies = {company_key(c.name): c.name for c in Company.objects.filter(owner=owner)}
    existing = {
        (company_key(name), role.lower(), applied_on)
        for name, role, applied_on in Application.objects.filter(owner=owner).values_list(
            "company__name", "role_title", "applied_on"
        )
    }
    seen: dict[tuple, int] = {}
    new_companies: dict[str, int] = {}
    result = Plan()
    for line, row in zip(table.line_numbers, table.rows, strict=True):
        row_plan = _read_row(line, row, mapping, day_first=day_first, today=today)
        result.rows.append(row_plan)
        if row_plan.outcome == Outcome.REFUSE:
            continue
        key = company_key(row_plan.company)
        identity = (key, row_plan.role_title.lower(), row_plan.applied_on)
        if identity in existing:
            row_plan.outcome = Outcome.SAME
            row_plan.reason = "Already in your account: nothing to do."
        elif identity in seen:
            row_plan.outcome = Outcome.REFUSE
            row_plan.reason = f"The same application as line {seen[identity]}."
        elif key in companies:
            row_plan.outcome = Outcome.MERGE
            row_plan.reason = f"Added to {companies[key]}, already in your account."
        elif key in new_companies:
            row_plan.outcome = Outcome.MERGE
            row_plan.reason = f"Same company as line {new_companies[key]}."
        else:
            new_companies[key] = line
        seen.setdefault(identity, line)
    return result


# --- Writing ----------------------------------------------------------------------------------


@dataclass
class Result:
    applications: int = 0
    companies: int = 0
    rejections: int = 0


def _noon(day: dt.date, zone) -> dt.datetime:
    # A spreadsheet has the day, not the hour: midday in the person's zone stays on that day
    # (or now, for a rejection that came this morning).
    return min(localize(dt.datetime.combine(day, dt.time(12, 0)), zone), timezone.now())


@transaction.atomic
def apply(owner, import_plan: Plan) -> Result:
    """Write every row the plan creates or merges, all or nothing.

    An application is history, not a new try, so the engine's "new application" hook is
    not called; a rejected row's rejection goes through `record_rejection`, which lets the
    engine plan that rejection's follow-ups. Those whose deadline has already passed get no
    reminder email (followups.services._plan_reminder); the rest are reminded as usual.
    """
    zone = owner.profile.zone
    result = Result()
    companies_before = Company.objects.filter(owner=owner).count()
    for row in import_plan.rows:
        if not row.writes:
            continue
        company = get_or_create_company(owner=owner, name=row.company)
        application = Application.objects.create(
            owner=owner,
            company=company,
            role_title=row.role_title,
            job_url=row.job_url,
            source=Application.Source.OTHER,
            applied_on=row.applied_on,
            status=row.status,
            notes=row.notes,
        )
        result.applications += 1
        contact: Contact | None = find_or_create_contact(
            owner=owner, company=company, name=row.contact_name, email=row.contact_email
        )
        if row.status == Application.Status.REJECTED and row.rejected_on:
            record_rejection(
                rejection=Rejection(
                    owner=owner,
                    application=application,
                    received_at=_noon(row.rejected_on, zone),
                    channel=Rejection.Channel.EMAIL,
                    stage_reached=Rejection.Stage.APPLICATION,
                    contact=contact,
                )
            )
            result.rejections += 1
    result.companies = Company.objects.filter(owner=owner).count() - companies_before
    return result
