"""Status tables of the M15 records (core.workflow: one mechanism)."""
from __future__ import annotations

from core.workflow import Transition, Workflow

from .models import DisputeStatus


def _needs_negotiation(dispute) -> list[str]:
    if not dispute.negotiation.strip():
        return ["须先记录双方协商情况。"]
    return []


def _government(dispute):
    from core.models import Organization, OrgKind

    return Organization.objects.filter(kind=OrgKind.GOVERNMENT, is_active=True).first()


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
