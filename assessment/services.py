"""Every write of the appraisal: the scheme (M9.1–M9.3), the bureau's scores with their
basis and evidence (M9.2), reversals entered, the results proposed, approved, fed back and
published with the numbered 考核结果通报 (M9.4), commendation and criticism (M9.5);
the departments' self-assessment (M9.6) and officer evaluation (M9.7); the coordination
office's 工作通报 of poor implementation (W2)."""
from __future__ import annotations

from decimal import Decimal
from typing import BinaryIO, Iterable, Mapping

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import policy
from core.audit import audit_record, diff, snapshot
from core.models import Organization, OrgKind
from core.services import attachment_store
from core.workflow import transition_apply
from deadlines.models import Deadline, DeadlineState
from deadlines.notifications import notification_send
from deadlines.services import deadline_meet
from documents.models import Document
from documents.services import document_issue

from . import indicators, selectors
from .models import (Appraisal, AppraisalStatus, Honour, Item, Method, OfficerEvaluation,
                     OfficerGrade, OfficerGradeChoice, ReportStatus, Result, Reversal, Score,
                     SelfAssessment, SelfScore)
from .workflow import APPRAISAL_WORKFLOW, OFFICER_EVALUATION_WORKFLOW, SELF_ASSESSMENT_WORKFLOW

REPORT_KIND = "appraisal_report"
IMPLEMENTATION_KIND = "implementation_notice"


# --- who may do what (the pages ask the same predicates) -------------------------------
@policy.predicate("修改考核方案")
def may_edit_scheme(user, appraisal: Appraisal) -> bool:
    return (appraisal.status == AppraisalStatus.DRAFT
            and policy.has_capability(user, "appraisal.manage", appraisal.organizer))


@policy.predicate("评分")
def may_score(user, item: Item) -> bool:
    return (item.method == Method.SCORED and item.appraisal.status == AppraisalStatus.OPEN
            and policy.has_capability(user, "appraisal.manage", item.appraisal.organizer))


@policy.predicate("记录表彰或通报批评")
def may_honour(user, appraisal: Appraisal) -> bool:
    return (appraisal.status == AppraisalStatus.APPROVED
            and policy.has_capability(user, "appraisal.manage", appraisal.organizer))


@policy.predicate("填报本单位的考核自评")
def may_write_self_assessment(user, sa: SelfAssessment) -> bool:
    return (sa.status == ReportStatus.DRAFT
            and policy.has_capability(user, "self_assessment.write", sa.department))


@policy.predicate("评定本单位执法人员的等次")
def may_grade(user, evaluation: OfficerEvaluation) -> bool:
    return (evaluation.status == ReportStatus.DRAFT
            and policy.has_capability(user, "self_assessment.write", evaluation.department))


def _organizer_of(actor) -> Organization:
    org = policy.organizations_with(actor, "appraisal.manage").filter(
        kind=OrgKind.JUSTICE_BUREAU).first()
    if org is None:
        policy.require(actor, "appraisal.manage")
        raise ValidationError("考核由区司法局组织。")
    return org


# --- the scheme (M9.1–M9.3) --------------------------------------------------------------
def appraisal_create(*, actor, year: int, title: str = "", copy_from: Appraisal | None = None
                     ) -> Appraisal:
    """The bureau starts a year's appraisal; the scheme may start from an earlier year's
    indicators (``copy_from``)."""
    organizer = _organizer_of(actor)
    government = Organization.objects.filter(kind=OrgKind.GOVERNMENT, is_active=True).first()
    if government is None:
        raise ValidationError("平台中尚无区人民政府，无法提请审定，请联系系统管理员。")
    if Appraisal.objects.filter(year=year).exists():
        raise ValidationError({"year": f"{year}年度的考核已经建立。"})
    appraisal = Appraisal(year=year, title=title.strip() or f"{year}年度依法行政考核",
                          organizer=organizer, government=government, created_by=actor)
    appraisal.full_clean()
    with transaction.atomic():
        appraisal.save()
        if copy_from is not None:
            Item.objects.bulk_create([
                Item(appraisal=appraisal, area=i.area, title=i.title, weight=i.weight,
                     method=i.method, indicator=i.indicator, criteria=i.criteria)
                for i in copy_from.items.all()])
        audit_record(actor=actor, verb="assessment.appraisal.create", target=appraisal,
                     organization=organizer, changes={"year": [None, year]},
                     note=f"沿用{copy_from.year}年度考核指标" if copy_from else "")
    return appraisal


ITEM_FIELDS = ["area", "title", "weight", "method", "indicator", "criteria"]


def _item_check(item: Item) -> None:
    if item.method == Method.COMPUTED:
        if indicators.get(item.indicator) is None:
            raise ValidationError({"indicator": "请选择平台计算的数据来源。"})
    else:
        item.indicator = ""
    item.full_clean()


def item_save(*, actor, appraisal: Appraisal, item: Item | None = None, area: str, title: str,
              weight: Decimal, method: str, indicator: str = "", criteria: str = "") -> Item:
    """Add an indicator to the scheme, or change one — while the scheme is being drawn up."""
    may_edit_scheme.require(actor, appraisal)
    before = snapshot(item, ITEM_FIELDS) if item is not None else {}
    item = item or Item(appraisal=appraisal)
    item.area, item.title, item.weight, item.method = area, title.strip(), weight, method
    item.indicator, item.criteria = indicator, criteria.strip()
    _item_check(item)
    with transaction.atomic():
        item.save()
        audit_record(actor=actor, verb="assessment.item.save", target=appraisal,
                     organization=appraisal.organizer,
                     changes=diff(before, snapshot(item, ITEM_FIELDS)), note=item.title)
    return item


def item_remove(*, actor, item: Item) -> None:
    appraisal = item.appraisal
    may_edit_scheme.require(actor, appraisal)
    with transaction.atomic():
        audit_record(actor=actor, verb="assessment.item.remove", target=appraisal,
                     organization=appraisal.organizer, note=item.title)
        item.delete()


def appraisal_transition(*, actor, appraisal: Appraisal, target: str, note: str = "") -> Appraisal:
    """Open (the units fixed), propose to the government (totals and grades fixed), approve
    or send back (the government), publish (the 考核结果通报 issued)."""
    now = timezone.now()
    updates = {
        AppraisalStatus.PROPOSED: {"proposed_at": now},
        AppraisalStatus.APPROVED: {"approved_at": now, "approved_by": actor,
                                   "approval_note": note.strip()},
        AppraisalStatus.PUBLISHED: {"published_at": now},
    }.get(target, {})
    with transaction.atomic():
        if target == AppraisalStatus.PUBLISHED and appraisal.status == AppraisalStatus.APPROVED:
            # M9.4: the results are published with the numbered 考核结果通报.
            updates["report"] = document_issue(
                kind=REPORT_KIND, issuer=appraisal.organizer, data=_report_data(appraisal),
                target=appraisal, actor=actor,
                title=f"关于{appraisal.year}年度依法行政考核结果的通报")
        if target == AppraisalStatus.OPEN and appraisal.status == AppraisalStatus.DRAFT:
            policy.require(actor, "appraisal.manage", appraisal.organizer)
            appraisal.units.set(selectors.appraised_units())
            updates = {"opened_at": now}
        return transition_apply(workflow=APPRAISAL_WORKFLOW, obj=appraisal, target=target,
                                actor=actor, note=note, updates=updates)


# --- the workflow's effects --------------------------------------------------------------
def _results_freeze(*, obj: Appraisal, actor, **_kwargs) -> None:
    """At the proposal: computed figures become fixed points; each unit's total and grade."""
    unit_ids = list(obj.units.values_list("pk", flat=True))
    sheets = selectors.sheets(obj, unit_ids, live=True)
    now = timezone.now()
    for unit_id, cells in sheets.items():
        for cell in cells:
            if cell.item.method != Method.COMPUTED:
                continue
            Score.objects.update_or_create(item=cell.item, unit_id=unit_id, defaults={
                "points": cell.points or Decimal(0), "value": cell.value, "scored_at": now,
                "scored_by": None, "basis": "", "note": cell.figure})
        total = selectors.total_of(cells)
        Result.objects.update_or_create(appraisal=obj, unit_id=unit_id, defaults={
            "total": total, "grade": selectors.grade_for(total)})


def _government_tell(*, obj: Appraisal, actor, **_kwargs) -> None:
    notification_send(recipients=[obj.government], subject=f"提请审定：{obj}",
                      body="区司法局已提出考核结果，请审定。", target=obj, actor=actor)


def _bureau_tell_returned(*, obj: Appraisal, actor, **_kwargs) -> None:
    notification_send(recipients=[obj.organizer], subject=f"考核结果被退回：{obj}",
                      body="区政府退回考核结果，请重新评定后再次提请审定。", target=obj, actor=actor)


def _results_feed_back(*, obj: Appraisal, actor, **_kwargs) -> None:
    """M9.4 向被考核单位反馈: each unit's inbox gets its own total and grade."""
    now = timezone.now()
    for result in obj.results.select_related("unit"):
        notification_send(recipients=[result.unit], subject=f"{obj}结果反馈",
                          body=f"你单位{obj.year}年度依法行政考核得分{result.total}分，"
                               f"等次为{result.get_grade_display()}。",
                          target=result, actor=actor)
    obj.results.update(fed_back_at=now)
    notification_send(recipients=[obj.organizer], subject=f"考核结果已审定：{obj}",
                      body=obj.approval_note, target=obj, actor=actor)


def _report_data(appraisal: Appraisal) -> dict:
    """What the 考核结果通报 prints: the approval, each unit's total and grade by grade,
    the commended and the criticised (M9.4, M9.5)."""
    results = list(appraisal.results.select_related("unit").order_by("-total", "unit__name"))
    by_grade = {}
    for r in results:
        by_grade.setdefault(r.get_grade_display(), []).append(f"{r.unit.name}（{r.total}分）")
    approved = timezone.localtime(appraisal.approved_at).date() if appraisal.approved_at else None
    return {
        "year": appraisal.year,
        "approved_on": approved.isoformat() if approved else "",
        "units": len(results),
        "grades": [{"grade": g, "units": "、".join(names)} for g, names in by_grade.items()],
        "commended": [f"{r.unit.name}：{r.honour_note}" for r in results if r.honour == Honour.COMMENDED],
        "criticised": [f"{r.unit.name}：{r.honour_note}" for r in results if r.honour == Honour.CRITICISED],
        "results": "、".join(f"{r.unit.name}{r.get_grade_display()}" for r in results),
    }


def _published_tell(*, obj: Appraisal, actor, **_kwargs) -> None:
    document = obj.report
    notification_send(recipients=list(obj.units.all()), subject=f"{obj}结果已公布",
                      body=f"考核结果通报{document.number}已印发。", target=document, actor=actor)


def _filing_tell(*, obj, actor, **_kwargs) -> None:
    """M9.6: a self-assessment reaches the government and the bureau; M9.7: an officer
    evaluation is filed with the bureau."""
    recipients = list(Organization.objects.filter(kind=OrgKind.JUSTICE_BUREAU, is_active=True))
    if isinstance(obj, SelfAssessment):
        recipients.append(obj.appraisal.government)
    notification_send(recipients=recipients, subject=f"报送备案：{obj}", target=obj, actor=actor)


def _duty_meet(*, obj, actor, **_kwargs) -> None:
    """M9.6, M9.7: filing meets the unit's recurring duty of the period it covers — the
    year's self-assessment, the half year's evaluation — not a later period's row (an
    evaluation of the first half filed in the second)."""
    if isinstance(obj, SelfAssessment):
        rule, period = "self_assessment", str(obj.appraisal.year)
    else:
        rule, period = "officer_evaluation", obj.period
    unit = obj.department
    owed = Deadline.objects.filter(target_type=ContentType.objects.get_for_model(unit),
                                   target_id=str(unit.pk), rule=rule, period=period,
                                   state__in=[DeadlineState.OPEN, DeadlineState.OVERDUE])
    # deadline_meet meets the rule's earliest live row: that period's, unless an earlier
    # period's is still live too (deadlines.services takes no period yet).
    if owed.exists():
        deadline_meet(target=unit, rule=rule, actor=actor)


# --- scores (M9.2) -----------------------------------------------------------------------
def score_save(*, actor, item: Item, unit: Organization, points: Decimal, basis: str,
               note: str = "", files: Iterable[tuple[BinaryIO, str, int]] = ()) -> Score:
    """The bureau's points for ``unit`` on a scored item, with how it learnt it (M9.2), its
    note and evidence."""
    may_score.require(actor, item)
    if not item.appraisal.units.filter(pk=unit.pk).exists():
        raise ValidationError("该单位不是本年度被考核单位。")
    if points < 0 or points > item.weight:
        raise ValidationError({"points": f"得分须在0至{item.weight_text}分之间。"})
    if not basis:
        raise ValidationError({"basis": "请选择评分依据。"})
    with transaction.atomic():
        score = Score.objects.select_for_update().filter(item=item, unit=unit).first()
        before = snapshot(score, ["points", "basis", "note"]) if score else {}
        score = score or Score(item=item, unit=unit)
        score.points, score.basis, score.note = points, basis, note.strip()
        score.scored_by, score.scored_at = actor, timezone.now()
        score.full_clean()
        score.save()
        for fileobj, name, size in files:
            attachment_store(actor=actor, organization=item.appraisal.organizer, fileobj=fileobj,
                             name=name, size=size, target=score, description="评分依据材料")
        audit_record(actor=actor, verb="assessment.score.save", target=score,
                     organization=item.appraisal.organizer,
                     changes=diff(before, snapshot(score, ["points", "basis", "note"])))
    return score


def reversal_save(*, actor, year: int, unit: Organization, reconsideration_reversed: int,
                  litigation_lost: int, note: str = "") -> Reversal:
    """The bureau enters a unit's reversals of the year (M9.3 依法化解社会矛盾纠纷)."""
    organizer = _organizer_of(actor)
    appraisal = selectors.appraisal_of_year(year)
    if appraisal is not None and appraisal.status not in (AppraisalStatus.DRAFT, AppraisalStatus.OPEN):
        raise ValidationError("该年度考核结果已提请审定，不能再修改。")
    with transaction.atomic():
        row = Reversal.objects.select_for_update().filter(year=year, unit=unit).first()
        fields = ["reconsideration_reversed", "litigation_lost", "note"]
        before = snapshot(row, fields) if row else {}
        row = row or Reversal(year=year, unit=unit)
        row.reconsideration_reversed, row.litigation_lost = reconsideration_reversed, litigation_lost
        row.note, row.entered_by, row.entered_at = note.strip(), actor, timezone.now()
        row.full_clean()
        row.save()
        audit_record(actor=actor, verb="assessment.reversal.save", target=row, organization=organizer,
                     changes=diff(before, snapshot(row, fields)))
    return row


def result_honour(*, actor, result: Result, honour: str, note: str) -> Result:
    """M9.5: commend a unit of outstanding results, or criticise one that did poorly."""
    may_honour.require(actor, result.appraisal)
    if honour and not note.strip():
        raise ValidationError({"note": "请填写表彰或批评的事由。"})
    with transaction.atomic():
        before = snapshot(result, ["honour", "honour_note"])
        result.honour, result.honour_note = honour, note.strip() if honour else ""
        result.save(update_fields=["honour", "honour_note"])
        audit_record(actor=actor, verb="assessment.result.honour", target=result,
                     organization=result.appraisal.organizer,
                     changes=diff(before, snapshot(result, ["honour", "honour_note"])))
    return result


# --- self-assessment (M9.6) --------------------------------------------------------------
def self_assessment_save(*, actor, appraisal: Appraisal, department: Organization, summary: str,
                         scores: Mapping[int, tuple[Decimal, str]]) -> SelfAssessment:
    """A department writes (or rewrites, until filed) its year-end self-assessment against
    the year's scheme: the report and its points per indicator."""
    if department.kind != OrgKind.DEPARTMENT:
        raise ValidationError("考核自评由行政执法部门填报。")
    policy.require(actor, "self_assessment.write", department)
    if appraisal.status == AppraisalStatus.DRAFT:
        raise ValidationError("本年度考核方案尚未确定，请在考核开始后自评。")
    if not summary.strip():
        raise ValidationError({"summary": "请填写自评报告。"})
    items = {i.pk: i for i in appraisal.items.all()}
    for item_id, (points, _note) in scores.items():
        item = items.get(item_id)
        if item is None or points < 0 or points > item.weight:
            raise ValidationError(f"“{item.title if item else '该指标'}”的自评得分须在0至"
                                  f"{item.weight_text if item else 0}分之间。")
    with transaction.atomic():
        sa = SelfAssessment.objects.select_for_update().filter(
            appraisal=appraisal, department=department).first()
        created = sa is None
        if sa is None:
            sa = SelfAssessment(appraisal=appraisal, department=department, created_by=actor)
        elif not may_write_self_assessment(actor, sa):
            raise ValidationError("自评情况已报送，不能再修改。")
        sa.summary = summary.strip()
        sa.save()
        for item_id, (points, note) in scores.items():
            SelfScore.objects.update_or_create(self_assessment=sa, item_id=item_id,
                                               defaults={"points": points, "note": note.strip()})
        audit_record(actor=actor, verb="assessment.self_assessment.save", target=sa,
                     organization=department, note="填报" if created else "修改")
    return sa


def self_assessment_transition(*, actor, sa: SelfAssessment, target: str) -> SelfAssessment:
    now = timezone.now()
    updates = {"filed_at": now} if target == ReportStatus.FILED else {"published_at": now}
    return transition_apply(workflow=SELF_ASSESSMENT_WORKFLOW, obj=sa, target=target,
                            actor=actor, updates=updates)


# --- officer evaluation (M9.7) -----------------------------------------------------------
def officer_evaluation_create(*, actor, department: Organization, period: str) -> OfficerEvaluation:
    """A department starts the half year's evaluation: one row per officer to grade."""
    policy.require(actor, "self_assessment.write", department)
    if OfficerEvaluation.objects.filter(department=department, period=period).exists():
        raise ValidationError({"period": "本单位该半年度的考核评议已经建立。"})
    officers = list(selectors.officers_of(department))
    if not officers:
        raise ValidationError("本单位没有需要评议的执法人员。")
    evaluation = OfficerEvaluation(department=department, period=period, created_by=actor)
    evaluation.full_clean()
    with transaction.atomic():
        evaluation.save()
        OfficerGrade.objects.bulk_create([OfficerGrade(evaluation=evaluation, officer=o) for o in officers])
        audit_record(actor=actor, verb="assessment.officer_evaluation.create", target=evaluation,
                     organization=department, note=f"执法人员 {len(officers)} 名")
    return evaluation


def officer_evaluation_grade(*, actor, evaluation: OfficerEvaluation,
                             grades: Mapping[int, tuple[str, str]]) -> OfficerEvaluation:
    """The grade and remarks for each officer (officer id → (grade, remarks))."""
    may_grade.require(actor, evaluation)
    valid = set(OfficerGradeChoice.values) | {""}
    rows = {g.officer_id: g for g in evaluation.grades.select_for_update()}
    with transaction.atomic():
        for officer_id, (grade, remarks) in grades.items():
            row = rows.get(officer_id)
            if row is None or grade not in valid:
                raise ValidationError("评议等次无效，请刷新页面后重试。")
            row.grade, row.remarks = grade, remarks.strip()
            row.save(update_fields=["grade", "remarks"])
        audit_record(actor=actor, verb="assessment.officer_evaluation.grade", target=evaluation,
                     organization=evaluation.department, note=f"评定 {len(grades)} 名执法人员")
    return evaluation


def officer_evaluation_transition(*, actor, evaluation: OfficerEvaluation, target: str
                                  ) -> OfficerEvaluation:
    now = timezone.now()
    updates = {"filed_at": now} if target == ReportStatus.FILED else {"published_at": now}
    return transition_apply(workflow=OFFICER_EVALUATION_WORKFLOW, obj=evaluation, target=target,
                            actor=actor, updates=updates)


# --- implementation supervision (W2) -----------------------------------------------------
def implementation_notice_issue(*, actor, unit: Organization, facts: str, requirements: str
                                ) -> Document:
    """W2: the coordination office circulates a unit's poor implementation of the
    mechanisms in a numbered 工作通报, addressed to the unit (严肃问责 follows)."""
    issuer = policy.organizations_with(actor, "implementation.supervise").filter(
        kind__in=[OrgKind.COORDINATION_OFFICE, OrgKind.JUSTICE_BUREAU]).first()
    if issuer is None:
        policy.require(actor, "implementation.supervise")
        raise ValidationError("工作通报由执法协调小组办公室印发。")
    if not facts.strip() or not requirements.strip():
        raise ValidationError("请填写存在的问题和工作要求。")
    with transaction.atomic():
        document = document_issue(
            kind=IMPLEMENTATION_KIND, issuer=issuer, addressee=unit, target=unit, actor=actor,
            title=f"关于{unit.name}落实行政执法协调监督工作机制不力的通报",
            data={"unit": unit.name, "year": timezone.localdate().year, "facts": facts.strip(),
                  "requirements": requirements.strip()})
        audit_record(actor=actor, verb="assessment.implementation_notice.issue", target=unit,
                     organization=issuer, note=document.number)
        notification_send(recipients=[unit], subject=f"工作通报：{document.title}",
                          body=f"{document.number}", target=document, actor=actor)
    return document

