"""The transfer procedure, one table for the three kinds (``applies`` keeps each kind on
its own path: a step of another kind is neither shown nor allowed).

M4.2 and M15.1: 草稿 → 已移送 → 已接收 / 已退回 (with reasons) → 草稿 (corrected, sent again);
M4.4: the competent department may decide not to file (接收部门不予立案).
M4.3 (decree 310): 草稿 → 待负责人审批 (decide within 3 days) → 已批准 (send within 24 hours)
→ 已移送 (police decide on filing within 3 days) → 立案 / 不予立案 → 复议 (answer within 3
days) or 检察院立案监督 → 立案 / 不予立案; a filed case ends as 撤销案件 or with the judicial
outcome. Every decision of another organ is recorded with its document (OUTCOME_TARGETS).
"""
from __future__ import annotations

from django.utils import timezone

from core import formats
from core.workflow import Meets, Opens, Transition, Workflow
from deadlines.rules import RULES, compute_due

from . import effects
from .models import REQUIRED_MATERIALS, MaterialType, Transfer, TransferKind
from .models import TransferStatus as S

K = TransferKind


def decision_made(case) -> bool:
    """M4.4: whether the department already made its administrative decision."""
    return bool(case is not None and case.decision_date)


def required_materials(transfer: Transfer) -> tuple[str, ...]:
    """M4.2/M4.3: the kind's materials; M4.4: a decision already made travels with the
    transfer as its 行政执法决定书."""
    required = REQUIRED_MATERIALS[transfer.kind]
    if decision_made(transfer.case):
        required = (*required, MaterialType.ADMINISTRATIVE_DECISION)
    return required


def missing_materials(transfer: Transfer) -> list[str]:
    """M4.2: name each required material that is absent (M15.1: and the basic facts).
    A letter that was voided counts as absent."""
    present = set(transfer.materials.exclude(document__status="voided")
                  .values_list("material_type", flat=True))
    reasons = [f"缺少移送材料：{MaterialType(m).label}。"
               for m in required_materials(transfer) if m not in present]
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
                f"（至{formats.due_text(due)}）。"]
    return []


def is_criminal(transfer: Transfer) -> bool:
    return transfer.kind == K.CRIMINAL


def is_competent(transfer: Transfer) -> bool:
    return transfer.kind == K.COMPETENT


def is_administrative(transfer: Transfer) -> bool:
    """M4.2 and M15.1: a transfer the receiver accepts or returns."""
    return transfer.kind != K.CRIMINAL


def not_reconsidered(transfer: Transfer) -> list[str]:
    return ["已申请过复议。"] if transfer.reconsidered else []


def supervision_not_requested(transfer: Transfer) -> list[str]:
    return ["已建议检察院立案监督。"] if transfer.supervision_requested else []


def _anywhere(transfer: Transfer):
    """A capability held for any unit: the procuratorate or the justice bureau records
    a judicial outcome, whichever of their units it is (M4.4)."""
    return None


def _sender(transfer: Transfer):
    return transfer.sender


def _receiver(transfer: Transfer):
    return transfer.receiver


def _sent_at(transfer: Transfer):
    return transfer.sent_at or timezone.now()


SEND_GUARDS = (missing_materials, evidence_not_confirmed)
# Decree 310 timers: the head decides within 3 days of the report; an approved transfer
# reaches the police within 24 hours; the police decide on filing within 3 days; a
# reconsideration is answered within 3 days. M4.2: the receiver accepts or returns
# within 3 working days. M15.1: the township timer runs from discovery to sending.
HEAD_DECIDES = Opens("criminal_transfer_decision")
HEAD_DECIDED = Meets("criminal_transfer_decision")
SEND_WITHIN_24H = Opens("criminal_transfer_send")
POLICE_DECIDE = Opens("police_filing_decision", responsible=_receiver, start=_sent_at)
POLICE_DECIDED = Meets("police_filing_decision")
RECEIVER_ANSWERS = Opens("transfer_acceptance", responsible=_receiver, start=_sent_at)
RECEIVER_ANSWERED = Meets("transfer_acceptance")
RECONSIDERATION_ANSWER = Opens("reconsideration_answer", responsible=_receiver)
RECONSIDERATION_ANSWERED = Meets("reconsideration_answer")
TOWNSHIP_TIMERS = (Meets("township_transfer"), Meets("township_transfer_urgent"))

TRANSFER_WORKFLOW = Workflow(
    owner=_sender,
    verb="transition",
    transitions=[
        Transition((S.DRAFT,), S.SENT, "transfer.prepare", "发送移送", applies=is_administrative,
                   guards=SEND_GUARDS, meets=TOWNSHIP_TIMERS, opens=(RECEIVER_ANSWERS,),
                   effects=(effects.on_sent,), done="已移送。"),
        Transition((S.DRAFT,), S.PENDING_APPROVAL, "transfer.prepare", "报请负责人审批",
                   applies=is_criminal, guards=SEND_GUARDS, opens=(HEAD_DECIDES,),
                   done="已报请负责人审批。"),
        Transition((S.DRAFT,), S.CANCELLED, "transfer.prepare", "撤销移送草稿", needs_note=True,
                   secondary=True, effects=(effects.on_cancelled,), done="移送草稿已撤销。"),
        Transition((S.PENDING_APPROVAL,), S.APPROVED, "transfer.approve", "批准移送",
                   applies=is_criminal, meets=(HEAD_DECIDED,), opens=(SEND_WITHIN_24H,),
                   done="已批准移送，请于24小时内移送公安机关。"),
        Transition((S.PENDING_APPROVAL,), S.CANCELLED, "transfer.approve", "不批准移送",
                   applies=is_criminal, needs_note=True, secondary=True, meets=(HEAD_DECIDED,),
                   effects=(effects.on_cancelled,)),
        Transition((S.APPROVED,), S.SENT, "transfer.prepare", "移送公安机关", applies=is_criminal,
                   guards=SEND_GUARDS, meets=(Meets("criminal_transfer_send"),),
                   opens=(POLICE_DECIDE,), effects=(effects.on_sent,), done="已移送公安机关。"),
        Transition((S.SENT,), S.ACCEPTED, "transfer.receive", "接收", org=_receiver,
                   applies=is_administrative, meets=(RECEIVER_ANSWERED,),
                   effects=(effects.tell_sender,)),
        Transition((S.SENT,), S.RETURNED, "transfer.receive", "退回", org=_receiver,
                   applies=is_administrative, needs_note=True, secondary=True,
                   meets=(RECEIVER_ANSWERED,), effects=(effects.tell_sender,)),
        # M4.4 接收部门决定不予立案: recorded with its decision (outcome form).
        Transition((S.SENT,), S.REFUSED, "transfer.receive", "决定不予立案", org=_receiver,
                   applies=is_competent, meets=(RECEIVER_ANSWERED,),
                   effects=(effects.tell_sender,), done="已登记接收部门不予立案的决定。"),
        Transition((S.RETURNED,), S.DRAFT, "transfer.prepare", "补正后重新办理",
                   applies=is_administrative, done="已退回草稿，请补正后重新发送。"),
        Transition((S.SENT,), S.FILED, "transfer.police_decide", "立案", org=_receiver,
                   applies=is_criminal, meets=(POLICE_DECIDED,), effects=(effects.tell_sender,)),
        Transition((S.SENT,), S.NOT_FILED, "transfer.police_decide", "不予立案", org=_receiver,
                   applies=is_criminal, meets=(POLICE_DECIDED,), effects=(effects.tell_sender,)),
        Transition((S.NOT_FILED,), S.RECONSIDERATION, "transfer.prepare", "申请复议",
                   applies=is_criminal, guards=(not_reconsidered, within_reconsideration_window),
                   needs_note=True, opens=(RECONSIDERATION_ANSWER,),
                   effects=(effects.tell_receiver,), done="已申请复议。"),
        Transition((S.RECONSIDERATION,), S.FILED, "transfer.police_decide", "复议后立案",
                   org=_receiver, applies=is_criminal, meets=(RECONSIDERATION_ANSWERED,),
                   effects=(effects.tell_sender,), done="复议后已立案。"),
        Transition((S.RECONSIDERATION,), S.NOT_FILED, "transfer.police_decide", "维持不予立案",
                   org=_receiver, applies=is_criminal, meets=(RECONSIDERATION_ANSWERED,),
                   effects=(effects.tell_sender,)),
        # Decree 310 art. 9 / M4.4: the sender may also ask the procuratorate to supervise
        # the refusal; until it answers, the department may not decide.
        Transition((S.NOT_FILED,), S.FILING_SUPERVISION, "transfer.prepare", "建议检察院立案监督",
                   applies=is_criminal, guards=(supervision_not_requested,), needs_note=True,
                   secondary=True, effects=(effects.tell_procuratorate,),
                   done="已建议检察院立案监督。"),
        Transition((S.FILING_SUPERVISION,), S.FILED, "transfer.police_decide", "经立案监督立案",
                   org=_receiver, applies=is_criminal, effects=(effects.tell_sender,),
                   done="经立案监督已立案。"),
        Transition((S.FILING_SUPERVISION,), S.NOT_FILED, "transfer.supervise", "立案监督后维持不予立案",
                   org=_anywhere, applies=is_criminal, effects=(effects.tell_sender,),
                   done="已登记立案监督结果。"),
        Transition((S.FILED,), S.DROPPED, "transfer.police_decide", "撤销案件", org=_receiver,
                   applies=is_criminal, effects=(effects.tell_sender,)),
        Transition((S.FILED,), S.CONCLUDED, "transfer.supervise", "登记司法处理结果",
                   org=_anywhere, applies=is_criminal, effects=(effects.tell_sender,),
                   done="司法处理结果已登记。"),
    ],
)

# M4.4: steps that record a decision of the receiver, the police, the procuratorate or a
# court — each with its document, through the outcome form, never a plain button.
OUTCOME_TARGETS = (S.REFUSED, S.NOT_FILED, S.DROPPED, S.CONCLUDED)
