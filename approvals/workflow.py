"""The path of an approval decision (M14.2): routed by the table to its supervising
department (or left for the bureau when no route matches), claimed by the department
within 2 working days (``approval_claim``), then its supervision is fed back to the bureau
(``approval_feedback``). Recording supervision goes through
``approvals.services.supervision_record``, which calls this table."""
from __future__ import annotations

from core.workflow import Meets, Opens, Transition, Workflow

from .models import Decision, Route, SupervisionRecord
from .models import DecisionStatus as D

CLAIM_RULE = "approval_claim"
FEEDBACK_RULE = "approval_feedback"


def _department(decision: Decision):
    return decision.department


def _has_route(decision: Decision) -> list[str]:
    return ([] if Route.objects.filter(item_type=decision.item_type).exists()
            else ["请先在路由表中为该审批事项类型指定对口监管部门。"])


def _has_record(decision: Decision) -> list[str]:
    # A query of its own: the record may come from a read that prefetched its records.
    return ([] if SupervisionRecord.objects.filter(decision_id=decision.pk).exists()
            else ["请先登记监管检查情况。"])


DECISION_WORKFLOW = Workflow(
    owner=_department,
    transitions=[
        # Pushing follows the routing table: approvals.services.route_save and the intake.
        Transition((D.UNROUTED,), D.PUSHED, "approval.manage", "推送对口监管部门",
                   org=lambda d: d.bureau, guards=(_has_route,),
                   opens=(Opens(CLAIM_RULE, start=lambda d: d.pushed_at),),
                   done="已推送对口监管部门。"),
        Transition((D.PUSHED,), D.CLAIMED, "approval.claim", "认领",
                   meets=(Meets(CLAIM_RULE),), opens=(Opens(FEEDBACK_RULE),),
                   done="已认领，请登记事中事后监管情况。"),
        # Feeding back carries the inspection: approvals.services.supervision_record.
        Transition((D.CLAIMED,), D.FED_BACK, "approval.claim", "反馈监管情况",
                   guards=(_has_record,), meets=(Meets(FEEDBACK_RULE),),
                   done="监管情况已反馈审批局。"),
    ],
)
