"""The audit trail: every service that changes data calls ``audit_record`` in the same
transaction as the change (STYLE: an event row with every transition)."""
from __future__ import annotations

import contextvars
import datetime as dt
import decimal
from typing import Any, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Event, Organization

# Set by core.middleware.RequestContextMiddleware for the duration of a request, so a
# service need not thread the client's address through every call.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)

# verb → what a person reads in a timeline. Apps add theirs with ``register_verbs``.
VERB_LABELS: dict[str, str] = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "attachment.upload": "上传附件",
    "files.prune": "清理无记录的文件",
    "login.token": "生成接口令牌",
}


def register_verbs(labels: dict[str, str]) -> None:
    VERB_LABELS.update(labels)


def verb_label(verb: str) -> str:
    return VERB_LABELS.get(verb, verb)


def _plain(value: Any) -> Any:
    """A JSON-safe rendering of a field value for the before/after record."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields that changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def audit_record(
    *,
    actor,
    verb: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    organization: Organization | None = None,
    note: str = "",
) -> Event:
    return Event.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        organization=organization,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        changes=_plain(changes or {}),
        note=note,
        ip=current_ip.get(),
    )


def events_for(target: models.Model) -> models.QuerySet[Event]:
    return Event.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor", "organization")
