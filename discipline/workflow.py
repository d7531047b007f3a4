"""The referral's procedure (M10.3): 撰写线索 → 负责人签字 → 用印、附处罚决定书 → 签发移送函并送达
纪检监察机关 → 签收; or 经研判无违纪线索 with the reason."""
from __future__ import annotations

from core.workflow import Transition, Workflow

from .models import DisciplineReferral
from .models import ReferralStatus as S


def _has_leads(referral: DisciplineReferral) -> list[str]:
    return [] if referral.leads.strip() else ["请先填写违纪线索。"]


def _ready_to_send(referral: DisciplineReferral) -> list[str]:
    # M10.3: the leads go signed by the head and sealed, with the penalty decision.
    reasons = []
    if referral.commission_id is None:
        reasons.append("尚未选择接收的纪检监察机关。")
    if referral.seal_confirmed_at is None:
        reasons.append("尚未确认加盖单位公章。")
    if referral.penalty_decision_id is None:
        reasons.append("尚未附行政处罚决定书。")
    return reasons


REFERRAL_WORKFLOW = Workflow(
    owner=lambda referral: referral.department,
    verb="transition",
    transitions=[
        Transition((S.DRAFTING,), S.SIGNING, "referral.write", "提交负责人签字",
                   guards=(_has_leads,)),
        Transition((S.SIGNING,), S.DRAFTING, "referral.sign", "退回修改", needs_note=True),
        Transition((S.SIGNING,), S.SIGNED, "referral.sign", "负责人签字"),
        Transition((S.SIGNED,), S.DELIVERED, "referral.sign", "签发移送函并送达纪检监察机关",
                   guards=(_ready_to_send,)),
        Transition((S.DELIVERED,), S.ACKNOWLEDGED, "referral.acknowledge", "签收",
                   org=lambda referral: referral.commission),
        Transition((S.DRAFTING, S.SIGNING), S.NO_MATTER, "referral.sign", "经研判无违纪线索",
                   needs_note=True),
    ],
)
