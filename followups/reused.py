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

Two more shapes of question:

- A list of ids (`ids=list`): `pk__in=ids` writes one placeholder per id, so the query is
  written once per length of the list. A list is read as a set (it is only ever matched
  with `__in`): it is filled up to the next power of two with its last id, so a process
  writes at most a few queries for all the lengths it meets (the dashboard lists at most a
  dozen rows, the email engine up to a chunk's worth).
- Model instances (`instances=True`): the query is a model's own (with `select_related`,
  `only`/`defer`), and each row comes back as the ORM's iterator would build it: the
  instance, its related rows, its annotations. Prefetches and a related manager's known
  objects are not reproduced, so such a query is refused.
"""

import datetime as dt
import functools
import inspect
from collections.abc import Callable, Generator

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BigIntegerField, Func, Model, QuerySet, Value
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.functions import Cast
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

_FIRST = {
    str: lambda i: f"\ue003reused-first-{i}",  # no real value looks like these
    int: lambda i: -(1_000_003 + i),
    dt.datetime: lambda i: dt.datetime(1901, 2, 3, 4, 5, i, tzinfo=dt.UTC),
    dt.date: lambda i: dt.date(1901, 2, 3 + i),
}
_SECOND = {
    str: lambda i: f"\ue003reused-second-{i}",
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


class Unplanned(Func):
    """`value` as a one-row subquery: PostgreSQL plans the query without looking at it.

    PostgreSQL plans a prepared statement afresh for its values (a custom plan) while that
    looks cheaper than one plan for any value. For a person's id that choice goes by the
    share of rows the person owns: with one very large account beside small ones, a small
    person's pages plan their dashboard queries again on every visit (1 ms of the server's
    CPU for the open doors alone), though one plan serves every person as well. Behind a
    subquery the id is unknown at planning time either way, so the server keeps its first
    plan. Only for queries whose plan is the same for every person: the pending follow-ups
    plan better with the values (their times), and keep them.
    """

    template = "(SELECT %(expressions)s)"

    def __init__(self, value: int):
        super().__init__(
            Cast(Value(value), output_field=BigIntegerField()), output_field=BigIntegerField()
        )


class ReusedQuery:
    def __init__(self, build: Callable[..., QuerySet], *, instances: bool = False, **types: type):
        for name, kind in types.items():
            if kind not in _FIRST and kind is not list:
                raise TypeError(f"{name}: {kind} values cannot be stood in for")
        self.build, self.types, self.instances = build, types, instances
        self._compiled: dict[tuple, tuple | None] = {}

    def _stand_ins(self, table: dict, lengths: dict[str, int]) -> dict:
        """A stand-in for every value; a list of n ids gets n different ones."""
        values, position = {}, 0
        for name, kind in self.types.items():
            if kind is list:
                values[name] = [table[int](position + k) for k in range(lengths[name])]
                position += lengths[name]
            else:
                values[name] = table[kind](position)
                position += 1
        return values

    def _compile(self, using: str, lengths: dict[str, int]) -> tuple:
        connection = connections[using]
        first, second = self._stand_ins(_FIRST, lengths), self._stand_ins(_SECOND, lengths)
        queryset = self.build(**first)
        if self.instances and (
            queryset._iterable_class is not ModelIterable
            or queryset._prefetch_related_lookups
            or queryset._known_related_objects
        ):
            raise ValueError("only a model's own rows, without prefetches, come back as instances")
        compiler = queryset.query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # `pk__in=[]`: the ORM asks nothing and has no rows
            return None
        sql_2, params_2 = self.build(**second).query.get_compiler(using).as_sql()
        if sql != sql_2 or len(params) != len(params_2):
            raise ValueError("the query's SQL depends on the values: it cannot be reused")
        # Where each value's stand-in (or each id of a list) went: (name, index in the list).
        places = [
            ((name, k), first[name][k], second[name][k])
            if kind is list
            else ((name, None), first[name], second[name])
            for name, kind in self.types.items()
            for k in (range(lengths[name]) if kind is list else (None,))
        ]
        adapters = _adapters(connection)
        slots = []
        for position, (one, two) in enumerate(zip(params, params_2, strict=True)):
            if one == two:
                slots.append((None, one))
                continue
            slot = next(
                (
                    (place, adapt)
                    for place, stand_in, other in places
                    for adapt in adapters
                    if adapt(stand_in) == one and adapt(other) == two
                ),
                None,
            )
            if slot is None:
                raise ValueError(
                    f"parameter {position} of the query is derived from the values: "
                    "pass it to the query as a value of its own"
                )
            slots.append(slot)
        if self.instances:
            return sql, slots, compiler, _Instances(compiler, using)
        query = queryset.query
        names = list(queryset._fields) or [
            *query.extra_select,
            *query.values_select,
            *query.annotation_select,
        ]
        return sql, slots, compiler, names

    def __call__(self, *, using: str = "default", **values) -> list:
        if set(values) != set(self.types):
            raise TypeError(f"values for {', '.join(self.types)} are needed")
        values = {
            name: _filled(value) if self.types[name] is list else value
            for name, value in values.items()
        }
        lengths = {name: len(values[name]) for name, kind in self.types.items() if kind is list}
        key = (connections[using].vendor, *sorted(lengths.items()))
        if key not in self._compiled:
            self._compiled[key] = self._compile(using, lengths)
        if self._compiled[key] is None:
            return []
        sql, slots, compiler, shape = self._compiled[key]
        # A slot is (None, the constant) or ((the value's name, index in a list), how the
        # database gets it).
        params = [
            fixed if place is None else fixed(_value(values, place)) for place, fixed in slots
        ]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if self.instances:
            return shape.build(rows)
        return [
            dict(zip(shape, row, strict=True))
            for row in compiler.results_iter(results=[rows], tuple_expected=True)
        ]


def _filled(ids) -> list:
    """`ids` repeated at its end up to the next power of two (the same set)."""
    ids = list(ids)
    if not ids:
        return ids
    return ids + [ids[-1]] * ((1 << (len(ids) - 1).bit_length()) - len(ids))


def _value(values: dict, place: tuple):
    name, index = place
    return values[name] if index is None else values[name][index]


class _Instances:
    """How the ORM's iterator turns the rows of one compiled query into model instances
    (django.db.models.query.ModelIterable), worked out once."""

    def __init__(self, compiler, using: str):
        self.compiler, self.using = compiler, using
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.make = _maker(self.model, using, init_list)
        self.related = [
            _Related(populator) for populator in get_related_populators(klass_info, select, using)
        ]
        self.annotations = list(compiler.annotation_col_map.items())

    def build(self, rows: list) -> list:
        objects = []
        make, start, end = self.make, self.start, self.end
        for row in self.compiler.results_iter(results=[rows]):
            obj = make(row[start:end])
            for populator in self.related:
                populator.populate(row, obj)
            for name, column in self.annotations:
                setattr(obj, name, row[column])
            objects.append(obj)
        return objects


class _Related:
    """A select_related row's instance, as the ORM's RelatedPopulator builds and links it,
    made by `_maker`."""

    def __init__(self, populator):
        self.reorder = populator.reorder_for_init
        self.start = getattr(populator, "cols_start", None)
        self.end = getattr(populator, "cols_end", None)
        self.pk_index = populator.pk_idx
        self.make = _maker(populator.model_cls, populator.db, populator.init_list)
        self.related = [_Related(child) for child in populator.related_populators]
        self.local_setter = populator.local_setter
        self.remote_setter = populator.remote_setter

    def populate(self, row, from_obj) -> None:
        values = self.reorder(row) if self.reorder else row[self.start : self.end]
        if values[self.pk_index] is None:
            obj = None
        else:
            obj = self.make(values)
            for child in self.related:
                child.populate(row, obj)
        self.local_setter(from_obj, obj)
        if obj is not None:
            self.remote_setter(obj, from_obj)


# The descriptors that store a value set on an instance as it is, in its __dict__ (a foreign
# key's id also drops a cached related object, which a new instance has none of).
_PLAIN = (DeferredAttribute, ForeignKeyDeferredAttribute)


def _maker(model: type[Model], using: str, init_list: list[str]) -> Callable[[tuple], Model]:
    """`model.from_db(using, init_list, values)` as a function of the values.

    from_db hands the values to Model.__init__, which checks its arguments and sets every
    field through its descriptor: a few microseconds an instance, for every row of every
    select_related (an email's follow-up comes with ten). Where nothing can tell the
    difference (no init signal, no __init__ or from_db of the model's own, every loaded
    field a plain attribute), the values go straight into the instance's __dict__, where
    __init__ would have put them; a deferred field is absent there, as after __init__.
    Otherwise from_db itself is called."""
    plain = (
        model.__init__ is Model.__init__
        and model.from_db.__func__ is Model.from_db.__func__
        and not pre_init.has_listeners(model)
        and not post_init.has_listeners(model)
        and all(type(inspect.getattr_static(model, name, None)) in _PLAIN for name in init_list)
    )
    if not plain:
        return functools.partial(model.from_db, using, init_list)
    names = tuple(init_list)
    new = object.__new__

    def make(values) -> Model:
        obj = new(model)
        state = ModelState()
        state.db, state.adding = using, False
        attributes = obj.__dict__
        attributes["_state"] = state
        attributes.update(zip(names, values, strict=True))
        return obj

    return make


def finish(steps: Generator[None, None, object]):
    """Run a generator of steps (a builder that pauses between them) to the end: what it
    returns."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value
