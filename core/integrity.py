"""A unique constraint that a user's request runs into, answered as the user's mistake.

The services check a value is free before they write it (``_check_number_free`` …), but
two requests can both pass that check and race to the insert: the loser's database error
would be a 500 ("您的操作未完成") that invites a retry. Here such an error becomes one
Chinese sentence naming what is already taken — a 400 from the API (``core.drf``) and
from the pages (``core.middleware.UniqueViolationMiddleware``)."""
from __future__ import annotations

import re

from django.apps import apps
from django.db import IntegrityError, models

UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE
_PG_KEY = re.compile(r"Key \((?P<columns>[^)]*)\)=")
_SQLITE = re.compile(r"UNIQUE constraint failed: (?P<columns>.+)$")


def _model_for_table(table: str) -> type[models.Model] | None:
    return next((m for m in apps.get_models() if m._meta.db_table == table), None)


def _labels(model: type[models.Model], columns: list[str]) -> list[str]:
    by_column = {f.column: f for f in model._meta.concrete_fields}
    return [str(by_column[c].verbose_name) for c in columns if c in by_column]


def _violation(exc: IntegrityError) -> tuple[type[models.Model] | None, list[str]] | None:
    cause = exc.__cause__
    if getattr(cause, "pgcode", None) == UNIQUE_VIOLATION:
        diag = cause.diag
        model = _model_for_table(diag.table_name or "")
        match = _PG_KEY.search(diag.message_detail or "")
        columns = [c.strip() for c in match["columns"].split(",")] if match else []
        return model, columns
    match = _SQLITE.search(str(exc))
    if match:
        pairs = [c.strip().split(".", 1) for c in match["columns"].split(",")]
        model = _model_for_table(pairs[0][0]) if pairs and len(pairs[0]) == 2 else None
        return model, [p[-1] for p in pairs]
    return None


def unique_violation_message(exc: BaseException) -> str | None:
    """The sentence for a unique-constraint error, or None for any other error."""
    if not isinstance(exc, IntegrityError):
        return None
    found = _violation(exc)
    if found is None:
        return None
    model, columns = found
    labels = _labels(model, columns) if model is not None else []
    what = f"{model._meta.verbose_name}的" if model is not None else ""
    fields = f"“{'、'.join(labels)}”" if labels else "内容"
    return f"{what}{fields}与已有记录重复，未能保存。可能有人刚刚提交了相同的内容，请刷新后核对。"
