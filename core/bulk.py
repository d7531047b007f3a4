"""Writing many rows of one model at once, faster than ``bulk_create`` on PostgreSQL: the
primary keys are drawn from the table's sequence in one query and the rows go in by
``COPY … FROM STDIN`` (psycopg2's ``copy_expert``) — no SQL to compile per row, no value
prepared field by field. Elsewhere (SQLite) it is ``bulk_create``. For the writes that come
in bulk: an import of 100,000 approval decisions with their audit events and claim
deadlines (``make bench ARGS=approvals``)."""
from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import uuid
from typing import Sequence

from django.db import connection, models
from django.utils import timezone

# Field types whose Python value COPY's text format takes as it is written here; a model
# with any other concrete field is written by bulk_create (its conversion may matter).
_PLAIN = (models.AutoField, models.BigAutoField, models.CharField, models.TextField,
          models.IntegerField, models.BooleanField, models.DateField, models.DateTimeField,
          models.DecimalField, models.ForeignKey, models.JSONField, models.GenericIPAddressField,
          models.UUIDField, models.FloatField)
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
CHUNK = 5000


def _formatter(field: models.Field):
    """The function writing one value of ``field`` in COPY's text format (``\\N`` for NULL)."""
    def plain(value) -> str:
        if value is None:
            return r"\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, dt.datetime):
            if timezone.is_naive(value):
                raise ValueError(f"{field.name}: naive datetime {value!r}")
            return value.isoformat()
        if isinstance(value, (dt.date, int, float, decimal.Decimal, uuid.UUID)):
            return str(value)
        return str(value).translate(_ESCAPES)

    def text(value) -> str:
        if value.__class__ is str:  # the common case, first
            return value.translate(_ESCAPES)
        return plain(value)

    last: list = [None, ""]  # the value written last and its text: audit events repeat one

    def as_json(value) -> str:
        if value is None:
            return r"\N"
        if value is not last[0]:
            last[:] = [value, json.dumps(value, cls=field.encoder, ensure_ascii=False)
                       .translate(_ESCAPES)]
        return last[1]

    def ip(value) -> str:
        return r"\N" if value in (None, "") else str(value)

    if isinstance(field, models.JSONField):
        return as_json
    if isinstance(field, models.GenericIPAddressField):
        return ip
    if isinstance(field, (models.CharField, models.TextField)):
        return text
    return plain


def _text(value, field: models.Field) -> str:
    return _formatter(field)(value)


def _copyable(model: type[models.Model]) -> bool:
    """PostgreSQL through psycopg2 (whose cursor has copy_expert), plain fields only."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return not is_psycopg3 and all(isinstance(f, _PLAIN) for f in model._meta.concrete_fields)


def copy_rows(model: type[models.Model], columns: Sequence[str],
              rows: Sequence[Sequence]) -> list[int]:
    """Insert ``rows`` — each the values of ``columns`` (field attnames: ``actor_id``), in
    that order — as new rows of ``model``; returns their primary keys, in order. A field
    not named takes its default, an ``auto_now``/``auto_now_add`` one the present moment.
    No model ``save`` and no signal runs (as with bulk_create)."""
    if not rows:
        return []
    meta = model._meta
    pk = meta.pk
    named = {meta.get_field(c).attname for c in columns}
    now = timezone.now()
    filled = {}
    for field in meta.concrete_fields:
        if field is pk or field.attname in named:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            filled[field.attname] = now
        else:
            filled[field.attname] = field.get_default()
    if not _copyable(model):
        objs = [model(**dict(zip(columns, row)), **filled) for row in rows]
        return [obj.pk for obj in model.objects.bulk_create(objs, batch_size=CHUNK)]
    fields = [meta.get_field(c) for c in columns]
    formats = [_formatter(f) for f in fields]
    by_attname = {f.attname: f for f in meta.concrete_fields}
    constant = "".join("\t" + _text(value, by_attname[name]) for name, value in filled.items())
    names = [pk.column] + [f.column for f in fields] + [by_attname[n].column for n in filled]
    table = connection.ops.quote_name(meta.db_table)
    sql = (f"COPY {table} ({', '.join(connection.ops.quote_name(n) for n in names)}) "
           "FROM STDIN WITH (FORMAT text)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, pk.column, len(rows)])
        ids = [row[0] for row in cursor.fetchall()]
        raw = cursor.cursor  # psycopg2's own, for copy_expert
        for start in range(0, len(rows), CHUNK):
            buffer = io.StringIO()
            write = buffer.write
            for row, key in zip(rows[start:start + CHUNK], ids[start:start + CHUNK]):
                write(str(key))
                for value, text in zip(row, formats):
                    write("\t")
                    write(text(value))
                write(constant)
                write("\n")
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
    return ids


def bulk_insert(objs: Sequence[models.Model]) -> list[models.Model]:
    """Insert ``objs`` (new instances of one model, primary key unset) and set their
    primary keys, as ``bulk_create`` does (``copy_rows``)."""
    if not objs:
        return list(objs)
    model = type(objs[0])
    meta = model._meta
    now = timezone.now()
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                if getattr(obj, field.attname) is None or field.auto_now:
                    setattr(obj, field.attname, now)
    ids = copy_rows(model, [f.attname for f in fields],
                    [[getattr(obj, f.attname) for f in fields] for obj in objs])
    for obj, key in zip(objs, ids):
        setattr(obj, meta.pk.attname, key)
        obj._state.adding, obj._state.db = False, connection.alias
    return list(objs)
