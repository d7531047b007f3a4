"""The ledger's procedure (M3.2, M15.2) and the assistance request's (M3.4, M15.5), on
core.workflow. Steps that carry more than a reason — 转办 (the competent unit), 答复 (how
and when the complainant was told), 归档 (their satisfaction) — are services with a form
of their own that call these tables."""
from __future__ import annotations

from core.workflow import Meets, Opens, Transition, Workflow
from deadlines.services import deadline_open

from .models import AssistanceStatus as A
from .models import ComplaintKind
from .models import ComplaintStatus as S


def _unit(complaint):
    return complaint.unit


def _open_verification(*, obj, actor, transition, source) -> None:
    # A report is verified within 15 working days of its receipt (the national rules
    # count from the report, not from the decision to accept it).
    if obj.kind == ComplaintKind.REPORT:
        deadline_open(target=obj, rule="report_verification", responsible=obj.unit,
                      start=obj.received_at, actor=actor)


def _meet_verification(*, obj, actor, transition, source) -> None:
    if obj.kind == ComplaintKind.REPORT:
        from deadlines.services import deadline_meet

        deadline_meet(target=obj, rule="report_verification", actor=actor)


ACCEPTANCE = Meets("complaint_acceptance")

COMPLAINT_WORKFLOW = Workflow(
    owner=_unit,
    transitions=[
        Transition((S.REGISTERED,), S.ACCEPTED, "complaint.handle", "受理", meets=(ACCEPTANCE,),
                   opens=(Opens("complaint_handling"),), effects=(_open_verification,),
                   done="已受理，办理期限开始计算。"),
        Transition((S.REGISTERED,), S.REJECTED, "complaint.handle", "不予受理", needs_note=True,
                   secondary=True, meets=(ACCEPTANCE,), done="已决定不予受理，理由已记录。"),
        # The competent unit is chosen on a form: services.complaint_transfer.
        Transition((S.REGISTERED,), S.TRANSFERRED, "complaint.handle", "转办", meets=(ACCEPTANCE,),
                   secondary=True, done="已转办，投诉举报人已被告知处理单位。"),
        Transition((S.ACCEPTED,), S.INVESTIGATING, "complaint.handle", "开始调查处理",
                   effects=(_meet_verification,), done="已开始调查处理。"),
        Transition((S.INVESTIGATING,), S.CONCLUDED, "complaint.handle", "办结", needs_note=True,
                   meets=(Meets("complaint_handling"),), opens=(Opens("complaint_answer"),),
                   done="已办结，请在5个工作日内答复投诉举报人。"),
        # How and when the complainant was told: services.complaint_answer.
        Transition((S.CONCLUDED,), S.ANSWERED, "complaint.handle", "答复",
                   meets=(Meets("complaint_answer"),), done="已记录答复情况。"),
        # With the complainant's satisfaction: services.complaint_archive.
        Transition((S.ANSWERED, S.REJECTED), S.ARCHIVED, "complaint.handle", "归档",
                   done="已归档。"),
    ],
)

# Targets the detail page offers through forms of their own.
FORM_STEPS = (S.TRANSFERRED, S.ANSWERED, S.ARCHIVED)

ASSISTANCE_WORKFLOW = Workflow(
    owner=lambda a: a.addressee,
    transitions=[
        # Either answer meets the reply deadline opened with the request.
        Transition((A.REQUESTED,), A.REPLIED, "assistance.handle", "答复", needs_note=True,
                   meets=(Meets("assistance_reply"),), done="已答复协助请求。"),
        Transition((A.REQUESTED,), A.DECLINED, "assistance.handle", "不予协助", needs_note=True,
                   secondary=True, meets=(Meets("assistance_reply"),), done="已答复不予协助。"),
    ],
)
