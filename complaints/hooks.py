"""What the complaints ledger gives other mechanisms, registered in ``ready()``:

- a monitoring lead (M7.3, inspections/leads.py): a complaint or report past any of its
  ledger deadlines (acceptance, handling, verification, answer);
- an accountability source (M8.1, accountability/sources.py): a complaint about one of the
  agency's officers, once concluded, may be pursued by that agency."""
from __future__ import annotations

COMPLAINT_RULES = ("complaint_acceptance", "complaint_handling", "report_verification", "complaint_answer")


def _overdue(threshold, now):
    from inspections.leads import late_deadlines

    return late_deadlines(COMPLAINT_RULES, threshold, now)


def _pursuable(user):
    from accountability.source_kinds import _agencies

    from .models import Complaint, ComplaintStatus

    return Complaint.objects.filter(subject_org_id__in=_agencies(user), subject_officer__isnull=False,
                                    status__in=[ComplaintStatus.CONCLUDED, ComplaintStatus.ANSWERED,
                                                ComplaintStatus.ARCHIVED])


def register_all() -> None:
    from accountability import sources
    from core.models import User
    from inspections import leads

    from .models import Complaint

    leads.register(leads.LeadRule("complaint_overdue", "投诉举报逾期未办", _overdue, "超过办理期限的天数"))
    sources.register(sources.SourceKind(
        key="complaint", label="投诉举报", model=Complaint, candidates=_pursuable,
        agency=lambda c: c.subject_org,
        officers=lambda c: User.objects.filter(pk=c.subject_officer_id),
        # Never the complainant, nor the result's text (举报人保密: the agency is the unit
        # complained about): the entry's number and whom it is about.
        describe=lambda c: f"{c}：反映{c.subject_officer_name or '本单位执法人员'}的问题，经调查已办结",
        order=40))
