"""The cards stamp: a value on each person's profile that changes whenever their data changes.

The dashboard keeps its rendered cards under the person's stamp (dashboard.views), so it must
change with every write the cards could show, however the write is made: a form, a queryset's
.update(), a bulk insert, raw SQL, the engine or a poller in the background. Django's signals
miss most of those, so the database does it: triggers on every table the dashboard reads write
a new random stamp on the owner's profile, in the same transaction as the change. Random, not
a counter: a rolled-back write can never bring an old stamp (and its cards) back.

`install()` runs after every `migrate` (dashboard.apps), so a table that a migration rebuilds
(SQLite does that to alter a column) gets its triggers back. On PostgreSQL the triggers are
per statement, with the changed rows as transition tables: a bulk insert of 5,000 rows writes
the profile once. SQLite only has row triggers.

Tables the dashboard does not read are left out on purpose (`UNREAD`), so that background work
there (the inbox watch, digests, exports) does not throw the cards away. A test holds every
model to one list or the other.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connections

from accounts.models import Profile
from applications.models import (
    Application,
    Company,
    CompanyFacts,
    Contact,
    Feedback,
    FormSubmission,
    Interview,
    Rejection,
)
from followups.models import Digest, FollowUp, Reminder, Reply
from goals.models import ImprovementGoal
from watch.models import BoardWatch, Opening

PROFILE = Profile._meta.db_table
_PG_NEW_STAMP = "md5(random()::text || clock_timestamp()::text)"
_SQLITE_NEW_STAMP = "lower(hex(randomblob(16)))"


@dataclass(frozen=True)
class Watched:
    """A table whose rows the dashboard shows, and how a row names its owner."""

    table: str
    owner: str = "owner_id"
    # The owner is on a parent row: (parent table, this table's column that points at it).
    via: tuple[str, str] | None = None
    # Only these columns matter in an update (others change all the time and show nowhere).
    update_of: tuple[str, ...] = ()
    # Row triggers with these conditions instead of statement triggers (PostgreSQL), so the
    # writes that do not matter cost a comparison and nothing more (insert, update, delete).
    row_when: tuple[str, str, str] | None = None

    def owner_of(self, row: str) -> str:
        """SQL for the owner's user id of one row (`row` is NEW or OLD)."""
        if self.via:
            parent, column = self.via
            return f"(SELECT {self.owner} FROM {parent} WHERE id = {row}.{column})"
        return f"{row}.{self.owner}"

    def owners_in(self, rows: str) -> str:
        """SQL selecting the owners of a transition table's rows."""
        if self.via:
            parent, column = self.via
            return f"SELECT p.{self.owner} FROM {parent} p JOIN {rows} r ON p.id = r.{column}"
        return f"SELECT {self.owner} FROM {rows}"


def _failed(row: str) -> str:
    return f"{row}.status = '{Reminder.Status.FAILED}'"


def watched() -> list[Watched]:
    user = get_user_model()._meta.db_table
    company = Company._meta.db_table
    interview = Interview._meta.db_table
    competitors = Company._meta.get_field("competitors").m2m_db_table()
    interviewers = Interview._meta.get_field("interviewers").m2m_db_table()
    owned = [Company, Application, Contact, Interview, Rejection, Feedback, ImprovementGoal]
    owned += [FollowUp, Reply]
    return [
        *(Watched(model._meta.db_table) for model in owned),
        # The due-now card counts undelivered reminders; the dispatcher's claims and "sent"
        # marks (a write per email) leave the cards alone.
        Watched(
            Reminder._meta.db_table,
            row_when=(
                _failed("NEW"),
                f"({_failed('OLD')}) IS DISTINCT FROM ({_failed('NEW')})",
                _failed("OLD"),
            ),
        ),
        # A watch's poll writes its schedule on the row; which company it watches is what shows.
        Watched(BoardWatch._meta.db_table, update_of=("company_id", "owner_id")),
        Watched(Opening._meta.db_table, via=(BoardWatch._meta.db_table, "watch_id")),
        Watched(competitors, via=(company, "from_company_id")),
        # Written by the triggers of applications.facts, in the same transaction as the
        # rejection or interview.
        Watched(CompanyFacts._meta.db_table, via=(company, "company_id")),
        Watched(interviewers, via=(interview, "interview_id")),
        # The name and address drafts are signed with; not the last login.
        Watched(user, owner="id", update_of=("username", "first_name", "last_name", "email")),
    ]


# Tables of the person's data the dashboard never reads, and why.
UNREAD: dict[str, str] = {
    Digest._meta.db_table: "a digest email's record; the cards never show digests",
    FormSubmission._meta.db_table: "the once-only guard of posted forms",
    "capture_reviewitem": "emails waiting for review: their own page, not a card",
    "capture_mailboxwatch": "the inbox watch's settings and progress",
    "mydata_calendarfeed": "the calendar feed's address",
    "mydata_upload": "an import's uploaded file",
}


def _name(table: str, suffix: str) -> str:
    return f"cards_stamp_{table}_{suffix}"


# One renewal per person per transaction is enough: nobody outside the transaction sees any
# of its writes, or its new stamp, before the commit, and then they see all of them at once.
# Renewing on every statement would update the same profile row once per statement, and a long
# transaction (an import, seed_demo) would pile up row versions of it: quadratic. The tests
# (one wrapping transaction per test, whose pages read inside it) set
# cards_stamp.each_statement = on to renew on every statement.
_RENEW = "cards_stamp_renew"
_PG_RENEW = (
    f"CREATE OR REPLACE FUNCTION {_RENEW}(owners bigint[]) RETURNS void LANGUAGE plpgsql AS $$ "
    "DECLARE each_statement boolean := "
    "coalesce(current_setting('cards_stamp.each_statement', true), '') = 'on'; "
    "fresh bigint[]; "
    "BEGIN "
    "SELECT array_agg(DISTINCT o) INTO fresh FROM unnest(owners) AS o WHERE o IS NOT NULL "
    "AND (each_statement OR coalesce(current_setting('cards_stamp.renewed_' || o, true), '') "
    "<> 'yes'); "
    "IF fresh IS NULL THEN RETURN; END IF; "
    f"UPDATE {PROFILE} SET cards_stamp = {_PG_NEW_STAMP} WHERE user_id = ANY(fresh); "
    "PERFORM set_config('cards_stamp.renewed_' || o, 'yes', true) FROM unnest(fresh) AS o; "
    "END $$"
)


def _postgresql(item: Watched) -> list[str]:
    table, function = item.table, _name(item.table, "fn")
    drops = [
        f"DROP TRIGGER IF EXISTS {_name(table, op)} ON {table}" for op in ("ins", "upd", "del")
    ]
    row_when = item.row_when
    if item.update_of and not row_when:
        # PostgreSQL keeps transition tables from triggers on some columns: a row trigger
        # that fires when one of them really changes.
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in item.update_of)
        row_when = ("", changed, "")
    if row_when:
        body = (
            f"PERFORM {_RENEW}(ARRAY[{item.owner_of('OLD')}, {item.owner_of('NEW')}]::bigint[]);"
            " RETURN NULL;"
        )
        level = ["", "", ""]
        whens = [f"WHEN ({condition})" if condition else "" for condition in row_when]
        each = "ROW"
    else:
        new, old = item.owners_in("new_rows"), item.owners_in("old_rows")
        body = (
            "IF TG_OP = 'INSERT' THEN "
            f"PERFORM {_RENEW}(ARRAY({new})::bigint[]); "
            "ELSIF TG_OP = 'DELETE' THEN "
            f"PERFORM {_RENEW}(ARRAY({old})::bigint[]); "
            "ELSE "
            f"PERFORM {_RENEW}(ARRAY({new} UNION {old})::bigint[]); "
            "END IF; RETURN NULL;"
        )
        level = [
            "REFERENCING NEW TABLE AS new_rows",
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "REFERENCING OLD TABLE AS old_rows",
        ]
        whens = ["", "", ""]
        each = "STATEMENT"
    events = ["INSERT", "UPDATE", "DELETE"]
    creates = [
        f"CREATE TRIGGER {_name(table, op)} AFTER {event} ON {table} {level[i]} "
        f"FOR EACH {each} {whens[i]} EXECUTE FUNCTION {function}()"
        for i, (op, event) in enumerate(zip(("ins", "upd", "del"), events, strict=True))
    ]
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {body} END $$",
        *drops,
        *creates,
    ]


def _postgresql_profile() -> list[str]:
    # Any direct write of the profile (a settings form, an .update()) gets a new stamp, even
    # one that writes back the stamp it read: only the other tables' triggers, one level
    # down, set it themselves.
    function = _name(PROFILE, "fn")
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF pg_trigger_depth() = 1 THEN NEW.cards_stamp := {_PG_NEW_STAMP}; END IF; "
        "RETURN NEW; END $$",
        f"DROP TRIGGER IF EXISTS {_name(PROFILE, 'upd')} ON {PROFILE}",
        f"CREATE TRIGGER {_name(PROFILE, 'upd')} BEFORE UPDATE ON {PROFILE} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def _sqlite(item: Watched) -> list[str]:
    table = item.table
    set_stamp = f"UPDATE {PROFILE} SET cards_stamp = {_SQLITE_NEW_STAMP}"
    update = "UPDATE OF " + ", ".join(item.update_of) if item.update_of else "UPDATE"
    whens = item.row_when or ("", "", "")
    bodies = [
        f"{set_stamp} WHERE user_id = {item.owner_of('NEW')};",
        f"{set_stamp} WHERE user_id IN ({item.owner_of('OLD')}, {item.owner_of('NEW')});",
        f"{set_stamp} WHERE user_id = {item.owner_of('OLD')};",
    ]
    statements = []
    for op, event, when, body in zip(
        ("ins", "upd", "del"), ("INSERT", update, "DELETE"), whens, bodies, strict=True
    ):
        name = _name(table, op)
        # SQLite spells IS DISTINCT FROM as IS NOT.
        condition = f"WHEN {when.replace('IS DISTINCT FROM', 'IS NOT')}" if when else ""
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {event} ON {table} {condition} BEGIN {body} END",
        ]
    return statements


def _sqlite_profile() -> list[str]:
    # SQLite cannot change NEW: write the stamp again after the update. Triggers do not fire
    # themselves (recursive_triggers is off), so this runs once per write.
    name = _name(PROFILE, "upd")
    return [
        f"DROP TRIGGER IF EXISTS {name}",
        f"CREATE TRIGGER {name} AFTER UPDATE ON {PROFILE} BEGIN "
        f"UPDATE {PROFILE} SET cards_stamp = {_SQLITE_NEW_STAMP} WHERE id = NEW.id; END",
    ]


def statements(vendor: str, tables: set[str] | None = None) -> list[str]:
    """Every trigger's SQL, for the watched tables among `tables` (all when None)."""
    items = [
        item
        for item in watched()
        if tables is None or {item.table, *(item.via or ())[:1]} <= tables
    ]
    if vendor == "postgresql":
        tables_sql = [sql for item in items for sql in _postgresql(item)]
        return [_PG_RENEW, *tables_sql, *_postgresql_profile()]
    if vendor == "sqlite":
        return [sql for item in items for sql in _sqlite(item)] + _sqlite_profile()
    raise NotImplementedError(f"No cards-stamp triggers for {vendor}")


def install(using: str = "default") -> None:
    """(Re)create every trigger; safe to run again. Tables a partial migrate has not made yet
    are skipped (the migrate that makes them runs this again)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        columns = (
            {c.name for c in connection.introspection.get_table_description(cursor, PROFILE)}
            if PROFILE in tables
            else set()
        )
        if "cards_stamp" not in columns:
            return
        for sql in statements(connection.vendor, tables):
            cursor.execute(sql)


def installed(using: str = "default") -> set[str]:
    """The tables that carry cards-stamp triggers now."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers"
                " WHERE trigger_name LIKE 'cards_stamp_%%'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master"
                " WHERE type = 'trigger' AND name LIKE 'cards_stamp_%'"
            )
        return {row[0] for row in cursor.fetchall()}
