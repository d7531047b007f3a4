"""The status of an issued document (core.workflow): it is voided by its issuer or
replaced by a corrected version; nothing else about it ever changes. And the status of
a unit's rectification report on a supervision notice (M7.5)."""
from __future__ import annotations

from core.workflow import Meets, Opens, Transition, Workflow
from deadlines.calendar import end_of_day

from .models import DocumentStatus as S
from .models import RectificationKind
from .models import RectificationStatus as R

DOCUMENT_WORKFLOW = Workflow(
    owner=lambda document: document.issuer,
    transitions=[
        # The number stays used: a voided number is never given again (SPEC, "Documents").
        Transition((S.ISSUED,), S.VOIDED, "document.void", "作废", needs_note=True),
        # Set by documents.services.document_correct in the transaction that issues the
        # new version.
        Transition((S.ISSUED,), S.SUPERSEDED, "document.issue", "签发更正版本"),
    ],
)


def _is_report(report) -> bool:
    return report.kind == RectificationKind.REPORT


def _is_objection(report) -> bool:
    return report.kind == RectificationKind.OBJECTION


def _notice(report):
    return report.notice


# M7.5: rectification is reported and verified. The bureau that issued the notice accepts
# a report (which meets the rectification deadline) or sends it back with a new deadline
# (opened here; the service cancels the old one first), and answers an objection.
RECTIFICATION_WORKFLOW = Workflow(
    owner=lambda report: report.notice.issuer,
    transitions=[
        Transition((R.SUBMITTED,), R.ACCEPTED, "supervision.notice", "验收通过",
                   applies=_is_report, meets=(Meets("rectification", on=_notice),),
                   done="整改情况已验收，整改期限已完成。"),
        Transition((R.SUBMITTED,), R.RETURNED, "supervision.notice", "退回重新整改",
                   applies=_is_report, needs_note=True, secondary=True,
                   opens=(Opens("rectification", on=_notice,
                                responsible=lambda report: report.notice.addressee,
                                due=lambda report: end_of_day(report.new_deadline)),),
                   done="已退回重新整改，新的整改期限已登记督办。"),
        Transition((R.SUBMITTED,), R.ANSWERED, "supervision.notice", "答复异议",
                   applies=_is_objection, needs_note=True, done="已答复异议。"),
    ],
)
