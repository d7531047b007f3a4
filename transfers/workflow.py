"""The transfer procedure, one table for the three kinds (the kind guard keeps each
kind on its own path).

M4.2 and M15.1: 草稿 → 已移送 → 已接收 / 已退回 (with reasons) → 草稿 (corrected, sent again).
M4.3 (decree 310): 草稿 → 待负责人审批 (decide within 3 days) → 已批准 (send within 24 hours)
→ 已移送 (police decide on filing within 3 days) → 立案 / 不予立案 → 复议 (answer within 3
days) → 立案 / 不予立案; a filed case ends as 撤销案件 or with the judicial outcome.
"""
from __future__ import annotations

from django.utils import timezone

from core.workflow import Transition, Workflow
from deadlines.rules import RULES, compute_due

from .models import REQUIRED_MATERIALS, Transfer, TransferKind
from .models import TransferStatus as S

K = TransferKind


def _kinds(*kinds: str):
    labels = "、".join(str(K(k).label) for k in kinds)

    def guard(transfer: Transfer) -> list[str]:
        if transfer.kind not in kinds:
            return [f"此操作只适用于“{labels}”。"]
        return []

    guard.kinds = kinds  # read by transfer_actions to hide buttons of other kinds
    return guard


def missing_materials(transfer: Transfer) -> list[str]:
    """M4.2: name each required material that is absent (M15.1: and the basic facts)."""
    present = set(transfer.materials.values_list("material_type", flat=True))
    from .models import MaterialType

    reasons = [f"缺少移送材料：{MaterialType(m).label}。"
               for m in REQUIRED_MATERIALS[transfer.kind] if m not in present]
    if transfer.kind == K.TOWNSHIP and not transfer.basic_facts.strip():
        reasons.append("缺少基本事实的书面说明。")
    return reasons


def evidence_not_confirmed(transfer: Transfer) -> list[str]:
    """M13: a case with unconfirmed evidence cannot be transferred."""
    if transfer.case_id is None:
        return []
    from evidence.selectors import evidence_blockers

    return list(evidence_blockers(transfer.case))


def reconsideration_due(transfer: Transfer):
    """Until when the sender may ask the police to reconsider a refusal: 3 days from
    receiving the 不予立案 notice (decree 310 art. 9), which reaches it in the system when
    the police record the refusal (``answered_at``); counted as deadlines count days
    (deadlines.rules ``reconsideration_request``). None before a refusal."""
    if transfer.answered_at is None:
        return None
    return compute_due(RULES["reconsideration_request"], transfer.answered_at).due


def within_reconsideration_window(transfer: Transfer) -> list[str]:
    due = reconsideration_due(transfer)
    if due is not None and timezone.now() > due:
        return [f"已超过提请复议期限：应自接到不予立案通知书之日起3日内提请复议"
                f"（至 {timezone.localtime(due):%Y-%m-%d %H:%M}）。"]
    return []


def _effects(name: str):
    """Late-bound effect (services import this module)."""

    def effect(**kwargs) -> None:
        from . import services

        getattr(services, name)(**kwargs)

    effect.__name__ = name
    return effect


_sender = lambda t: t.sender  # noqa: E731
_receiver = lambda t: t.receiver  # noqa: E731
SEND_GUARDS = (missing_materials, evidence_not_confirmed)
ADMINISTRATIVE = _kinds(K.COMPETENT, K.TOWNSHIP)
CRIMINAL = _kinds(K.CRIMINAL)

TRANSFER_WORKFLOW = Workflow(
    owner=_sender,
    verb="transition",
    transitions=[
        Transition((S.DRAFT,), S.SENT, "transfer.prepare", "发送移送",
                   guards=(ADMINISTRATIVE, *SEND_GUARDS), effects=(_effects("_on_sent"),)),
        Transition((S.DRAFT,), S.PENDING_APPROVAL, "transfer.prepare", "报请负责人审批",
                   guards=(CRIMINAL, *SEND_GUARDS), effects=(_effects("_on_reported"),)),
        Transition((S.DRAFT,), S.CANCELLED, "transfer.prepare", "撤销移送草稿", needs_note=True,
                   effects=(_effects("_on_cancelled"),)),
        Transition((S.PENDING_APPROVAL,), S.APPROVED, "transfer.approve", "批准移送",
                   guards=(CRIMINAL,), effects=(_effects("_on_approved"),)),
        Transition((S.PENDING_APPROVAL,), S.CANCELLED, "transfer.approve", "不批准移送",
                   needs_note=True, effects=(_effects("_on_cancelled"),)),
        Transition((S.APPROVED,), S.SENT, "transfer.prepare", "移送公安机关",
                   guards=(CRIMINAL, *SEND_GUARDS), effects=(_effects("_on_sent"),)),
        Transition((S.SENT,), S.ACCEPTED, "transfer.receive", "接收", org=_receiver,
                   guards=(ADMINISTRATIVE,), effects=(_effects("_on_answered"),)),
        Transition((S.SENT,), S.RETURNED, "transfer.receive", "退回", org=_receiver,
                   guards=(ADMINISTRATIVE,), needs_note=True,
                   effects=(_effects("_on_answered"),)),
        Transition((S.RETURNED,), S.DRAFT, "transfer.prepare", "补正后重新办理",
                   guards=(ADMINISTRATIVE,)),
        Transition((S.SENT,), S.FILED, "transfer.police_decide", "立案", org=_receiver,
                   guards=(CRIMINAL,), effects=(_effects("_on_filing_decided"),)),
        Transition((S.SENT,), S.NOT_FILED, "transfer.police_decide", "不予立案", org=_receiver,
                   guards=(CRIMINAL,), needs_note=True,
                   effects=(_effects("_on_filing_decided"),)),
        Transition((S.NOT_FILED,), S.RECONSIDERATION, "transfer.prepare", "申请复议",
                   guards=(CRIMINAL, lambda t: ["已申请过复议。"] if t.reconsidered else [],
                           within_reconsideration_window),
                   needs_note=True, effects=(_effects("_on_reconsideration"),)),
        Transition((S.RECONSIDERATION,), S.FILED, "transfer.police_decide", "复议后立案",
                   org=_receiver, guards=(CRIMINAL,),
                   effects=(_effects("_on_reconsideration_answered"),)),
        Transition((S.RECONSIDERATION,), S.NOT_FILED, "transfer.police_decide", "维持不予立案",
                   org=_receiver, guards=(CRIMINAL,), needs_note=True,
                   effects=(_effects("_on_reconsideration_answered"),)),
        Transition((S.FILED,), S.DROPPED, "transfer.police_decide", "撤销案件", org=_receiver,
                   guards=(CRIMINAL,), needs_note=True),
        Transition((S.FILED,), S.CONCLUDED, "transfer.prepare", "登记司法处理结果",
                   guards=(CRIMINAL,)),
    ],
)

# Targets whose outcome is recorded by a dedicated service (the outcome choice).
OUTCOME_TARGETS = {S.CONCLUDED}
