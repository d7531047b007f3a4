"""Statements built and compiled once per process, run with each request's values (issue 17:
the dashboard within 4× a bare page with fifteen mechanisms' panels).

Building a queryset of conditional counts (``Count("pk", filter=Q(...))`` a dozen times) and
compiling it to SQL costs Django far more than PostgreSQL takes to run it: at 1,000,000
cases the dashboard's thirty-odd statements took about 1 ms each in the database and 3–10 ms
each in the ORM. The statement of a panel depends only on who looks (their organisations),
at which period and organisation filter — the same for every view of the same page — so
it is built once and kept, and each view sends it again with that view's values.

``values(key, build, **inputs)`` returns what ``list(build(**inputs))`` would — ``build``
returns a ``.values()`` queryset — and ``aggregate(key, build, aggregates, **inputs)`` what
``build(**inputs).aggregate(**aggregates)`` would. ``key`` names everything the statement
depends on besides ``inputs`` (the dashboard's ``Scope.key``: the viewer, the period, the
organisation filter, the day). ``inputs`` are the values that change from one view to the
next (the time now): datetimes, dates or integers that the statement uses as they are.

Why a kept statement cannot be wrong, checked when it is built:

- ``build`` runs twice with two different stand-ins for every input; the two statements
  must be the same text with the same parameters, the stand-ins excepted, each in the same
  place. A value ``build`` derives from an input (``now - 30 days``) or reads for itself
  (``timezone.now()``) differs between the two builds, and the statement is not kept.
- ``build`` must send no SQL: a value read from the database while building (a list of
  ids) would be kept with the statement. If it does (a content type not yet cached), the
  statement is not kept this time.
- Any setting changing (tests) empties the store; so does ``clear()``.

A statement not kept is run as Django runs it; ``settings.PREPARED_QUERIES_STRICT`` (the
test suite) turns a builder that derives values into an error, so it is fixed rather than
left slow. On a database other than PostgreSQL (``make run``'s SQLite, where Django turns
datetimes into text), nothing is kept.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections, models
from django.db.models.query import ValuesIterable
from django.dispatch import receiver

logger = logging.getLogger(__name__)

MAX_STATEMENTS = 1024  # a few KB each, per process; least recently used go first


class NotPreparable(Exception):
    """The builder derives a value from an input or reads one for itself."""


@dataclass(frozen=True)
class _Slot:
    name: str


@dataclass(frozen=True)
class _Statement:
    sql: str
    params: tuple  # constants, and a _Slot where an input goes
    names: tuple[str, ...]  # the keys of each row's dict
    converters: tuple  # ((position, (functions, …), expression), …)
    empty: bool = False  # the statement selects nothing whatever the data (EmptyResultSet)


_UNPREPARABLE = object()
_STORE: "OrderedDict[tuple, object]" = OrderedDict()
_LOCK = threading.Lock()
_stats = {"hits": 0, "built": 0, "refused": 0}


def clear() -> None:
    with _LOCK:
        _STORE.clear()


def stats() -> dict[str, int]:
    """How often a statement was reused, built, or refused (the benchmark prints them)."""
    return dict(_stats, kept=sum(1 for s in list(_STORE.values()) if s is not _UNPREPARABLE))


@receiver(setting_changed)
def _settings_changed(**kwargs) -> None:
    clear()


def values(key: tuple, build: Callable[..., models.QuerySet], **inputs) -> list[dict]:
    """``list(build(**inputs))`` for a ``.values()`` queryset, its statement kept by ``key``."""
    return _run(("values",) + key, lambda **kw: _values_query(build(**kw)), inputs,
                lambda: list(build(**inputs)))


def aggregate(key: tuple, build: Callable[..., models.QuerySet],
              aggregates: dict | Callable[..., dict], **inputs) -> dict[str, Any]:
    """``build(**inputs).aggregate(**aggregates)``, its statement kept by ``key``
    (``aggregates`` a function of the inputs when they go into it). The queryset must be a
    plain filter (no slice, distinct or annotation of its own): it is counted as one group,
    ``.values(<constant>).annotate(...)``, which is what ``aggregate`` sends then."""

    def aggs(**kw) -> dict:
        return aggregates(**kw) if callable(aggregates) else aggregates

    def query(**kw):
        qs = build(**kw)
        if qs.query.is_sliced or qs.query.distinct or qs.query.annotations:
            raise NotPreparable("aggregate() takes a plain filtered queryset")
        a = aggs(**kw)
        return (qs.order_by().values(_all=models.Value(1, models.IntegerField()))
                .annotate(**a).values(*a))

    def plain() -> list[dict]:
        return [build(**inputs).aggregate(**aggs(**inputs))]

    rows = _run(("aggregate",) + key, lambda **kw: _values_query(query(**kw)), inputs, plain)
    # A statement that selects nothing whatever the data (an empty ``__in``): Django
    # answers it without asking the database (counts 0, sums None).
    return rows[0] if rows else plain()[0]


def compiled(key: tuple, build: Callable[..., models.QuerySet], **inputs) -> Compiled | None:
    """The SQL of ``build(**inputs)`` (a ``.values()`` queryset) with its parameters,
    column names and the backend's conversions, for a statement that wraps it (需关注's
    lists, core.grouping); None when it selects nothing whatever the data."""
    statement = _kept(("compiled",) + key, lambda **kw: _values_query(build(**kw)), inputs)
    if statement is None:
        found = _compile("default", _values_query(build(**inputs)))
        return None if found is None else Compiled(*found)
    if statement.empty:
        return None
    return Compiled(statement.sql, _fill(statement, inputs), statement.names, statement.converters)


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple
    names: tuple[str, ...]
    converters: tuple  # ((position, (functions, …), expression), …)

    def convert(self, rows, offset: int = 0, columns: int | None = None) -> list[list]:
        """Each row with the backend's conversions applied to its columns (``offset``:
        columns the wrapping statement put before them; ``columns``: how many of this
        statement's columns it kept, the first ones)."""
        converters = self.converters if columns is None else tuple(
            c for c in self.converters if c[0] < columns)
        return _convert(rows, converters, offset)


def _values_query(qs: models.QuerySet) -> models.QuerySet:
    if not issubclass(qs._iterable_class, ValuesIterable):
        raise NotPreparable("build() must return a .values() queryset")
    return qs


def _enabled(alias: str) -> bool:
    return (getattr(settings, "PREPARED_QUERIES", True)
            and connections[alias].vendor == "postgresql")


def _run(key: tuple, query: Callable[..., models.QuerySet], inputs: dict,
         plain: Callable[[], list]) -> list:
    statement = _kept(key, query, inputs)
    return plain() if statement is None else _execute("default", statement, inputs)


def _kept(key: tuple, query: Callable[..., models.QuerySet], inputs: dict) -> _Statement | None:
    """The statement kept for ``key`` (built and kept if there is none yet), or None: off,
    not PostgreSQL, the builder refused, or SQL ran while building — build it the plain way."""
    alias = "default"
    if not _enabled(alias):
        return None
    statement = _lookup_or_prepare((alias,) + key, query, inputs)
    if statement is None or statement is _UNPREPARABLE:
        return None
    _stats["hits"] += 1
    return statement


def _lookup_or_prepare(key: tuple, query: Callable[..., models.QuerySet], inputs: dict):
    """The kept statement; built and kept if there is none (None: SQL ran while building,
    nothing kept; _UNPREPARABLE: the builder derives values)."""
    with _LOCK:
        statement = _STORE.get(key)
        if statement is not None:
            _STORE.move_to_end(key)
            return statement
    statement = _prepare(key[0], query, inputs)
    if statement is not None:
        with _LOCK:
            _STORE[key] = statement
            while len(_STORE) > MAX_STATEMENTS:
                _STORE.popitem(last=False)
    return statement


def _stand_in(value, n: int, which: int):
    """A value of the input's type that no real statement holds: the ``n``-th input's
    stand-in in build ``which`` (0 or 1)."""
    if isinstance(value, dt.datetime):
        return dt.datetime(1901 + which, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=n + 1)
    if isinstance(value, dt.date):
        return dt.date(1901 + which, 1, 1) + dt.timedelta(days=n)
    if isinstance(value, int) and not isinstance(value, bool):
        return -(10 ** 15) * (which + 1) - n
    raise NotPreparable(f"an input of type {type(value).__name__} cannot be a parameter")


def _compile(alias: str, qs: models.QuerySet):
    compiler = qs.query.get_compiler(using=alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    names = (*qs.query.extra_select, *qs.query.values_select, *qs.query.annotation_select)
    fields = [s[0] for s in compiler.select[0:compiler.col_count]]
    converters = tuple((pos, tuple(convs), expr)
                       for pos, (convs, expr) in compiler.get_converters(fields).items())
    return sql, tuple(params), names, converters


def _prepare(alias: str, query: Callable[..., models.QuerySet], inputs: dict):
    """The statement for ``key``; _UNPREPARABLE when the builder derives values; None when
    SQL ran while building."""
    names = list(inputs)
    ran: list[str] = []

    def watch(execute, sql, params, many, context):
        ran.append(sql)
        return execute(sql, params, many, context)

    try:
        stand_ins = [{name: _stand_in(inputs[name], n, which) for n, name in enumerate(names)}
                     for which in (0, 1)]
        with connections[alias].execute_wrapper(watch):
            built = [_compile(alias, query(**s)) for s in stand_ins]
        if ran:
            return None
        statement = _match(built, stand_ins, names)
    except Exception as e:
        # NotPreparable, or a builder that cannot take a stand-in (its own error comes
        # again, with the real inputs, when the page builds it the plain way).
        _stats["refused"] += 1
        if getattr(settings, "PREPARED_QUERIES_STRICT", False):
            raise
        logger.warning("statement not kept: %s", e)
        return _UNPREPARABLE
    _stats["built"] += 1
    return statement


def _match(built: list, stand_ins: list[dict], names: list[str]) -> _Statement:
    a, b = built
    if a is None or b is None:
        if a is None and b is None:
            return _Statement("", (), (), (), empty=True)
        raise NotPreparable("whether the statement selects anything depends on an input")
    (sql_a, params_a, row_names, converters), (sql_b, params_b, *_rest) = a, b
    if sql_a != sql_b or len(params_a) != len(params_b):
        raise NotPreparable("the statement's text depends on an input")
    slot_of = [{_key(v): name for name, v in s.items()} for s in stand_ins]
    params: list = []
    for pa, pb in zip(params_a, params_b):
        name_a, name_b = slot_of[0].get(_key(pa)), slot_of[1].get(_key(pb))
        if name_a is not None and name_a == name_b:
            params.append(_Slot(name_a))
        elif name_a is None and name_b is None and _key(pa) == _key(pb):
            params.append(pa)
        else:
            raise NotPreparable("a parameter is derived from an input or read while building")
    return _Statement(sql_a, tuple(params), tuple(row_names), converters)


def _key(value):
    """What tells parameters apart: their type too (1 and True are equal in Python)."""
    try:
        hash(value)
    except TypeError:
        return (type(value), repr(value))
    return (type(value), value)


def _fill(statement: _Statement, inputs: dict) -> tuple:
    return tuple(inputs[p.name] if isinstance(p, _Slot) else p for p in statement.params)


def _convert(rows, converters: tuple, offset: int = 0) -> list:
    if not converters:
        return rows
    connection = connections["default"]
    out = []
    for row in rows:
        row = list(row)
        for pos, convs, expr in converters:
            value = row[pos + offset]
            for convert in convs:
                value = convert(value, expr, connection)
            row[pos + offset] = value
        out.append(row)
    return out


def _execute(alias: str, statement: _Statement, inputs: dict) -> list[dict]:
    if statement.empty:
        return []
    with connections[alias].cursor() as cursor:
        cursor.execute(statement.sql, _fill(statement, inputs))
        rows = cursor.fetchall()
    names = statement.names
    return [dict(zip(names, row)) for row in _convert(rows, statement.converters)]
