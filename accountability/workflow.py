"""The procedure of an accountability proceeding (M8): opened by the agency, the fault is
determined (found, with a route — M8.3 —, or not found) within the determination time;
the route's outcome is recorded with its document; a matter reserved to another organ is
recorded as such and closed (M8.4). A claim of lawful performance accepted (M12.3, the
exemption app) closes it as 免责; the exemption app adds its guards to the determination
steps (a pending claim is decided first). Steps that carry text or a file (determination,
outcome, reservation) are services that call this table."""
from __future__ import annotations

from core.workflow import Meets, Transition, Workflow
from deadlines.models import Deadline, DeadlineState
from deadlines.services import deadline_cancel

from .models import ProceedingStatus as S

DETERMINATION_RULE = "accountability_determination"


def _cancel_determination(*, obj, actor, transition, source) -> None:
    # M8.4: a matter reserved to another organ is not processed here, so its time to
    # determine no longer runs (cancelled, not met: nothing was determined).
    from django.contrib.contenttypes.models import ContentType

    for deadline in Deadline.objects.filter(
            target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk),
            rule=DETERMINATION_RULE, state__in=[DeadlineState.OPEN, DeadlineState.OVERDUE]):
        deadline_cancel(deadline=deadline, actor=actor, reason="依法由其他机关处理，不适用本机制")


PROCEEDING_WORKFLOW = Workflow(
    owner=lambda proceeding: proceeding.agency,
    transitions=[
        # accountability.services.proceeding_determine (the determination and the route).
        Transition((S.OPEN,), S.DETERMINED, "accountability.decide", "认定过错责任",
                   meets=(Meets(DETERMINATION_RULE),), done="已认定过错责任。"),
        Transition((S.OPEN,), S.NOT_LIABLE, "accountability.decide", "认定无过错责任",
                   meets=(Meets(DETERMINATION_RULE),), done="已认定无过错责任，不予追究。"),
        # exemption.services.exemption_claim_decide (an accepted claim, M12.3).
        Transition((S.OPEN,), S.EXEMPTED, "accountability.decide", "决定依法履职免责",
                   meets=(Meets(DETERMINATION_RULE),), done="已决定依法履职免责。"),
        # accountability.services.proceeding_conclude (the outcome and its document).
        Transition((S.DETERMINED,), S.CONCLUDED, "accountability.pursue", "登记处理结果",
                   done="已登记处理结果，责任追究办结。"),
        # accountability.services.proceeding_reserve (M8.4).
        Transition((S.OPEN,), S.RESERVED, "accountability.pursue", "登记为不适用本机制",
                   effects=(_cancel_determination,), secondary=True,
                   done="已登记为依法由其他机关处理，不适用本机制。"),
    ],
)
