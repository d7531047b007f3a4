"""Writes to evidence: register, change, attach files, remove (M13).

The confirmation state is derived (``evidence.selectors.item_gaps``); each write records in
its audit event whether the item is confirmed after it, so the timeline shows when an
item became confirmed and by whose change.
"""
from __future__ import annotations

from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import CaseStatus, EnforcementCase
from core import policy
from core.audit import audit_record, diff, snapshot
from core.models import Attachment
from core.services import attachment_store

from .models import CHECKLIST_FIELDS, COMMON_FIELDS, EvidenceItem
from .selectors import item_gaps


def _editable_fields(kind: str) -> tuple[str, ...]:
    return COMMON_FIELDS + CHECKLIST_FIELDS[kind]


@policy.predicate("登记、修改或删除该案件的证据")
def may_manage_evidence(user, case: EnforcementCase) -> bool:
    """Officers of the case's department, while the case is open (the page shows the
    forms when this holds; each service below checks it again)."""
    return case.status != CaseStatus.CLOSED and policy.has_capability(
        user, "evidence.manage", case.department)


def _check(actor, case: EnforcementCase) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(f"案件{case.number}已结案，证据不能再增加、修改或删除。")
    policy.require(actor, "evidence.manage", case.department)  # names the unit


def _confirmed_label(item: EvidenceItem) -> str:
    return "已确认" if not item_gaps(item) else "未确认"


def _save(item: EvidenceItem) -> None:
    if not item.has_alterations:
        item.alterations_confirmed = False  # nothing to confirm
    item.full_clean()
    item.save()


def evidence_add(*, actor, case: EnforcementCase, kind: str, data: dict[str, Any]) -> EvidenceItem:
    """Register an evidence item of ``kind`` on ``case`` with its checklist as far as known."""
    _check(actor, case)
    if kind not in CHECKLIST_FIELDS:
        raise ValidationError("请选择证据类型。")
    item = EvidenceItem(case=case, kind=kind, created_by=actor)
    for name in _editable_fields(kind):
        if name in data:
            setattr(item, name, data[name])
    with transaction.atomic():
        _save(item)
        audit_record(actor=actor, verb="evidence.add", target=item, organization=case.department,
                     changes={**diff({}, snapshot(item, _editable_fields(kind))),
                              "confirmation": [None, _confirmed_label(item)]},
                     note=f"案件{case.number}")
    return item


def evidence_update(*, actor, item: EvidenceItem, data: dict[str, Any]) -> EvidenceItem:
    """Change an item's description or checklist (the kind stays: delete and re-add)."""
    case = item.case
    _check(actor, case)
    fields = _editable_fields(item.kind)
    before = snapshot(item, fields)
    state_before = _confirmed_label(item)
    for name in fields:
        if name in data:
            setattr(item, name, data[name])
    with transaction.atomic():
        _save(item)
        changes = diff(before, snapshot(item, fields))
        state_after = _confirmed_label(item)
        if state_after != state_before:
            changes["confirmation"] = [state_before, state_after]
        audit_record(actor=actor, verb="evidence.update", target=item,
                     organization=case.department, changes=changes, note=f"案件{case.number}")
    return item


def evidence_attach(*, actor, item: EvidenceItem, fileobj: BinaryIO, name: str, size: int,
                    description: str = "") -> Attachment:
    """Attach a scan, photo or recording of the evidence (type checked from its bytes)."""
    case = item.case
    _check(actor, case)
    with transaction.atomic():
        state_before = _confirmed_label(item)
        attachment = attachment_store(actor=actor, organization=case.department, fileobj=fileobj,
                                      name=name, size=size, target=item, description=description)
        changes: dict[str, Any] = {"file": [None, attachment.original_name]}
        state_after = _confirmed_label(item)
        if state_after != state_before:
            changes["confirmation"] = [state_before, state_after]
        audit_record(actor=actor, verb="evidence.attach", target=item,
                     organization=case.department, changes=changes, note=f"案件{case.number}")
    return attachment


def evidence_remove(*, actor, item: EvidenceItem, reason: str) -> None:
    """Remove an item registered in error; the reason stays in the audit trail."""
    case = item.case
    _check(actor, case)
    if not reason.strip():
        raise ValidationError("删除证据须说明理由。")
    with transaction.atomic():
        audit_record(actor=actor, verb="evidence.remove", target=case,
                     organization=case.department,
                     changes={"evidence": [str(item), None]}, note=reason.strip())
        item.delete()
