"""The course of an appraisal (M9.4): the bureau fixes the scheme and opens it, scores,
proposes the results to the district government, which approves (recorded) or sends them
back; each unit is told its result; the bureau publishes the numbered 考核结果通报. A
self-assessment (M9.6) and an officer evaluation (M9.7) are filed with the justice bureau
— meeting the unit's recurring duty — and then published."""
from __future__ import annotations

from decimal import Decimal

from core.workflow import Transition, Workflow

from . import indicators
from .models import AppraisalStatus as A, points_text
from .models import Method
from .models import ReportStatus as R


def _scheme_complete(appraisal) -> list[str]:
    items = list(appraisal.items.all())
    if not items:
        return ["请先列出考核指标。"]
    reasons = []
    total = sum((i.weight for i in items), start=Decimal(0))
    if total != 100:
        reasons.append(f"各项指标分值合计须为100分（现为{points_text(total)}分）。")
    missing = [i.title for i in items if i.method == Method.COMPUTED and indicators.get(i.indicator) is None]
    if missing:
        reasons.append(f"以下指标的数据来源尚未接入平台：{'、'.join(missing)}。")
    return reasons


def _all_scored(appraisal) -> list[str]:
    from .selectors import unscored_count  # selectors import this module's models only

    missing = unscored_count(appraisal)
    return [f"尚有 {missing} 项评分未录入。"] if missing else []


def _effect(name: str):
    """An effect that lives in services (it writes results, notices, documents)."""
    def effect(**kwargs) -> None:
        from . import services

        getattr(services, name)(**kwargs)
    effect.__name__ = name
    return effect


_freeze_results = _effect("_results_freeze")
_tell_government = _effect("_government_tell")
_feed_back = _effect("_results_feed_back")
_tell_bureau_returned = _effect("_bureau_tell_returned")
_tell_filed = _effect("_filing_tell")
_tell_published = _effect("_published_tell")
_meet_duty = _effect("_duty_meet")

APPRAISAL_WORKFLOW = Workflow(
    owner=lambda appraisal: appraisal.organizer,
    transitions=[
        Transition((A.DRAFT,), A.OPEN, "appraisal.manage", "开始考核",
                   guards=(_scheme_complete,), done="考核已开始，考核方案不再修改。"),
        Transition((A.OPEN,), A.PROPOSED, "appraisal.manage", "提请区政府审定",
                   guards=(_all_scored,), effects=(_freeze_results, _tell_government),
                   done="考核结果已提请区政府审定。"),
        # The government's opinion is recorded with its approval (M9.4 报本级政府审定).
        Transition((A.PROPOSED,), A.APPROVED, "appraisal.approve", "审定考核结果",
                   org=lambda appraisal: appraisal.government, effects=(_feed_back,), needs_note=True,
                   done="考核结果已审定，并已反馈各被考核单位。"),
        Transition((A.PROPOSED,), A.OPEN, "appraisal.approve", "退回重新评定",
                   org=lambda appraisal: appraisal.government, needs_note=True, secondary=True,
                   effects=(_tell_bureau_returned,), done="已退回区司法局重新评定。"),
        # Publishing carries the numbered 考核结果通报, issued with the move:
        # assessment.services.appraisal_transition.
        Transition((A.APPROVED,), A.PUBLISHED, "appraisal.manage", "公布考核结果",
                   effects=(_tell_published,), done="考核结果已公布，考核结果通报已印发。"),
    ],
)


def _self_assessment_complete(sa) -> list[str]:
    scored = sa.scores.count()
    items = sa.appraisal.items.count()
    return [] if scored >= items else [f"尚有 {items - scored} 项指标未自评。"]


SELF_ASSESSMENT_WORKFLOW = Workflow(
    owner=lambda sa: sa.department,
    transitions=[
        # M9.6: reported to the government and filed with the justice bureau in one step.
        # Filing meets the department's duty of that year (services._duty_meet).
        Transition((R.DRAFT,), R.FILED, "self_assessment.write", "报送区政府并报区司法局备案",
                   guards=(_self_assessment_complete,), effects=(_tell_filed, _meet_duty),
                   done="自评情况已报送区政府并报区司法局备案。"),
        Transition((R.FILED,), R.PUBLISHED, "self_assessment.write", "向社会公开",
                   done="自评情况已向社会公开。"),
    ],
)


def _all_graded(evaluation) -> list[str]:
    if not evaluation.grades.exists():
        return ["本单位没有需要评议的执法人员。"]
    missing = evaluation.grades.filter(grade="").count()
    return [f"尚有 {missing} 名执法人员未评定等次。"] if missing else []


OFFICER_EVALUATION_WORKFLOW = Workflow(
    owner=lambda evaluation: evaluation.department,
    transitions=[
        Transition((R.DRAFT,), R.FILED, "self_assessment.write", "报区司法局备案",
                   guards=(_all_graded,), effects=(_tell_filed, _meet_duty),
                   done="考核评议结果已报区司法局备案。"),
        Transition((R.FILED,), R.PUBLISHED, "self_assessment.write", "向社会公开",
                   done="考核评议结果已向社会公开。"),
    ],
)
