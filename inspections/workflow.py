"""The procedures of a supervision check (M7): a check is planned, started — each unit
checked notified with its materials deadline, unless it is an unannounced visit (M7.4) —,
finished, circulated with its 问题通报 and closed once every instrument's rectification was
accepted (M7.5); a unit provides its materials; a case-file review is completed when every
file is scored; a monitoring lead is dismissed with a reason or turned into a finding."""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from core.workflow import Meets, Opens, Transition, Workflow
from deadlines.models import Deadline, DeadlineState

from .models import CheckStatus as C
from .models import LeadStatus as L
from .models import ReviewStatus as RS
from .models import UnitStatus as U

MATERIALS_RULE = "inspection_materials"
PLAN = "inspection.plan"


def _organizer(obj):
    return obj.organizer


def _has_units(check) -> list[str]:
    return [] if check.unit_rows.exists() else ["请先确定被检查单位。"]


def _has_team(check) -> list[str]:
    return [] if check.team.exists() else ["请先确定检查组成员。"]


def _reviews_done(check) -> list[str]:
    open_reviews = check.reviews.filter(status=RS.SCORING).count()
    return [f"尚有 {open_reviews} 项案卷评查未完成。"] if open_reviews else []


def _rectification_done(check) -> list[str]:
    from documents.models import Document

    documents = check.unit_rows.exclude(instrument=None).values_list("instrument_id", flat=True)
    live = Deadline.objects.filter(
        target_type=ContentType.objects.get_for_model(Document),
        target_id__in=[str(pk) for pk in documents], rule="rectification",
        state__in=[DeadlineState.OPEN, DeadlineState.OVERDUE]).count()
    return [f"尚有 {live} 个单位的整改未验收。"] if live else []


CHECK_WORKFLOW = Workflow(
    owner=_organizer,
    transitions=[
        # Starting notifies each unit and opens its materials deadline (services.check_start).
        Transition((C.PLANNED,), C.UNDERWAY, PLAN, "启动检查", guards=(_has_units, _has_team),
                   done="检查已启动。"),
        Transition((C.PLANNED,), C.CANCELLED, PLAN, "取消检查", needs_note=True, secondary=True,
                   done="检查已取消。"),
        Transition((C.UNDERWAY,), C.FINISHED, PLAN, "结束检查", guards=(_reviews_done,),
                   done="检查已结束，请印发问题通报。"),
        # Circulating issues the numbered 问题通报 (services.check_bulletin_issue).
        Transition((C.FINISHED,), C.CIRCULATED, "supervision.notice", "印发问题通报",
                   done="问题通报已印发至各单位。"),
        Transition((C.CIRCULATED,), C.CLOSED, PLAN, "办结", guards=(_rectification_done,),
                   done="检查已办结。"),
    ],
)


def _check_of(row):
    return row.check_record.organizer


UNIT_WORKFLOW = Workflow(
    owner=lambda row: row.unit,
    transitions=[
        Transition((U.PENDING,), U.ASKED, PLAN, "通知被检查单位", org=_check_of,
                   opens=(Opens(MATERIALS_RULE, responsible=lambda row: row.unit,
                                due=lambda row: row.check_record.materials_due),),
                   done="已通知被检查单位。"),
        # M7.4: the unit provides what is asked; its upload meets the deadline.
        Transition((U.ASKED,), U.PROVIDED, "inspection.provide", "报送检查材料",
                   meets=(Meets(MATERIALS_RULE),), done="检查材料已报送。"),
    ],
)


def _all_scored(review) -> list[str]:
    waiting = review.files.filter(scored_at__isnull=True).count()
    return [f"尚有 {waiting} 件案卷未评分。"] if waiting else []


REVIEW_WORKFLOW = Workflow(
    owner=lambda review: review.check_record.organizer,
    transitions=[
        Transition((RS.SCORING,), RS.DONE, PLAN, "完成评查", guards=(_all_scored,),
                   done="案卷评查已完成。"),
    ],
)

LEAD_WORKFLOW = Workflow(
    # The bureau's own monitoring (M7.3): the justice bureau handles every lead.
    owner=lambda lead: None,
    transitions=[
        Transition((L.OPEN,), L.DISMISSED, "inspection.leads", "排除线索", needs_note=True,
                   secondary=True, done="线索已排除。"),
        # Turning a lead into a finding names the check: services.lead_to_finding.
        Transition((L.OPEN,), L.FINDING, "inspection.leads", "转为检查发现",
                   done="线索已转为检查发现。"),
    ],
)
