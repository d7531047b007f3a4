"""The interference records' hash chain (M12.2 存档备查: a record changed, removed or
inserted in the database is found).

Each record is given, when it is written, the next number in the chain, its
predecessor's hash and its own hash over its content and that predecessor's hash
(``digest``) — under a lock, so two officers recording at once never take the same place.
``verify`` recomputes every link through ``core.audit_chain.walk`` (the audit trail's own
walk) and also checks each record's files against the digests it was written with."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from core.audit_chain import GENESIS, Break, walk
from core.models import Attachment

NOUN = "干预记录"
# The content a record's hash covers, in this order (with its number and the previous hash).
FIELDS = ("seq", "created_at", "recorded_by_id", "unit_id", "kind", "interferer_name",
          "interferer_unit", "interferer_position", "interferer_org_id", "method", "occurred_at",
          "demand", "refused", "response", "case_id", "corrects_id", "correction_reason",
          "attachment_digests")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def digest(values: dict[str, Any], prev_hash: str) -> str:
    parts = [prev_hash, *(_text(values[name]) for name in FIELDS)]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def lock() -> None:
    """One writer at a time takes the chain's next place (PostgreSQL; SQLite writes one
    transaction at a time anyway). Held to the end of the caller's transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('exemption_interference_chain'))")


def head(model) -> tuple[int, str]:
    """The last place in the chain and its hash (0 and the genesis hash when empty)."""
    last = model._base_manager.order_by("-seq").values_list("seq", "hash").first()
    return last if last else (0, GENESIS)


def verify() -> list[Break]:
    """Every break in the chain, in chain order (empty: the records are intact)."""
    from .models import InterferenceRecord

    rows = list(InterferenceRecord._base_manager.order_by("seq").values("id", "prev_hash", "hash",
                                                                       *FIELDS))
    breaks = walk(((r["id"], r["seq"], r["prev_hash"], r["hash"],
                    digest(r, r["prev_hash"]) == r["hash"]) for r in rows), noun=NOUN)
    files: dict[str, list[str]] = {}
    for target_id, sha, stored in Attachment.objects.filter(
            target_type=ContentType.objects.get_for_model(InterferenceRecord)
    ).values_list("target_id", "sha256", "file"):
        files.setdefault(target_id, []).append(sha if _file_sha(stored) == sha else "")
    for r in rows:
        if sorted(files.get(str(r["id"]), [])) != sorted(r["attachment_digests"]):
            breaks.append(Break(r["id"], r["seq"], "附件与记录时不符（附件被修改、替换或删除）", NOUN))
    return breaks


def _file_sha(name: str) -> str:
    from django.core.files.storage import default_storage

    h = hashlib.sha256()
    try:
        with default_storage.open(name, "rb") as f:
            for chunk in iter(lambda: f.read(1024 * 1024), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()
