"""Status tables of the M15 records (core.workflow: one mechanism)."""
from __future__ import annotations

from core.workflow import Meets, Transition, Workflow

from .models import AssistanceStatus, ComplaintStatus, DisputeStatus


def _needs_negotiation(dispute) -> list[str]:
    if not dispute.negotiation.strip():
        return ["须先记录双方协商情况。"]
    return []


def _government(dispute):
    from core.models import Organization, OrgKind

    return Organization.objects.filter(kind=OrgKind.GOVERNMENT, is_active=True).first()


COMPLAINT_WORKFLOW = Workflow(
    owner=lambda c: c.receiver,
    transitions=[
        Transition((ComplaintStatus.RECEIVED,), ComplaintStatus.HANDLER_TOLD, "cooperation.handle",
                   "已告知投诉人处理单位"),
        # The handler (the township) reports the result.
        Transition((ComplaintStatus.HANDLER_TOLD,), ComplaintStatus.RESULT_REPORTED,
                   "cooperation.handle", "告知投诉人处理结果并反馈区职能部门",
                   org=lambda c: c.handler, needs_note=True),
    ],
)

ASSISTANCE_WORKFLOW = Workflow(
    owner=lambda a: a.addressee,
    transitions=[
        # M15.5: either answer meets the reply deadline opened with the request.
        Transition((AssistanceStatus.REQUESTED,), AssistanceStatus.REPLIED, "cooperation.handle",
                   "答复", needs_note=True, meets=(Meets("assistance_reply"),)),
        Transition((AssistanceStatus.REQUESTED,), AssistanceStatus.DECLINED, "cooperation.handle",
                   "不予协助", needs_note=True, secondary=True, meets=(Meets("assistance_reply"),)),
    ],
)

DISPUTE_WORKFLOW = Workflow(
    owner=lambda d: d.applicant,
    transitions=[
        Transition((DisputeStatus.NEGOTIATING,), DisputeStatus.SETTLED, "cooperation.handle",
                   "协商一致", guards=(_needs_negotiation,), done="争议已协商解决。"),
        Transition((DisputeStatus.NEGOTIATING,), DisputeStatus.SUBMITTED, "cooperation.handle",
                   "协商不成，报请区政府决定", guards=(_needs_negotiation,),
                   done="已报请区政府决定。"),
        Transition((DisputeStatus.SUBMITTED,), DisputeStatus.DECIDED, "dispute.rule",
                   "区政府决定", org=_government, needs_note=True),
    ],
)
