"""The procedures of information sharing: an inspection is checked, reported to the
committee, reviewed and circulated (M5.3); a unit's statistics report is submitted (M5.4);
a query is answered or refused on a named ground (M5.5). Steps that carry a form of their
own (the review, the bulletin, the answer) are services that call these tables."""
from __future__ import annotations

from core.workflow import Meets, Transition, Workflow

from .models import InspectionStatus as I
from .models import QueryStatus as Q
from .models import ReportStatus as S
from .models import WebInspection


def _all_checked(inspection: WebInspection) -> list[str]:
    waiting = inspection.results.filter(checked=False).count()
    return [] if not waiting else [f"尚有 {waiting} 个单位未完成巡查。"]


def _reviewed(inspection: WebInspection) -> list[str]:
    return [] if inspection.review_remarks and inspection.reviewed_on else ["请先登记委员会审议意见。"]


def _bulletin(inspection: WebInspection) -> list[str]:
    return [] if inspection.bulletin_id else ["请先签发网上巡查情况通报。"]


def _meet_quarter_duty(*, obj: WebInspection, actor, transition, source) -> None:
    # M5.3: the circulated inspection meets the bureau's duty of its own quarter (not an
    # earlier quarter's row still open: that one is met by its own inspection).
    from deadlines.services import deadline_meet

    deadline_meet(target=obj.bureau, rule="web_inspection", actor=actor, period=obj.period)


INSPECTION_WORKFLOW = Workflow(
    owner=lambda inspection: inspection.bureau,
    transitions=[
        Transition((I.CHECKING,), I.REPORTED, "infosharing.inspect", "报区委全面依法治区委员会审议",
                   guards=(_all_checked,), done="巡查结果已报区委全面依法治区委员会审议。"),
        # Recording the review carries the meeting, date and remarks: services.inspection_review.
        Transition((I.REPORTED,), I.REVIEWED, "infosharing.inspect", "登记委员会审议意见",
                   guards=(_reviewed,), done="已登记委员会审议意见。"),
        # Circulating issues the bulletin and the notices: services.inspection_circulate.
        Transition((I.REVIEWED,), I.CIRCULATED, "infosharing.inspect", "签发通报",
                   guards=(_bulletin,), effects=(_meet_quarter_duty,),
                   done="网上巡查情况通报已印发全区。"),
    ],
)

REPORT_WORKFLOW = Workflow(
    owner=lambda report: report.unit,
    transitions=[
        Transition((S.DRAFT,), S.SUBMITTED, "infosharing.report", "报送统计",
                   meets=(Meets("statistics_report"),), done="统计已报送。"),
    ],
)

QUERY_WORKFLOW = Workflow(
    owner=lambda query: query.addressee,
    transitions=[
        Transition((Q.ASKED,), Q.ANSWERED, "infosharing.query", "答复",
                   meets=(Meets("info_query_answer"),), done="已答复。"),
        Transition((Q.ASKED,), Q.REFUSED, "infosharing.query", "不予提供", secondary=True,
                   meets=(Meets("info_query_answer"),), done="已答复不予提供。"),
    ],
)
