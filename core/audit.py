"""The audit trail: every service that changes data calls ``audit_record`` in the same
transaction as the change (STYLE: an event row with every transition)."""
from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import re
from typing import Any, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .bulk import copy_rows
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
    "audit.redact": "审计记录脱敏",
    "audit.chain_break": "审计记录完整性校验异常",
    "login.token_revoke": "注销接口令牌",
    "login.lockout_reset": "解除登录锁定",
    "user.password_change": "修改密码",
    "user.password_reset": "重设密码",
    "otp.enable": "启用动态口令",
    "otp.recovery_reset": "重新生成恢复码",
    "otp.recovery_used": "使用恢复码登录",
    "otp.disable": "停用动态口令",
    "system.backup": "备份数据",
    "system.restore": "从备份恢复数据",
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


# A field whose name says it holds a secret (password1, new_password, api_token,
# otp_secret, recovery_codes, secret_key …) is recorded as changed, never with its value:
# the trail is read by every justice-bureau user (/audit/, /api/v1/events/).
SECRET_NAME = re.compile(
    r"password|passwd|pwd|token|secret|recovery_code|(^|_)otp|(^|[_\W])key($|[_\W\d])",
    re.IGNORECASE)
# Values that are secrets whatever their field is called: Django's password hashes.
SECRET_VALUE = re.compile(r"^(pbkdf2_sha256|pbkdf2_sha1|argon2|bcrypt|bcrypt_sha256|scrypt|md5|sha1)\$")
REDACTED = "***"


def is_secret_name(name: Any) -> bool:
    return bool(SECRET_NAME.search(str(name)))


def _hide(value: Any) -> Any:
    # [None, "new"] keeps its shape as [None, "***"]: a creation still reads as one.
    if isinstance(value, (list, tuple)):
        return [_hide(v) for v in value]
    return value if value in (None, "") else REDACTED


def redact(value: Any) -> Any:
    """``value`` with every secret replaced by ``REDACTED``: by key name, and by form."""
    if isinstance(value, dict):
        return {k: _hide(v) if is_secret_name(k) else redact(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(v) for v in value]
    if isinstance(value, str) and SECRET_VALUE.match(value):
        return REDACTED
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
    """Record one change. Secrets never reach the row (``redact``); a target whose key is
    itself a secret (DRF's ``Token``: key and text are the token) is named by its type."""
    target_id = target_repr = ""
    if target is not None:
        if is_secret_name(target._meta.pk.name):
            target_repr = str(target._meta.verbose_name)
        else:
            target_id, target_repr = str(target.pk), str(target)[:200]
    return Event.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        organization=organization,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target_id,
        target_repr=target_repr,
        changes=redact(_plain(changes or {})),
        note=note,
        ip=current_ip.get(),
    )


def audit_record_many(*, actor, verb: str,
                      items: Iterable[tuple[models.Model, Organization | None, dict[str, Any], str]]
                      ) -> int:
    """Record one change on each of many targets of one model in one INSERT — as
    ``audit_record`` would, one event each: ``items`` are (target, organization, changes,
    note). For the writes that come in bulk (an import of 100,000 approval decisions:
    ``make bench ARGS=approvals``); returns how many events were written."""
    model, rows = None, []
    for target, organization, changes, note in items:
        model = model or type(target)
        rows.append((target.pk, str(target), getattr(organization, "pk", None), changes, note))
    return audit_record_rows(actor=actor, verb=verb, model=model, rows=rows) if rows else 0


def audit_record_rows(*, actor, verb: str, model: type[models.Model],
                      rows: Iterable[tuple[Any, str, int | None, dict[str, Any], str]]) -> int:
    """``audit_record_many`` for targets known by their key and text, without their
    instances: ``rows`` are (target pk, target text, organisation pk, changes, note).
    Written by ``core.bulk.copy_rows`` (COPY on PostgreSQL); the same ``changes`` object
    given again is rendered once."""
    content_type = ContentType.objects.get_for_model(model)
    actor_id, ip = (actor.pk if getattr(actor, "pk", None) else None), current_ip.get()
    rendered: dict[int, tuple[dict, dict]] = {}  # id(changes) → (changes, rendered)
    out = []
    for target_id, target_repr, organization_id, changes, note in rows:
        changes = changes or {}
        seen = rendered.get(id(changes))
        if seen is None or seen[0] is not changes:
            seen = rendered[id(changes)] = (changes, redact(_plain(changes)))
        out.append((actor_id, organization_id, verb, content_type.pk, str(target_id),
                    str(target_repr)[:200], seen[1], note, ip))
    copy_rows(Event, ("actor_id", "organization_id", "verb", "target_type_id", "target_id",
                      "target_repr", "changes", "note", "ip"), out)
    return len(out)


def events_for(target: models.Model) -> models.QuerySet[Event]:
    return Event.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor", "organization")
