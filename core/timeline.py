"""An object's audit timeline as a person reads it: the verb's label, who, for which
unit, and each changed field by its label with its values in Chinese — never raw field
names or UTC ISO strings (beside ``core.audit``, which writes the events)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import models

from . import formats
from .audit import events_for, verb_label
from .models import Event

# Keys some services record that are not model fields.
EXTRA_LABELS: dict[str, str] = {
    "rows": "行数", "due": "届满时间", "provisional": "暂定", "state": "状态",
    "met_at": "完成时间", "number": "文号", "reason": "理由", "file": "文件",
}


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    title: str
    who: str
    organization: str
    note: str
    changes: tuple[Change, ...]


def _value_text(value: Any, field: models.Field | None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return formats.date_text(parsed.date())
        return formats.moment_text(parsed)
    if isinstance(value, list):
        return "、".join(_value_text(v, None) for v in value) or "—"
    return str(value)


def _field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def _label(field, name: str) -> str:
    if isinstance(field, models.Field):
        return str(field.verbose_name)
    if field is not None:  # a reverse relation (a case's "parties"): the related model's name
        return str(field.related_model._meta.verbose_name)
    return EXTRA_LABELS.get(name, "其他")


def _is_due(name: str) -> bool:
    """A time limit's end (``due``, ``new_due`` …): 24:00 reads "…日24时" (core.formats)."""
    return name == "due" or name.endswith("_due")


def _due_value_text(value: Any) -> str:
    if isinstance(value, str) and value[4:5] == "-":
        try:
            return formats.due_text(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return _value_text(value, None)


def change_rows(model: type[models.Model], changes: dict[str, Any]) -> tuple[Change, ...]:
    rows = []
    for name, pair in (changes or {}).items():
        found = _field(model, name)
        label = _label(found, name)
        field = found if isinstance(found, models.Field) else None
        if isinstance(pair, (list, tuple)) and len(pair) == 2:
            before, after = pair
        else:
            before, after = None, pair
        text = _due_value_text if _is_due(name) else (lambda v: _value_text(v, field))
        rows.append(Change(label, text(before), text(after)))
    return tuple(rows)


def entry(event: Event, model: type[models.Model]) -> Entry:
    return Entry(
        at=event.created_at, title=verb_label(event.verb),
        who=str(event.actor) if event.actor_id else "系统",
        organization=event.organization.name if event.organization_id else "",
        note=event.note, changes=change_rows(model, event.changes),
    )


def timeline_for(obj: models.Model) -> list[Entry]:
    """The events on ``obj``, newest first, as the timeline include shows them."""
    return [entry(e, type(obj)) for e in events_for(obj).order_by("-created_at", "-id")]
