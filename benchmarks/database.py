"""The benchmark's PostgreSQL database: made if missing, dropped only if this run made it,
and filled fast with INSERT ... SELECT FROM generate_series (a million rows in seconds)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/opendoors_bench"


@dataclass
class BenchDatabase:
    url: str
    name: str
    created: bool = False

    @property
    def maintenance_url(self) -> str:
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path="/postgres"))

    def ensure(self) -> None:
        """Create the database if it does not exist (and remember that we did)."""
        with psycopg.connect(self.maintenance_url, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.name]
            ).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
                self.created = True

    def drop(self) -> None:
        """Drop the database, only if this run created it."""
        if not self.created:
            return
        with psycopg.connect(self.maintenance_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )
        self.created = False


def bench_database(url: str) -> BenchDatabase:
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit(f"The benchmark runs on PostgreSQL; DATABASE_URL is {url!r}.")
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit("DATABASE_URL names no database.")
    return BenchDatabase(url=url, name=name)


# --- Filling tables -------------------------------------------------------------------------


def _literal(value) -> sql.Composable:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return sql.Literal(value.isoformat())
    if isinstance(value, list | dict):
        import json

        return sql.Literal(json.dumps(value))
    return sql.Literal(value)


def insert_series(model, count: int, exprs: dict[str, str]) -> range:
    """Insert `count` rows of `model` in one statement and return their ids.

    `exprs` maps field names to SQL expressions of `g` (0 .. count-1) and `id` (the row's
    new primary key); every other column gets its model default (`now()` for auto
    timestamps), so the rows are what the ORM would have written. Ids are assigned after
    the table's current maximum and the sequence is moved past them.
    """
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("SELECT COALESCE(MAX(id), 0) FROM {}").format(sql.Identifier(table)).as_string()
        )
        base = cursor.fetchone()[0]
    columns, values = [], []
    for field in model._meta.concrete_fields:
        columns.append(sql.Identifier(field.column))
        name = field.name if field.name in exprs else field.attname
        if field.primary_key:
            values.append(sql.SQL("id"))
        elif name in exprs:
            values.append(sql.SQL(exprs[name]))
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values.append(sql.SQL("now()"))
        elif field.null and not field.has_default():
            values.append(sql.NULL)
        elif field.has_default() or (field.empty_strings_allowed and not field.null):
            values.append(_literal(field.get_default()))
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs an expression")
    unknown = (
        set(exprs)
        - {f.name for f in model._meta.concrete_fields}
        - {f.attname for f in model._meta.concrete_fields}
    )
    if unknown:
        raise ValueError(f"{model.__name__} has no field(s) {sorted(unknown)}")
    statement = sql.SQL(
        "INSERT INTO {table} ({columns}) SELECT {values} FROM "
        "(SELECT g, {base} + g + 1 AS id FROM generate_series(0, {last}) AS g) AS series"
    ).format(
        table=sql.Identifier(table),
        columns=sql.SQL(", ").join(columns),
        values=sql.SQL(", ").join(values),
        base=sql.Literal(base),
        last=sql.Literal(count - 1),
    )
    with connection.cursor() as cursor:
        cursor.execute(statement.as_string())
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, base + count])
    return range(base + 1, base + count + 1)


def vacuum_analyze(models: Iterable | None = None) -> None:
    """What autovacuum would have done by the time a table is this size: to the tables of
    `models`, or to every table (None)."""
    from django.db import connection

    if models is None:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        return
    for model in models:
        with connection.cursor() as cursor:
            cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')


def truncate(models: Iterable) -> None:
    """Empty tables of the benchmark's own database (each run starts it empty)."""
    from django.db import connection

    tables = sql.SQL(", ").join(sql.Identifier(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("TRUNCATE {} CASCADE").format(tables).as_string())
