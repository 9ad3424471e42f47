"""Queries the ORM writes once per process, then run again with each call's values.

The dashboard asks the same few questions on every visit with other values (the person, the
time). Building and compiling a query with windows and subqueries costs the ORM several
milliseconds of Python each time, more than the database takes to answer. A `ReusedQuery`
builds the query once per database connection's vendor, keeps its SQL, and on each call only
puts the call's values in place:

    overdue = ReusedQuery(
        lambda user_id, now: FollowUp.objects.filter(owner_id=user_id, deadline_at__lt=now)
        .values_list("pk", "deadline_at"),
        user_id=int,
        now=dt.datetime,
    )
    overdue(user_id=7, now=timezone.now())  # [{"pk": ..., "deadline_at": ...}, ...]

How it stays right: the query is built twice, with two different stand-ins for every value.
Both must give the same SQL; every parameter that differs between the two must be exactly
one of the stand-ins (as the database receives it); every other parameter is a constant of
the query. A value the query derives from an argument (`now - 2 days` inside `build`) would
differ between the builds without being a stand-in: that is refused at once, so `build`
must take such values as arguments of their own. Rows come back through the ORM's own
converters, as `values()` would give them.
"""

import datetime as dt
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

_FIRST = {
    int: lambda i: -(1_000_003 + i),
    dt.datetime: lambda i: dt.datetime(1901, 2, 3, 4, 5, i, tzinfo=dt.UTC),
    dt.date: lambda i: dt.date(1901, 2, 3 + i),
}
_SECOND = {
    int: lambda i: -(2_000_003 + i),
    dt.datetime: lambda i: dt.datetime(1902, 3, 4, 5, 6, i, tzinfo=dt.UTC),
    dt.date: lambda i: dt.date(1902, 3, 4 + i),
}


def _adapters(connection) -> list[Callable]:
    """How a value may reach the database's parameters: as itself, or as the backend adapts
    a datetime or a date (SQLite: text)."""
    ops = connection.ops
    return [
        lambda value: value,
        lambda value: (
            ops.adapt_datetimefield_value(value) if isinstance(value, dt.datetime) else _NO_MATCH
        ),
        lambda value: (
            ops.adapt_datefield_value(value)
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime)
            else _NO_MATCH
        ),
    ]


_NO_MATCH = object()


class ReusedQuery:
    def __init__(self, build: Callable[..., QuerySet], **types: type):
        for name, kind in types.items():
            if kind not in _FIRST:
                raise TypeError(f"{name}: {kind} values cannot be stood in for")
        self.build, self.types = build, types
        self._compiled: dict[str, tuple] = {}

    def _stand_ins(self, table: dict) -> dict:
        return {name: table[kind](i) for i, (name, kind) in enumerate(self.types.items())}

    def _compile(self, using: str) -> tuple:
        connection = connections[using]
        first, second = self._stand_ins(_FIRST), self._stand_ins(_SECOND)
        queryset = self.build(**first)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        sql_2, params_2 = self.build(**second).query.get_compiler(using).as_sql()
        if sql != sql_2 or len(params) != len(params_2):
            raise ValueError("the query's SQL depends on the values: it cannot be reused")
        adapters = _adapters(connection)
        slots = []
        for position, (one, two) in enumerate(zip(params, params_2, strict=True)):
            if one == two:
                slots.append((None, one))
                continue
            slot = next(
                (
                    (name, adapt)
                    for name in self.types
                    for adapt in adapters
                    if adapt(first[name]) == one and adapt(second[name]) == two
                ),
                None,
            )
            if slot is None:
                raise ValueError(
                    f"parameter {position} of the query is derived from the values: "
                    "pass it to the query as a value of its own"
                )
            slots.append(slot)
        query = queryset.query
        names = list(queryset._fields) or [
            *query.extra_select,
            *query.values_select,
            *query.annotation_select,
        ]
        return sql, slots, compiler, names

    def __call__(self, *, using: str = "default", **values) -> list[dict]:
        if set(values) != set(self.types):
            raise TypeError(f"values for {', '.join(self.types)} are needed")
        vendor = connections[using].vendor
        if vendor not in self._compiled:
            self._compiled[vendor] = self._compile(using)
        sql, slots, compiler, names = self._compiled[vendor]
        # A slot is (None, the constant) or (the value's name, how the database gets it).
        params = [fixed if name is None else fixed(values[name]) for name, fixed in slots]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [
            dict(zip(names, row, strict=True))
            for row in compiler.results_iter(results=[rows], tuple_expected=True)
        ]
