"""An exemption claim (M12.3) is decided by the agency's head, with reasons: accepted, the
proceeding closes as 依法履职免责; rejected, its fault determination proceeds. While a
claim waits, the proceeding's determination waits for it (entry guards added to the
accountability workflow in ``ExemptionConfig.ready()``)."""
from __future__ import annotations

from core.workflow import Transition, Workflow, transition_apply

from .models import ClaimStatus as C
from .models import ExemptionClaim


def _exempt_the_proceeding(*, obj: ExemptionClaim, actor, transition, source) -> None:
    from accountability.models import ProceedingStatus
    from accountability.workflow import PROCEEDING_WORKFLOW

    transition_apply(workflow=PROCEEDING_WORKFLOW, obj=obj.proceeding,
                     target=ProceedingStatus.EXEMPTED, actor=actor,
                     note=f"依法履职免责：{obj.get_ground_display()}。{obj.decision_reason}",
                     updates={"determined_at": obj.decided_at, "closed_at": obj.decided_at})


CLAIM_WORKFLOW = Workflow(
    owner=lambda claim: claim.proceeding.agency,
    transitions=[
        # exemption.services.exemption_claim_decide (with the reasons).
        Transition((C.PENDING,), C.ACCEPTED, "accountability.decide", "予以免责",
                   effects=(_exempt_the_proceeding,), done="已决定予以免责，责任追究终结。"),
        Transition((C.PENDING,), C.REJECTED, "accountability.decide", "不予免责",
                   secondary=True, done="已决定不予免责，继续认定过错责任。"),
    ],
)


def pending_claim_blocks(proceeding) -> list[str]:
    """Entry guard of the determination steps: a claim waiting is decided first."""
    if proceeding.exemption_claims.filter(status=C.PENDING).exists():
        return ["尚有依法履职免责申请待决定，请先作出免责决定。"]
    return []


def accepted_claim_required(proceeding) -> list[str]:
    """Entry guard of 依法履职免责: only through an accepted claim."""
    if not proceeding.exemption_claims.filter(status=C.ACCEPTED).exists():
        return ["依法履职免责须经免责申请并决定予以免责。"]
    return []
