"""Every write of the supervision checks (M7): planning and running a check (M7.1–M7.4),
its findings, the 问题通报 and each unit's instrument with its rectification deadline
(M7.5), the case-file review, and the handling of monitoring leads (M7.3)."""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from core import formats, policy
from core.audit import audit_record, diff, snapshot
from core.models import Membership, Organization, OrgKind, User
from core.services import attachment_store
from core.workflow import transition_apply
from deadlines.notifications import notification_send
from documents.models import Document
from documents.services import document_issue, supervision_notice_issue
from documents.supervision import INSTRUMENTS

from . import leads as lead_rules
from .documents import INSPECTION_BULLETIN
from .models import (CaseReview, Check, CheckItem, CheckKind, CheckMethod, CheckStatus, CheckUnit,
                     Finding, FindingSource, Lead, LeadStatus, ReviewFile,
                     ReviewScore, ReviewStandard, ReviewStatus, UnitStatus)
from .selectors import CHECKED_KINDS, CN_NUMBERS, checkable_units, plan_locked_text, sample_cases
from .workflow import CHECK_WORKFLOW, LEAD_WORKFLOW, REVIEW_WORKFLOW, UNIT_WORKFLOW

# M7.1: who supervises — the justice bureau for the government, a department inside itself.
ORGANIZER_KINDS = (OrgKind.JUSTICE_BUREAU, OrgKind.DEPARTMENT)


# --- who may do what (the pages ask the same predicates) -------------------------------
@policy.predicate("以该单位名义组织监督检查")
def may_plan(user, organizer: Organization | None = None) -> bool:
    """M7.1: the justice bureau for the government, a department's legal unit inside it."""
    if organizer is None:
        return policy.organizations_with(user, "inspection.plan").filter(
            kind__in=ORGANIZER_KINDS).exists()
    return (organizer.kind in ORGANIZER_KINDS
            and policy.has_capability(user, "inspection.plan", organizer))


@policy.predicate("登记检查发现的问题")
def may_record_findings(user, check: Check) -> bool:
    return (check.status in (CheckStatus.UNDERWAY, CheckStatus.FINISHED)
            and policy.has_capability(user, "inspection.plan", check.organizer))


@policy.predicate("报送检查材料")
def may_provide(user, row: CheckUnit) -> bool:
    return (row.status == UnitStatus.ASKED and row.check_record.status == CheckStatus.UNDERWAY
            and policy.has_capability(user, "inspection.provide", row.unit))


@policy.predicate("印发问题通报")
def may_circulate(user, check: Check) -> bool:
    return (check.status == CheckStatus.FINISHED and check.organizer.kind == OrgKind.JUSTICE_BUREAU
            and policy.has_capability(user, "supervision.notice", check.organizer))


@policy.predicate("签发监督文书")
def may_issue_instrument(user, row: CheckUnit) -> bool:
    """M7.5: for a unit with findings, once the bulletin is out, one instrument."""
    check = row.check_record
    return (check.status == CheckStatus.CIRCULATED and row.instrument_id is None
            and check.findings.filter(unit_id=row.unit_id).exists()
            and policy.has_capability(user, "supervision.notice", check.organizer))


@policy.predicate("开展案卷评查")
def may_review(user, check: Check) -> bool:
    return (check.status == CheckStatus.UNDERWAY
            and policy.has_capability(user, "inspection.plan", check.organizer))


@policy.predicate("评查该案卷")
def may_score(user, file: ReviewFile) -> bool:
    review = file.review
    return (review.status == ReviewStatus.SCORING
            and policy.has_capability(user, "inspection.plan", review.check_record.organizer))


@policy.predicate("将评查结果转为检查发现")
def may_review_to_finding(user, review: CaseReview) -> bool:
    return (review.status == ReviewStatus.DONE and review.finding_id is None
            and may_record_findings(user, review.check_record))


# --- checks (M7.1–M7.4) ------------------------------------------------------------------
def _plan_cleaned(*, organizer: Organization, kind: str, method: str, items: Iterable[str],
                  units: Iterable[Organization], team: Iterable[User], starts_on: dt.date,
                  ends_on: dt.date, field_note: str, materials_request: str,
                  materials_due_on: dt.date | None) -> dict:
    """The plan of a check as check_create and check_update accept it, or the refusal: the
    units (M7.1: any department or township for the justice bureau; the department itself
    and its internal units for its legal unit), the team, and what the units must provide
    by when (M7.4; an unannounced visit tells no one)."""
    items, units, team = list(dict.fromkeys(items)), list(units), list(team)
    errors: dict[str, str] = {}
    if not items or any(i not in CheckItem.values for i in items):
        errors["items"] = "请选择检查内容。"
    allowed = set(checkable_units(organizer).values_list("pk", flat=True))
    if not units:
        errors["units"] = "请选择被检查单位。"
    elif any(u.pk not in allowed for u in units):
        errors["units"] = ("被检查单位须是本区行政执法部门或乡镇（街道）。" if organizer.kind == OrgKind.JUSTICE_BUREAU
                           else "部门法制机构只能检查本部门及其内设机构。")
    staff = set(Membership.objects.filter(organization=organizer, user__is_active=True)
                .values_list("user_id", flat=True))
    if not team:
        errors["team"] = "请确定检查组成员。"
    elif any(u.pk not in staff for u in team):
        errors["team"] = f"检查组成员须是{organizer.name}的工作人员。"
    if ends_on < starts_on:
        errors["ends_on"] = "检查结束日期不能早于开始日期。"
    if kind == CheckKind.SPECIAL and not field_note.strip():
        errors["field_note"] = "专项检查请写明重点领域。"
    if kind == CheckKind.MAJOR and not field_note.strip():
        errors["field_note"] = "重点检查请写明所针对的重大案件。"
    if method != CheckMethod.UNANNOUNCED:
        if not materials_request.strip():
            errors["materials_request"] = "请写明被检查单位需提供的情况和材料。"
        if materials_due_on is None:
            errors["materials_due_on"] = "请确定材料报送期限。"
        elif materials_due_on < timezone.localdate():
            errors["materials_due_on"] = "材料报送期限不能早于今天。"
    else:
        materials_request, materials_due_on = "", None
    if errors:
        raise ValidationError(errors)
    return {"items": items, "units": units, "team": team, "materials_request": materials_request.strip(),
            "materials_due_on": materials_due_on, "field_note": field_note.strip()}


def check_create(*, actor, organizer: Organization, title: str, kind: str, method: str,
                 items: Iterable[str], units: Iterable[Organization], team: Iterable[User],
                 starts_on: dt.date, ends_on: dt.date, field_note: str = "",
                 materials_request: str = "", materials_due_on: dt.date | None = None) -> Check:
    """Plan a check: its kind and method (M7.3), the items of M7.2, the units checked, the
    team, and what the units must provide by when (M7.4) — ``_plan_cleaned``."""
    may_plan.require(actor, organizer)
    plan = _plan_cleaned(organizer=organizer, kind=kind, method=method, items=items, units=units,
                         team=team, starts_on=starts_on, ends_on=ends_on, field_note=field_note,
                         materials_request=materials_request, materials_due_on=materials_due_on)
    items, units, team = plan["items"], plan["units"], plan["team"]
    check = Check(organizer=organizer, title=title.strip(), kind=kind, method=method, items=items,
                  field_note=plan["field_note"], starts_on=starts_on, ends_on=ends_on,
                  materials_request=plan["materials_request"], materials_due_on=plan["materials_due_on"],
                  created_by=actor)
    check.full_clean()
    with transaction.atomic():
        check.save()
        CheckUnit.objects.bulk_create([CheckUnit(check_record=check, unit=u) for u in units])
        check.team.set(team)
        audit_record(actor=actor, verb="inspections.check.create", target=check, organization=organizer,
                     changes={"kind": [None, check.get_kind_display()],
                              "method": [None, check.get_method_display()],
                              "items": [None, check.item_labels],
                              "units": [None, [u.name for u in units]],
                              "team": [None, [str(u) for u in team]]})
    return check


@policy.predicate("修改检查方案")
def may_edit_check(user, check: Check) -> bool:
    """The plan may be changed while it is being settled: once started, the units have been
    notified of it (M7.4) and the findings are recorded against it."""
    return check.status == CheckStatus.PLANNED and may_plan(user, check.organizer)


# The plan's fields a change is recorded for (the units and team are listed by name).
PLAN_FIELDS = ("title", "kind", "method", "field_note", "starts_on", "ends_on", "materials_request",
               "materials_due_on")


def check_update(*, actor, check: Check, title: str, kind: str, method: str, items: Iterable[str],
                 units: Iterable[Organization], team: Iterable[User], starts_on: dt.date,
                 ends_on: dt.date, field_note: str = "", materials_request: str = "",
                 materials_due_on: dt.date | None = None) -> Check:
    """Change a planned check: everything but its organizer, under the rules of
    check_create. Refused once the check has started (the units were notified) or ended."""
    may_plan.require(actor, check.organizer)
    if check.status != CheckStatus.PLANNED:
        raise ValidationError(plan_locked_text(check))
    plan = _plan_cleaned(organizer=check.organizer, kind=kind, method=method, items=items, units=units,
                         team=team, starts_on=starts_on, ends_on=ends_on, field_note=field_note,
                         materials_request=materials_request, materials_due_on=materials_due_on)
    with transaction.atomic():
        check = Check.objects.select_for_update().get(pk=check.pk)
        if check.status != CheckStatus.PLANNED:  # started by someone else meanwhile
            raise ValidationError(plan_locked_text(check))
        before = {**snapshot(check, PLAN_FIELDS), "items": check.item_labels,
                  "units": sorted(check.unit_rows.values_list("unit__name", flat=True)),
                  "team": sorted(str(u) for u in check.team.all())}
        check.title, check.kind, check.method = title.strip(), kind, method
        check.items, check.field_note = plan["items"], plan["field_note"]
        check.starts_on, check.ends_on = starts_on, ends_on
        check.materials_request, check.materials_due_on = plan["materials_request"], plan["materials_due_on"]
        check.full_clean()
        check.save()
        wanted = {u.pk for u in plan["units"]}
        check.unit_rows.exclude(unit_id__in=wanted).delete()
        kept = set(check.unit_rows.values_list("unit_id", flat=True))
        CheckUnit.objects.bulk_create([CheckUnit(check_record=check, unit=u) for u in plan["units"]
                                       if u.pk not in kept])
        check.team.set(plan["team"])
        after = {**snapshot(check, PLAN_FIELDS), "items": check.item_labels,
                 "units": sorted(u.name for u in plan["units"]),
                 "team": sorted(str(u) for u in plan["team"])}
        changes = diff(before, after)
        if changes:
            audit_record(actor=actor, verb="inspections.check.update", target=check,
                         organization=check.organizer, changes=changes)
    return check


def check_start(*, actor, check: Check) -> Check:
    """Start the check: each unit is notified with what to provide and by when — its
    materials deadline opened (M7.4) — unless the check is an unannounced visit (M7.3)."""
    with transaction.atomic():
        transition_apply(workflow=CHECK_WORKFLOW, obj=check, target=CheckStatus.UNDERWAY, actor=actor,
                         updates={"started_at": timezone.now()})
        if check.announced:
            due = formats.due_text(check.materials_due)
            for row in check.unit_rows.select_related("unit", "check_record__organizer"):
                transition_apply(workflow=UNIT_WORKFLOW, obj=row, target=UnitStatus.ASKED, actor=actor)
                notification_send(
                    recipients=[row.unit], subject=f"监督检查通知：{check.title}", target=check,
                    body=f"{check.organizer.name}将于{formats.date_text(check.starts_on)}至"
                         f"{formats.date_text(check.ends_on)}对你单位开展{check.get_kind_display()}。"
                         f"请于{due}前如实提供：{check.materials_request}", actor=actor)
    return check


def check_transition(*, actor, check: Check, target: str, note: str = "") -> Check:
    """Cancel, finish or close a check; starting and circulating have services of their own."""
    if target == CheckStatus.UNDERWAY:
        return check_start(actor=actor, check=check)
    if target == CheckStatus.CIRCULATED:
        raise ValidationError("请通过“印发问题通报”填写通报内容。")
    updates = {}
    if target == CheckStatus.CANCELLED:
        updates = {"cancel_reason": note.strip()}
    elif target == CheckStatus.FINISHED:
        updates = {"finished_at": timezone.now()}
    return transition_apply(workflow=CHECK_WORKFLOW, obj=check, target=target, actor=actor,
                            note=note, updates=updates)


def check_materials_provide(*, actor, row: CheckUnit, note: str, files: Iterable = ()) -> CheckUnit:
    """M7.4: the unit provides what was asked (text and files); its deadline is met and the
    organizer told."""
    may_provide.require(actor, row)
    files = list(files)
    if not note.strip() and not files:
        raise ValidationError({"note": "请填写报送说明或上传材料。"})
    with transaction.atomic():
        for f in files:
            attachment_store(actor=actor, organization=row.unit, fileobj=f, name=f.name, size=f.size,
                             target=row, description="监督检查材料")
        transition_apply(workflow=UNIT_WORKFLOW, obj=row, target=UnitStatus.PROVIDED, actor=actor,
                         note=f"材料 {len(files)} 份",
                         updates={"provided_note": note.strip(), "provided_at": timezone.now()})
        notification_send(recipients=[row.check_record.organizer], target=row.check_record,
                          subject=f"{row.unit.name}已报送检查材料：{row.check_record.title}", actor=actor)
    return row


# --- findings and instruments (M7.5) -------------------------------------------------------
def finding_add(*, actor, check: Check, unit: Organization, item: str, description: str,
                files: Iterable = (), source: str = FindingSource.CHECK) -> Finding:
    """A problem found at ``unit`` under an item of M7.2, with its evidence files."""
    may_record_findings.require(actor, check)
    errors = {}
    if not check.unit_rows.filter(unit=unit).exists():
        errors["unit"] = "该单位不是本次检查的被检查单位。"
    if item not in CheckItem.values:
        errors["item"] = "请选择检查内容。"
    if not description.strip():
        errors["description"] = "请写明发现的问题。"
    if errors:
        raise ValidationError(errors)
    finding = Finding(check_record=check, unit=unit, item=item, description=description.strip(),
                      source=source, created_by=actor)
    finding.full_clean()
    with transaction.atomic():
        finding.save()
        names = [attachment_store(actor=actor, organization=check.organizer, fileobj=f, name=f.name,
                                  size=f.size, target=finding, description="问题证据").original_name
                 for f in files]
        audit_record(actor=actor, verb="inspections.finding.add", target=finding,
                     organization=check.organizer,
                     changes={"item": [None, finding.get_item_display()],
                              **({"files": [None, names]} if names else {})},
                     note=f"{unit.name}：{finding.description}"[:500])
    return finding


def _bulletin_data(check: Check, summary: str, requirements: str) -> dict:
    findings = list(check.findings.select_related("unit").order_by("unit__name", "item", "id"))
    grouped: dict[str, list[dict]] = {}
    for f in findings:
        grouped.setdefault(f.unit.name, []).append({"item": f.get_item_display(), "text": f.description})
    return {
        "check": check.title, "organizer": check.organizer.name,
        "period": f"{formats.date_text(check.starts_on)}至{formats.date_text(check.ends_on)}",
        "kind": check.get_kind_display(), "method": check.get_method_display(),
        "units": [r.unit.name for r in check.unit_rows.select_related("unit")],
        "summary": summary.strip(), "requirements": requirements.strip(),
        "findings": [{"unit": unit, "heading": f"（{CN_NUMBERS[n] if n < 10 else n + 1}）{unit}",
                      "problems": problems} for n, (unit, problems) in enumerate(grouped.items())],
    }


def check_bulletin_issue(*, actor, check: Check, summary: str, requirements: str) -> Document:
    """M7.5: the numbered 问题通报, in the bureau's name, circulated to every unit's inbox."""
    may_circulate.require(actor, check)
    errors = {}
    if not summary.strip():
        errors["summary"] = "请填写检查总体情况。"
    if not requirements.strip():
        errors["requirements"] = "请填写整改要求。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        bulletin = document_issue(kind=INSPECTION_BULLETIN.code, issuer=check.organizer, target=check,
                                  data=_bulletin_data(check, summary, requirements), actor=actor,
                                  title=f"关于{check.title}发现问题的通报"[:200])
        check.bulletin = bulletin
        transition_apply(workflow=CHECK_WORKFLOW, obj=check, target=CheckStatus.CIRCULATED, actor=actor,
                         updates={"bulletin": bulletin}, note=bulletin.number)
        units = Organization.objects.filter(is_active=True, kind__in=CHECKED_KINDS).exclude(
            kind=OrgKind.INTERNAL_UNIT)
        notification_send(recipients=units, subject=f"问题通报：{bulletin.number}《{bulletin.title}》",
                          body="请对照通报问题开展自查自纠。", target=bulletin,
                          url=bulletin.get_absolute_url(), actor=actor)
    return bulletin


def check_instrument_issue(*, actor, row: CheckUnit, kind: str, facts: str, legal_basis: str,
                           rectification: str, deadline: dt.date, report_method: str,
                           contact: str = "") -> Document:
    """M7.5: one of the three instruments of the 条例 to a unit with findings, with its
    rectification deadline (documents.services: the notice's loop serves all three)."""
    may_issue_instrument.require(actor, row)
    if kind not in INSTRUMENTS:
        raise ValidationError({"kind": "请选择监督通知书、监督意见书或监督决定书。"})
    check = row.check_record
    with transaction.atomic():
        document = supervision_notice_issue(
            actor=actor, issuer=check.organizer, addressee=row.unit, facts=facts,
            legal_basis=legal_basis, rectification=rectification, deadline=deadline,
            report_method=report_method, contact=contact, target=check, kind=kind)
        # Claimed like a status: two bureau members never both issue one for the unit.
        if CheckUnit.objects.filter(pk=row.pk, instrument=None).update(instrument=document) != 1:
            raise ValidationError("该单位的监督文书已由他人签发，请刷新页面。")
        row.instrument = document
        audit_record(actor=actor, verb="inspections.instrument.issue", target=row,
                     organization=check.organizer,
                     changes={"instrument": [None, document.number]})
    return document


# --- case-file review ----------------------------------------------------------------------
def review_draw(*, actor, check: Check, department: Organization, closed_from: dt.date,
                closed_to: dt.date, sample_size: int, standard: ReviewStandard | None = None,
                seed: int | None = None) -> CaseReview:
    """Draw the files: a random sample of ``department``'s cases closed in the period,
    stratified by act type, from a recorded seed (given, or drawn now and kept)."""
    may_review.require(actor, check)
    errors = {}
    if not check.unit_rows.filter(unit=department).exists():
        errors["department"] = "被评查单位须是本次检查的被检查单位。"
    if closed_to < closed_from:
        errors["closed_to"] = "结案日期的截止日期不能早于起始日期。"
    if sample_size < 1:
        errors["sample_size"] = "抽取案卷数至少为 1 件。"
    if errors:
        raise ValidationError(errors)
    standard = standard or ReviewStandard.objects.filter(is_default=True).first()
    if standard is None:
        raise ValidationError("尚未设置案卷评查标准。")
    seed = secrets.randbelow(2**62) if seed is None else seed
    cases = sample_cases(department=department, closed_from=closed_from, closed_to=closed_to,
                         size=sample_size, seed=seed)
    if not cases:
        raise ValidationError({"closed_from": f"{department.name}在该期间没有办结的案件。"})
    review = CaseReview(check_record=check, department=department, standard=standard,
                        closed_from=closed_from, closed_to=closed_to, sample_size=len(cases),
                        seed=seed, created_by=actor)
    with transaction.atomic():
        review.save()
        ReviewFile.objects.bulk_create([ReviewFile(review=review, case_id=pk) for pk in cases])
        audit_record(actor=actor, verb="inspections.review.draw", target=review,
                     organization=check.organizer,
                     changes={"seed": [None, str(seed)], "sample_size": [None, len(cases)]},
                     note=f"随机抽取案卷 {len(cases)} 件")
    return review


def review_file_score(*, actor, file: ReviewFile, scores: dict[int, tuple[int, bool, str]],
                      comment: str = "") -> ReviewFile:
    """A reviewer's score per item of the standard (points up to the item's, or a veto item
    hit) with comments; a veto hit fails the file whatever its score."""
    may_score.require(actor, file)
    criteria = list(file.review.standard.criteria.all())
    errors = []
    rows = []
    for c in criteria:
        points, veto_hit, note = scores.get(c.pk, (0, False, ""))
        if c.is_veto:
            points = 0
        elif not 0 <= points <= c.points:
            errors.append(f"“{c.text}”的得分须在 0 至 {c.points} 分之间。")
        if not c.is_veto and points < c.points and not note.strip():
            errors.append(f"“{c.text}”扣分须写明理由。")
        rows.append(ReviewScore(file=file, criterion=c, points=points, veto_hit=bool(c.is_veto and veto_hit),
                                comment=note.strip()[:500]))
    if errors:
        raise ValidationError(errors)
    score = sum(r.points for r in rows)
    vetoed = any(r.veto_hit for r in rows)
    passed = not vetoed and score >= file.review.standard.pass_mark
    with transaction.atomic():
        ReviewScore.objects.filter(file=file).delete()
        ReviewScore.objects.bulk_create(rows)
        before = {"score": file.score, "passed": file.passed}
        ReviewFile.objects.filter(pk=file.pk).update(
            score=score, vetoed=vetoed, passed=passed, comment=comment.strip(), reviewer=actor,
            scored_at=timezone.now())
        file.refresh_from_db()
        audit_record(actor=actor, verb="inspections.review.score", target=file,
                     organization=file.review.check_record.organizer,
                     changes={"score": [before["score"], score], "passed": [before["passed"], passed]},
                     note="触及否决项" if vetoed else "")
    return file


def review_complete(*, actor, review: CaseReview) -> CaseReview:
    return transition_apply(workflow=REVIEW_WORKFLOW, obj=review, target=ReviewStatus.DONE, actor=actor)


def review_to_finding(*, actor, review: CaseReview) -> Finding:
    """The review's result as a finding of its check under 行政执法案卷管理情况."""
    may_review_to_finding.require(actor, review)
    files = list(review.files.select_related("case"))
    failed = [f for f in files if not f.passed]
    mean = sum(f.score or 0 for f in files) / len(files)
    text = (f"随机抽取{formats.date_text(review.closed_from)}至{formats.date_text(review.closed_to)}"
            f"办结案卷 {len(files)} 件评查，平均得分 {mean:.1f} 分，合格 {len(files) - len(failed)} 件，"
            f"合格率 {100 * (len(files) - len(failed)) / len(files):.1f}%。")
    if failed:
        text += "不合格案卷：" + "、".join(
            f"{f.case.number}（{'触及否决项' if f.vetoed else f'{f.score}分'}）" for f in failed) + "。"
    with transaction.atomic():
        finding = finding_add(actor=actor, check=review.check_record, unit=review.department,
                              item=CheckItem.CASE_FILES, description=text, source=FindingSource.REVIEW)
        CaseReview.objects.filter(pk=review.pk).update(finding=finding)
        review.finding = finding
        audit_record(actor=actor, verb="inspections.review.to_finding", target=review,
                     organization=review.check_record.organizer)
    return finding


# --- monitoring leads (M7.3) ---------------------------------------------------------------
def leads_compute(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Every rule's new leads, set-based (``leads.rule_insert``); a record already raised
    by a rule — open, dismissed or a finding — is not raised again. Rule → rows added."""
    now = now or timezone.now()
    with transaction.atomic():
        counts = {rule.key: lead_rules.rule_insert(rule, now) for rule in lead_rules.rules()}
        audit_record(actor=None, verb="inspections.leads.compute",
                     changes={lead_rules.rule_label(k): [None, n] for k, n in counts.items() if n},
                     note=f"新增线索 {sum(counts.values())} 条")
    if sum(counts.values()) and connection.vendor == "postgresql":
        # The night's rows arrive in one go, faster than autovacuum notices: with yesterday's
        # statistics the planner takes the uniqueness index for a rule and sorts all its
        # leads (the list filtered by rule, page 50: 14.5 × a bare page, 2.1 × with fresh statistics
        # and the window of keys; make bench ARGS=inspections).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Lead._meta.db_table)}")
    return counts


def lead_dismiss(*, actor, lead: Lead, reason: str) -> Lead:
    return transition_apply(workflow=LEAD_WORKFLOW, obj=lead, target=LeadStatus.DISMISSED, actor=actor,
                            note=reason, updates={"dismiss_reason": reason.strip(), "handled_by": actor,
                                                  "handled_at": timezone.now()})


def lead_to_finding(*, actor, lead: Lead, check: Check, item: str, description: str) -> Finding:
    """The bureau records the lead as a finding of a check of the unit concerned."""
    if not check.unit_rows.filter(unit_id=lead.organization_id).exists():
        raise ValidationError({"check": f"所选检查的被检查单位不含{lead.organization.name}。"})
    with transaction.atomic():
        finding = finding_add(actor=actor, check=check, unit=lead.organization, item=item,
                              description=description, source=FindingSource.LEAD)
        transition_apply(workflow=LEAD_WORKFLOW, obj=lead, target=LeadStatus.FINDING, actor=actor,
                         updates={"finding": finding, "handled_by": actor, "handled_at": timezone.now()})
    return finding
