"""Tallies: summary tables of counts that the services and the sweep keep up to date, so a
page that shows figures over a district-sized history reads a few hundred summary rows
instead of counting millions (issue 7: the dashboard within 3× a bare page at 1,000,000
cases and 5,000,000 deadlines).

A ``Tally`` names a summary model, the source rows it counts, the source fields it groups
by (the summary has fields of the same names) and the counts (aggregates over the source
rows). A *monthly* tally also groups by the month a date of the row falls in.

How a tally stays true:

- A service that changes source rows calls ``touch(tally, rows)`` with the rows as they
  were before and after the change (both, when a key field changed). The keys are
  recounted from the source **after the transaction commits** (``on_commit``), each key
  exactly, in a short transaction of its own that first locks the key's summary row. A
  recount is not a running sum: it cannot drift, and a recount that waits for the lock
  counts everything committed before it, so the last recount of a key is always right.
  Recounting after the commit, in its own transaction, keeps the summary rows' locks out of
  the business transactions (which hold case, deadline and document-number locks in
  various orders): no deadlock can form through a summary row.
- ``rebuild(tally)`` recounts everything (after a bulk load, and nightly by beat as a
  safety net if a process died between a commit and its recount).

Reading: ``totals(tally, ...)`` sums the summary rows; for a monthly tally and a period,
the whole months inside the period come from the summary and the partial months at its
edges (a custom period from the 10th to the 20th) are counted from the source rows, so the
figures are exact for any period.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import operator
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from django.db import connection, models, transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from . import grouping

logger = logging.getLogger(__name__)

Key = tuple


@dataclass(frozen=True)
class Month:
    """How source rows fall into months: ``field`` holds the date or time; ``of`` gives the
    first day of its month in Python, ``sql`` the same as a database expression, and
    ``span(first, last)`` the rows whose value falls on the days first..last inclusive."""

    field: str
    of: Callable[[Any], dt.date]
    sql: Callable[[], models.Expression]
    span: Callable[[dt.date, dt.date], Q]


@dataclass(frozen=True)
class Tally:
    name: str
    model: type[models.Model]
    source: Callable[[], QuerySet]
    keys: tuple[str, ...]
    # summary field → a callable returning the aggregate over the source rows; called at
    # each recount, so a count may compare with the clock (timezone.now()).
    counts: Mapping[str, Callable[[], models.Aggregate]]
    month: Month | None = None
    # The summary's key fields, in order: the source keys, then "month" for a monthly tally.
    fields: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", self.keys + (("month",) if self.month else ()))

    def key_of(self, row: Any) -> Key:
        get = row.get if isinstance(row, Mapping) else functools.partial(getattr, row)
        key = tuple(get(name) for name in self.keys)
        if self.month:
            key += (self.month.of(get(self.month.field)),)
        return key


_registry: dict[str, Tally] = {}


def register(tally: Tally) -> Tally:
    # One summary row per key: the recount locks it and the reads take it as one group.
    meta = tally.model._meta
    keyed = {frozenset(meta.get_field(f).column for f in c.fields)
             for c in meta.constraints if isinstance(c, models.UniqueConstraint) and c.condition is None}
    if frozenset(tally.fields) not in keyed:
        raise ValueError(f"汇总表 {meta.db_table} 须对键字段 {tally.fields} 设唯一约束")
    _registry[tally.name] = tally
    return tally


def registered() -> dict[str, Tally]:
    return dict(_registry)


# --- keeping them true ------------------------------------------------------------------


def touch(tally: Tally, rows: Iterable[Any]) -> None:
    """Recount the keys of ``rows`` (model instances or dicts with the key fields) once the
    current transaction commits — immediately when there is none."""
    keys = {tally.key_of(row) for row in rows}
    if not keys:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        transaction.on_commit(functools.partial(_refresh_logged, tally, frozenset(keys)))
        return
    # Many touches in one transaction (an import writing in chunks) recount each key once:
    # keys join the recount this tally already waits for at the same savepoint level —
    # the same as a recount registered after it, since every recount runs after the
    # commit. A savepoint rolled back or a commit makes Django a new list of commit hooks,
    # and a new list starts afresh here.
    # A recount that has run (a test's captureOnCommitCallbacks runs them in place) takes
    # no more keys.
    pending = getattr(connection, "_tallies_pending", None)
    if pending is None or pending[0] is not connection.run_on_commit:
        pending = connection._tallies_pending = (connection.run_on_commit, {})
    slot = (tally.name, frozenset(connection.savepoint_ids))
    waiting = pending[1].get(slot)
    if waiting is not None and not waiting.ran:
        waiting.keys.update(keys)
        return
    waiting = pending[1][slot] = _Waiting(set(keys))
    transaction.on_commit(functools.partial(_refresh_waiting, tally, waiting))


@dataclass
class _Waiting:
    keys: set
    ran: bool = False


def _refresh_waiting(tally: Tally, waiting: _Waiting) -> None:
    waiting.ran = True
    _refresh_logged(tally, frozenset(waiting.keys))


def _refresh_logged(tally: Tally, keys: frozenset) -> None:
    try:
        refresh(tally, keys)
    except Exception:  # the business change has committed; the nightly rebuild repairs
        logger.exception("tally %s: recount of %d keys failed", tally.name, len(keys))


def _month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return month, nxt - dt.timedelta(days=1)


def months(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date, dt.date]]:
    """(month, first day, last day) of each month the days first..last touch, the days
    clipped to that span: a whole month has its own first and last day."""
    out = []
    month = first.replace(day=1)
    while month <= last:
        m_first, m_last = _month_bounds(month)
        out.append((month, max(first, m_first), min(last, m_last)))
        month = m_last + dt.timedelta(days=1)
    return out


def _source_of_keys(tally: Tally, keys: Iterable[Key]) -> QuerySet:
    """Source rows of (a superset of) ``keys``: each key field within the keys' values, and
    for a monthly tally the span from the first to the last month touched."""
    keys = list(keys)
    qs = tally.source().order_by()
    for i, name in enumerate(tally.keys):
        qs = qs.filter(**{f"{name}__in": sorted({k[i] for k in keys}, key=str)})
    if tally.month:
        months = [k[-1] for k in keys]
        qs = qs.filter(tally.month.span(min(months), _month_bounds(max(months))[1]))
    return qs


def _grouped(tally: Tally, qs: QuerySet) -> QuerySet:
    if tally.month:
        qs = qs.annotate(month=tally.month.sql())
    return qs.values(*tally.fields).annotate(**{name: agg() for name, agg in tally.counts.items()})


def refresh(tally: Tally, keys: Iterable[Key]) -> None:
    """Recount ``keys`` exactly, in a transaction of its own (see the module docstring)."""
    keys = sorted(set(keys), key=lambda k: tuple(map(str, k)))
    if not keys:
        return
    model = tally.model
    zero = {name: 0 for name in tally.counts}
    with transaction.atomic():
        model.objects.bulk_create(
            [model(**dict(zip(tally.fields, k)), **zero) for k in keys], ignore_conflicts=True)
        wanted = functools.reduce(operator.or_, (Q(**dict(zip(tally.fields, k))) for k in keys))
        # Lock the summary rows in one statement, in primary-key order.
        rows = {tuple(getattr(r, f) for f in tally.fields): r
                for r in model.objects.select_for_update().filter(wanted).order_by("pk")}
        counted = {tuple(r[f] for f in tally.fields): r
                   for r in _grouped(tally, _source_of_keys(tally, keys))}
        changed = []
        for key in keys:
            row, values = rows[key], counted.get(key, zero)
            if any(getattr(row, name) != values[name] for name in tally.counts):
                for name in tally.counts:
                    setattr(row, name, values[name])
                changed.append(row)
        if changed:
            model.objects.bulk_update(changed, list(tally.counts))


def rebuild(tally: Tally) -> int:
    """Recount every key from the source; returns the number of summary rows. Other
    recounts wait for it (table lock on PostgreSQL; SQLite locks the database)."""
    model = tally.model
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {model._meta.db_table} IN EXCLUSIVE MODE")
        model.objects.all().delete()
        # Written month by month (a monthly tally): a page reads a month's rows, and rows
        # written in the order of the other keys would spread each month over a page of
        # the table per row. Rows kept by touch() are written as their months come, so
        # the nightly rebuild keeps the order the table has grown in.
        order = ("month", *tally.keys) if tally.month else tally.keys
        rows = [model(**{f: r[f] for f in tally.fields}, **{n: r[n] for n in tally.counts})
                for r in _grouped(tally, tally.source().order_by()).order_by(*order)
                .iterator(chunk_size=5000)]
        model.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def rebuild_all() -> dict[str, int]:
    return {name: rebuild(t) for name, t in _registry.items()}


def differences(tally: Tally) -> list[tuple[Key, dict, dict]]:
    """(key, summary, recount) for every key where the summary disagrees with the source —
    empty when the tally is true. For tests and the check command."""
    counted = {tuple(r[f] for f in tally.fields): {n: r[n] for n in tally.counts}
               for r in _grouped(tally, tally.source().order_by())}
    stored = {tuple(r[f] for f in tally.fields): {n: r[n] for n in tally.counts}
              for r in tally.model.objects.values(*tally.fields, *tally.counts)}
    zero = {n: 0 for n in tally.counts}
    return [(k, stored.get(k, zero), counted.get(k, zero))
            for k in sorted(set(counted) | set(stored), key=lambda k: tuple(map(str, k)))
            if stored.get(k, zero) != counted.get(k, zero)]


# --- reading ----------------------------------------------------------------------------


def totals(tally: Tally, *, group: tuple[str, ...], filters: Mapping[str, Any] | None = None,
           first: dt.date | None = None, last: dt.date | None = None) -> dict[Key, dict[str, int]]:
    """The counts summed per ``group`` (summary field names; "month" for a monthly tally),
    over the rows matching ``filters`` (``name`` or ``name__in`` on key fields: they must
    be valid on both summary and source) and, for a monthly tally, whose month date falls
    on the days ``first``..``last`` inclusive. One summary query, plus one source query
    per partial month at the edges of the period."""
    return totals_by(tally, groups=[group], filters=filters, first=first, last=last)[0]


def totals_by(tally: Tally, *, groups: list[tuple[str, ...]],
              filters: Mapping[str, Any] | None = None, first: dt.date | None = None,
              last: dt.date | None = None) -> list[dict[Key, dict[str, int]]]:
    """``totals`` for several groupings at once (a table per unit, per rule, and the grand
    total of the same rows), in one statement: the database adds up, not Python."""
    names = list(tally.counts)
    return [{key: dict(zip(names, values)) for key, values in counted.items()}
            for counted in counts_by(tally, groups=groups, filters=filters, first=first, last=last)]


def counts_by(tally: Tally, *, groups: list[tuple[str, ...]],
              filters: Mapping[str, Any] | None = None, first: dt.date | None = None,
              last: dt.date | None = None) -> list[dict[Key, tuple[int, ...]]]:
    """``totals_by`` with each group's counts as a tuple in the order of ``tally.counts``:
    for pages that read a few thousand groups."""
    filters = dict(filters or {})
    whole: list[dt.date] | None = None  # None: every month (or not a monthly tally)
    partial: list[tuple[dt.date, dt.date]] = []
    if tally.month and first and last:
        whole = []
        for month, m_first, m_last in months(first, last):
            if (m_first, m_last) == _month_bounds(month):
                whole.append(month)
            else:
                partial.append((m_first, m_last))
    if whole is None or whole:  # one row per group of a set: nothing to add up
        out = _summary_rows(tally, groups, filters, whole)
    else:
        out = [{} for _ in groups]
    zero = (0,) * len(tally.counts)
    for p_first, p_last in partial:
        for into, counted in zip(out, _source_rows(tally, groups, filters, p_first, p_last)):
            for key, values in counted.items():
                into[key] = tuple(a + b for a, b in zip(into.get(key, zero), values))
    return out


def _source_rows(tally: Tally, groups: list[tuple[str, ...]], filters: Mapping[str, Any],
                 first: dt.date, last: dt.date) -> list[dict[Key, tuple]]:
    """Per grouping, group values → counts of the source rows falling on the days
    first..last (a partial month at the edge of a period), counted as the summary would
    count them, in one statement (core.grouping over the source queryset). The counts
    must be ``Count`` aggregates (with or without ``filter``): each becomes a 0/1 column
    summed per group."""
    flags = {}
    for name, make in tally.counts.items():
        aggregate = make()
        if not isinstance(aggregate, models.Count) or aggregate.distinct:
            raise ValueError(f"{tally.name}.{name}: 部分月份按明细计数只支持 Count")
        flags[f"count_{name}"] = (Case(When(aggregate.filter, then=Value(1)), default=Value(0),
                                       output_field=models.IntegerField())
                                  if aggregate.filter is not None else Value(1))
    # The month as a date in SQL too (a truncated timestamp is made a date only by the
    # ORM's own row conversion, which this statement does not go through).
    month = Cast(tally.month.sql(), output_field=models.DateField())
    rows = (tally.source().order_by().filter(tally.month.span(first, last), **filters)
            .annotate(month=month, **flags).values(*tally.fields, *flags))
    fields = {name: tally.model._meta.get_field(name) for name in tally.fields}
    return grouping.grouped(grouping.Source.of_queryset(rows, fields), groups=groups,
                            counts={n: (f"SUM({connection.ops.quote_name(flag)})", [])
                                    for n, flag in zip(tally.counts, flags)})


def _summary_rows(tally: Tally, groups: list[tuple[str, ...]], filters: Mapping[str, Any],
                  months_in: list[dt.date] | None) -> list[dict[Key, tuple]]:
    """Per grouping, group values → counts (in ``tally.counts`` order), from the summary
    table in one statement (core.grouping). Filters: ``name`` or ``name__in`` on the key
    fields."""
    model = tally.model
    table = model._meta.db_table
    column = connection.ops.quote_name
    fields = {name: model._meta.get_field(name) for name in tally.fields}
    # The groupings name the summary's fields; its columns are the fields' own columns
    # (``responsible_id`` for ``responsible``), so the key names are the column names.
    if any(name != field.column for name, field in fields.items()):
        raise ValueError(f"汇总表 {table} 的键字段名须与列名一致")
    where, where_params = [], []
    for lookup, value in [*filters.items(), *([("month__in", months_in)] if months_in is not None else [])]:
        name, _, op = lookup.partition("__")
        if name not in fields or op not in ("", "in"):
            raise ValueError(f"汇总表 {table} 只能按键字段等于或属于筛选：{lookup}")
        if op == "in":
            values = list(value)
            where.append(f"{column(name)} IN ({', '.join(['%s'] * len(values))})" if values else "1 = 0")
            where_params += values
        else:
            where.append(f"{column(name)} = %s")
            where_params.append(value)
    # The summary holds one row per key: the key fields not pinned to one value by the
    # filters identify a row, and a grouping by all of them reads the rows as they are.
    pinned = {lookup for lookup in filters if "__" not in lookup}
    if months_in is not None and len(months_in) == 1:
        pinned.add("month")
    source = grouping.Source(sql=column(table), params=[], fields=fields,
                             where=" AND ".join(where), where_params=where_params,
                             unique=tuple(f for f in tally.fields if f not in pinned))
    return grouping.grouped(source, groups=groups,
                            counts={n: (f"SUM({column(n)})", []) for n in tally.counts},
                            per_row={n: (column(n), []) for n in tally.counts})
