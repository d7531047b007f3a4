"""The accountability source of M14.4 (M8.1, accountability/sources.py): what the
non-cooperation list shows (approvals.selectors.non_cooperation) is not a record of its own,
so each row is pursued on the record it is about — the decision not claimed or not fed back
in time (its page links back), or the department's part of an agreed matter not carried
out (shown on the matter's page). The department concerned pursues its officers (M8.1
各级行政执法机关为责任追究机关); the justice bureau supervises the proceeding."""
from __future__ import annotations


def _decisions(user):
    from accountability.source_kinds import _agencies

    from .selectors import uncooperative_decisions

    return uncooperative_decisions().filter(department_id__in=_agencies(user)).select_related("department")


def _assignments(user):
    from accountability.source_kinds import _agencies

    from .selectors import unexecuted_assignments

    return unexecuted_assignments().filter(department_id__in=_agencies(user)).select_related(
        "department", "resolution")


def _decision_officers(decision):
    from core.models import User

    if decision.claimed_by_id:  # claimed: whoever claimed it was to feed back
        return User.objects.filter(pk=decision.claimed_by_id)
    return User.objects.filter(memberships__organization=decision.department_id, is_active=True).distinct()


def register_all() -> None:
    from accountability import sources
    from core.models import User
    from meetings.models import Assignment, Resolution

    from .models import Decision
    from .selectors import missing_text

    sources.register(sources.SourceKind(
        key="approval_non_cooperation", label="审批监管不配合（逾期未认领、未反馈监管情况）", model=Decision,
        candidates=_decisions, agency=lambda d: d.department, officers=_decision_officers,
        describe=lambda d: f"审批决定{d.number}（{missing_text(d)}）", order=50))
    sources.register(sources.SourceKind(
        key="approval_resolution_not_done", label="未执行审批监管联席会议议定事项", model=Assignment,
        candidates=_assignments, agency=lambda a: a.department,
        officers=lambda a: User.objects.filter(memberships__organization=a.department_id,
                                               is_active=True).distinct(),
        describe=lambda a: f"议定事项“{a.resolution.title}”逾期未反馈落实情况", order=60,
        shown_on=(Resolution, "resolution_id")))
