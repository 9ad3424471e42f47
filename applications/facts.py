"""Company facts: what a company's rejections and interviews add up to, kept by the database.

The dashboard asks, for every company of the person on every visit, which rejection there is
the latest one and whether an interview came after the first one. Worked out from the
rejections each time, that is a pass over all of them (a window over the person's
rejections, a join of applications, rejections and interviews): the largest part of the
dashboard's database time at thousands of applications. `CompanyFacts` keeps the answers, one
row per company, and triggers keep the row true in the same transaction as any write that
changes it, however it is made (a form, a queryset's .update(), a bulk insert, raw SQL):

- a rejection or an interview added, changed or removed: its company's row is worked out again;
- an application moved to another company: both companies' rows;
- a company removed: its row goes too.

A row is always worked out again from the source rows (never adjusted by the change), so it
cannot drift. `install()` runs after every `migrate` (applications.apps), makes the triggers
again over whatever a migration rebuilt (SQLite rebuilds a table to alter it) and works out
every company's row again. On PostgreSQL the triggers run once per statement, with the
changed rows as transition tables; SQLite only has row triggers.
"""

from django.db import connections

from applications.models import Application, Company, CompanyFacts, Interview, Rejection

FACTS = CompanyFacts._meta.db_table
COMPANY = Company._meta.db_table
APPLICATION = Application._meta.db_table
REJECTION = Rejection._meta.db_table
INTERVIEW = Interview._meta.db_table
COLUMNS = (
    "company_id",
    "latest_rejection_id",
    "first_rejected_at",
    "last_interview_at",
)
_REFRESH = "company_facts_refresh"


def _worked_out(where: str) -> str:
    """SELECT the facts rows of the companies that meet `where` (on `c`, the company), from
    their rejections and interviews."""
    rejections = (
        f"FROM {REJECTION} r JOIN {APPLICATION} a ON a.id = r.application_id "
        "WHERE a.company_id = c.id"
    )
    return (
        "SELECT c.id, "
        f"(SELECT r.id {rejections} ORDER BY r.received_at DESC, r.id DESC LIMIT 1), "
        f"(SELECT MIN(r.received_at) {rejections}), "
        f'(SELECT MAX(i."when") FROM {INTERVIEW} i JOIN {APPLICATION} a '
        "ON a.id = i.application_id WHERE a.company_id = c.id) "
        f"FROM {COMPANY} c WHERE {where}"
    )


def _name(table: str, suffix: str) -> str:
    return f"company_facts_{table}_{suffix}"


# --- PostgreSQL -----------------------------------------------------------------------------------

_PG_UPSERT = (
    f"INSERT INTO {FACTS} ({', '.join(COLUMNS)}) "
    + _worked_out("c.id = ANY(ids)")
    + " ON CONFLICT (company_id) DO UPDATE SET "
    + ", ".join(f"{column} = EXCLUDED.{column}" for column in COLUMNS[1:])
    # A row that did not change is not written again (no new row version, no stamp).
    + f" WHERE ({', '.join(f'{FACTS}.{c}' for c in COLUMNS[1:])}) IS DISTINCT FROM "
    + f"({', '.join(f'EXCLUDED.{c}' for c in COLUMNS[1:])})"
)


def _postgresql() -> list[str]:
    # The companies are locked first, then worked out in a statement of its own: a
    # transaction that writes the same company meanwhile waits, and once it goes on, its own
    # statement sees what the first one committed (read committed: a snapshot per statement),
    # so two rejections logged at once both count.
    sql = [
        f"CREATE OR REPLACE FUNCTION {_REFRESH}(ids bigint[]) RETURNS void LANGUAGE plpgsql "
        f"AS $$ BEGIN PERFORM 1 FROM {COMPANY} WHERE id = ANY(ids) ORDER BY id "
        f"FOR NO KEY UPDATE; {_PG_UPSERT}; END $$"
    ]
    # Rejections and interviews: the companies of the changed rows' applications.
    for table in (REJECTION, INTERVIEW):
        companies = (
            f"SELECT a.company_id FROM {APPLICATION} a JOIN {{rows}} x ON a.id = x.application_id"
        )
        new, old = companies.format(rows="new_rows"), companies.format(rows="old_rows")
        function = _name(table, "fn")
        sql.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN "
            f"IF TG_OP = 'INSERT' THEN PERFORM {_REFRESH}(ARRAY({new})); "
            f"ELSIF TG_OP = 'DELETE' THEN PERFORM {_REFRESH}(ARRAY({old})); "
            f"ELSE PERFORM {_REFRESH}(ARRAY({new} UNION {old})); "
            "END IF; RETURN NULL; END $$"
        )
        for op, event, referencing in (
            ("ins", "INSERT", "NEW TABLE AS new_rows"),
            ("upd", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("del", "DELETE", "OLD TABLE AS old_rows"),
        ):
            sql += [
                f"DROP TRIGGER IF EXISTS {_name(table, op)} ON {table}",
                f"CREATE TRIGGER {_name(table, op)} AFTER {event} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            ]
    # An application moved to another company: both companies. (A new application has no
    # rejection or interview yet; a removed one's went first, and said so.)
    function = _name(APPLICATION, "fn")
    sql += [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN PERFORM {_REFRESH}(ARRAY[OLD.company_id, NEW.company_id]); RETURN NULL; END $$",
        f"DROP TRIGGER IF EXISTS {_name(APPLICATION, 'upd')} ON {APPLICATION}",
        f"CREATE TRIGGER {_name(APPLICATION, 'upd')} AFTER UPDATE ON {APPLICATION} "
        "FOR EACH ROW WHEN (OLD.company_id IS DISTINCT FROM NEW.company_id) "
        f"EXECUTE FUNCTION {function}()",
    ]
    function = _name(COMPANY, "fn")
    sql += [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN DELETE FROM {FACTS} WHERE company_id IN (SELECT id FROM old_rows); "
        "RETURN NULL; END $$",
        f"DROP TRIGGER IF EXISTS {_name(COMPANY, 'del')} ON {COMPANY}",
        f"CREATE TRIGGER {_name(COMPANY, 'del')} AFTER DELETE ON {COMPANY} "
        f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
    ]
    return sql


# --- SQLite ---------------------------------------------------------------------------------------


def _sqlite_refresh(where: str) -> str:
    # A replaced row is the same row again: nothing refers to it.
    return f"INSERT OR REPLACE INTO {FACTS} ({', '.join(COLUMNS)}) {_worked_out(where)};"


def _sqlite() -> list[str]:
    sql = []

    def trigger(name: str, event: str, table: str, body: str, when: str = "") -> None:
        sql.extend(
            [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} {when} BEGIN {body} END",
            ]
        )

    for table in (REJECTION, INTERVIEW):
        companies = f"c.id IN (SELECT company_id FROM {APPLICATION} WHERE id IN ({{ids}}))"
        trigger(
            _name(table, "ins"),
            "INSERT",
            table,
            _sqlite_refresh(companies.format(ids="NEW.application_id")),
        )
        trigger(
            _name(table, "upd"),
            "UPDATE",
            table,
            _sqlite_refresh(companies.format(ids="OLD.application_id, NEW.application_id")),
        )
        trigger(
            _name(table, "del"),
            "DELETE",
            table,
            _sqlite_refresh(companies.format(ids="OLD.application_id")),
        )
    trigger(
        _name(APPLICATION, "upd"),
        "UPDATE OF company_id",
        APPLICATION,
        _sqlite_refresh("c.id IN (OLD.company_id, NEW.company_id)"),
        when="WHEN OLD.company_id IS NOT NEW.company_id",
    )
    trigger(
        _name(COMPANY, "del"),
        "DELETE",
        COMPANY,
        f"DELETE FROM {FACTS} WHERE company_id = OLD.id;",
    )
    return sql


def statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return _postgresql()
    if vendor == "sqlite":
        return _sqlite()
    raise NotImplementedError(f"No company-facts triggers for {vendor}")


def refresh_all_statements(vendor: str) -> list[str]:
    """Every company's row worked out again, and no row for a company that is gone."""
    gone = f"DELETE FROM {FACTS} WHERE company_id NOT IN (SELECT id FROM {COMPANY})"
    if vendor == "postgresql":
        return [gone, f"SELECT {_REFRESH}(ARRAY(SELECT id FROM {COMPANY}))"]
    return [gone, _sqlite_refresh("1 = 1")]


def install(using: str = "default") -> None:
    """(Re)create the triggers and work out every row again; safe to run again. Before the
    migration that makes the table, nothing (the migrate that makes it runs this again)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        if not {FACTS, COMPANY, APPLICATION, REJECTION, INTERVIEW} <= tables:
            return
        for sql in statements(connection.vendor) + refresh_all_statements(connection.vendor):
            cursor.execute(sql)
