"""Counts of one set of rows under several groupings at once, in one SQL statement.

A dashboard shows the same rows per unit, per rule, per month and in total. Asking the
ORM for each grouping costs a query each, and on reads of a few hundred rows building,
compiling and converting an aggregate queryset costs about three times the database's own
work. ``grouped`` writes one statement instead: GROUP BY GROUPING SETS on PostgreSQL (one
scan of the rows for every grouping), a UNION ALL of one SELECT per grouping elsewhere
(SQLite, the embedded default).

The rows come from a ``Source``: a table, or a queryset compiled by the ORM (so a
visibility scope and its filters stay the ORM's), with the fields the groupings may name.
The counts are SQL aggregates over those rows. A grouping by every field of the source's
``unique`` key (a summary table's key, say) would add up one row per group: given each
count's value in a single row (``per_row``), such a grouping reads the rows as they are
and the database aggregates only the others (on the dashboard's deadline summaries this
halves PostgreSQL's time for the read).
"""
from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass
from typing import Mapping, Sequence

from django.db import connection, models
from django.db.models.expressions import Col

Key = tuple


@dataclass(frozen=True)
class Source:
    """Rows to count: ``sql`` is a FROM item (a quoted table name, or "(SELECT …) AS t"),
    ``params`` its parameters, ``where`` an optional condition on it (with ``where_params``),
    and ``fields`` the columns the groupings may name: name → the model field whose
    type the column has (for typed NULLs and the backend's conversions)."""

    sql: str
    params: Sequence
    fields: Mapping[str, models.Field]
    where: str = ""
    where_params: Sequence = ()
    # Fields whose values identify one row (after ``where``): a grouping naming them all
    # groups single rows.
    unique: tuple[str, ...] = ()

    @classmethod
    def of_queryset(cls, qs: models.QuerySet, fields: Mapping[str, models.Field]) -> "Source":
        """The rows of ``qs`` (its own filters and scope) with ``fields`` as columns: ``qs``
        must select exactly those names (``values(...)``)."""
        sql, params = qs.query.sql_with_params()
        return cls(sql=f"({sql}) AS grouped_rows", params=params, fields=fields)


def grouped(source: Source, *, groups: Sequence[tuple[str, ...]],
            counts: Mapping[str, tuple[str, Sequence]],
            per_row: Mapping[str, tuple[str, Sequence]] | None = None) -> list[dict[Key, tuple]]:
    """Per grouping (a tuple of field names; () is the grand total), group values → the
    counts, a tuple in the order of ``counts`` (name → (SQL aggregate, its parameters),
    e.g. ``("COUNT(*)", [])``). The grand total of no rows has NULL sums: they read 0.

    ``per_row``: each count's value in one source row (name → (SQL, parameters), e.g.
    ``SUM("open")`` is ``"open"`` per row), so that a grouping by the source's ``unique``
    fields reads its rows without aggregating them."""
    qn = connection.ops.quote_name
    named = [f for f in source.fields if any(f in g for g in groups)]
    where = f" WHERE {source.where}" if source.where else ""
    from_params = [*source.params, *source.where_params]
    single = [i for i, g in enumerate(groups)
              if per_row is not None and source.unique and set(source.unique) <= set(g)]
    # Typed NULLs for the fields a part leaves out: PostgreSQL types a UNION's column
    # from its first SELECTs.
    nulls = {f: f"CAST(NULL AS {source.fields[f].db_type(connection)})" for f in named}
    if _grouping_sets_supported() and named and len(groups) - len(single) > 1:
        # GROUPING(named…): a bit set for each field the row's grouping leaves out, the
        # first field highest — a grouping's tag; the rows read as they are carry their
        # grouping's tag as a constant.
        def tag(group) -> int:
            return sum(1 << (len(named) - 1 - j) for j, f in enumerate(named) if f not in group)

        cols = [qn(f) for f in named]
        aggregated = [g for i, g in enumerate(groups) if i not in single]
        sets = ", ".join("(" + ", ".join(qn(f) for f in g) + ")" for g in aggregated)
        selects = [(f"SELECT GROUPING({', '.join(cols)}), {', '.join([*cols, *_sql(counts)])} "
                    f"FROM {source.sql}{where} GROUP BY GROUPING SETS ({sets})")]
        params = [*_params(counts), *from_params]
        index_of: dict[int, list[int]] = {}
        for i, group in enumerate(groups):
            index_of.setdefault(tag(group), []).append(i)
        tags = [tag(groups[i]) for i in single]
    else:
        selects, params, tags = [], [], []
        for i, group in enumerate(groups):
            if i in single:
                tags.append(i)
                continue
            keys = [qn(f) if f in group else nulls[f] for f in named]
            select = f"SELECT {i}, {', '.join([*keys, *_sql(counts)])} FROM {source.sql}{where}"
            if group:
                select += " GROUP BY " + ", ".join(qn(f) for f in group)
            selects.append(select)
            params += [*_params(counts), *from_params]
        index_of = {i: [i] for i in range(len(groups))}
    for i, tag_value in zip(single, tags):
        # One source row per group: its values as they are (NULL for the fields the
        # grouping leaves out, as GROUPING SETS gives them).
        keys = [qn(f) if f in groups[i] else nulls[f] for f in named]
        selects.append(f"SELECT {tag_value}, {', '.join([*keys, *_sql(per_row)])} "
                       f"FROM {source.sql}{where}")
        params += [*_params(per_row), *from_params]
    sql = " UNION ALL ".join(selects)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _collect(rows, source, groups, named, index_of)


def _collect(rows, source: Source, groups, named, index_of) -> list[dict[Key, tuple]]:
    # The backend's own conversions of the key columns (SQLite returns dates as text).
    converters = {}
    for name in named:
        col = Col("grouped_rows", source.fields[name])
        fns = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if fns:
            converters[name] = (col, fns)
    width = len(named)
    # Per grouping: the key's values, picked from the row by position (C-speed getters: a
    # dashboard reads a few thousand rows a page).
    keys_of, counts_of = [], operator.itemgetter(slice(1 + width, None))
    for group in groups:
        positions = [1 + named.index(f) for f in group]
        if not positions:
            keys_of.append(lambda row: ())
        elif len(positions) == 1:
            keys_of.append(lambda row, p=positions[0]: (row[p],))
        else:
            keys_of.append(operator.itemgetter(*positions))
    out: list[dict[Key, tuple]] = [{} for _ in groups]
    # The rows of one grouping come in runs (the database emits each grouping set, and
    # each part of a UNION, in turn): a run is put in its dict by C-level iteration.
    for tag, run in itertools.groupby(rows, key=operator.itemgetter(0)):
        run = list(run)
        for i in index_of[tag]:
            if converters:
                for row in run:
                    key = tuple(_convert(converters.get(f), v) for f, v in zip(groups[i], keys_of[i](row)))
                    out[i][key] = counts_of(row)
            else:
                out[i].update(zip(map(keys_of[i], run), map(counts_of, run)))
    for i, group in enumerate(groups):
        if group == () and () in out[i]:
            out[i][()] = tuple(v or 0 for v in out[i][()])
    return out


def _sql(counts: Mapping[str, tuple[str, Sequence]]) -> list[str]:
    return [sql for sql, _p in counts.values()]


def _params(counts: Mapping[str, tuple[str, Sequence]]) -> list:
    return [p for _sql, ps in counts.values() for p in ps]


def _grouping_sets_supported() -> bool:
    return connection.vendor == "postgresql"


def _convert(converter, value):
    if converter is None:
        return value
    col, fns = converter
    for fn in fns:
        value = fn(value, col, connection)
    return value
