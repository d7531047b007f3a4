"""The case procedure: 立案 → 调查取证 → (法制审核) → 决定 → 执行 → 结案.

Other apps attach entry guards and effects (``CASE_WORKFLOW.add_entry_guard``): evidence
blocks 决定 and 结案 while an item is unconfirmed (M13), a pending criminal transfer blocks
决定 (M4.4), a closed penalty on a party member opens a discipline referral (M10.3).
"""
from __future__ import annotations

from django.utils import timezone

from core.workflow import Transition, Workflow

from . import tallies
from .models import CaseStatus as S
from .models import EnforcementCase


def _major_needs_review(case: EnforcementCase) -> list[str]:
    # Three systems (国办发〔2018〕118号): a major enforcement decision is made only after
    # the legal review 法制审核.
    if case.is_major_decision:
        return ["该案属于重大执法决定，须先经法制审核后才能作出决定（重大执法决定法制审核制度）。"]
    return []


DECISION_MISSING = "尚未记录处理决定（决定日期和决定内容），请在案件页面点击“作出决定”填写。"


def _decision_recorded(case: EnforcementCase) -> list[str]:
    # cases.services.case_record_decision sets the decision on the object before moving it,
    # so a bare "作出决定" without a decision is refused here.
    if not case.decision_date or not case.decision_summary.strip():
        return [DECISION_MISSING]
    return []


def _set_closed_on(*, obj: EnforcementCase, actor, transition, source) -> None:
    """结案 writes the closing date in the same transaction as the status."""
    today = timezone.localdate()
    EnforcementCase.objects.filter(pk=obj.pk).update(closed_on=today)
    obj.closed_on = today
    tallies.touch(obj)  # the dashboard's "of them closed"


CASE_WORKFLOW = Workflow(
    owner=lambda case: case.department,
    verb="transition",
    transitions=[
        Transition((S.FILED,), S.INVESTIGATING, "case.handle", "开始调查取证"),
        Transition((S.INVESTIGATING,), S.LEGAL_REVIEW, "case.handle", "提交法制审核"),
        Transition((S.LEGAL_REVIEW,), S.INVESTIGATING, "case.legal_review", "法制审核退回补充调查",
                   needs_note=True, secondary=True, done="已退回补充调查。"),
        Transition((S.LEGAL_REVIEW,), S.DECIDED, "case.decide", "法制审核通过，作出决定",
                   guards=(_decision_recorded,), done="法制审核已通过，已作出决定。"),
        Transition((S.INVESTIGATING,), S.DECIDED, "case.decide", "作出决定",
                   guards=(_major_needs_review, _decision_recorded)),
        Transition((S.DECIDED,), S.EXECUTING, "case.handle", "开始执行"),
        Transition((S.DECIDED, S.EXECUTING), S.CLOSED, "case.decide", "结案",
                   effects=(_set_closed_on,)),
    ],
)
