"""Every write of information sharing: the units' channels (M5.2), the quarterly web
inspection from checklist to bulletin and rectification notices (M5.3), statistics
requests and reports (M5.4), and queries between agencies (M5.5)."""
from __future__ import annotations

import datetime as dt
from typing import BinaryIO, Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import formats, policy
from core.audit import audit_record, diff, snapshot
from core.models import Organization, OrgKind
from core.services import attachment_store
from core.workflow import transition_apply
from deadlines import rules
from deadlines.calendar import end_of_day
from deadlines.notifications import notification_send
from deadlines.services import deadline_open
from documents.services import document_issue, supervision_notice_issue

from . import selectors
from .bulletin import BULLETIN
from .models import (CHANNEL_ITEMS, Channel, Finding, FindingState, InfoQuery, InspectionStatus,
                     PublicityItem, QueryStatus, RefusalGround, ReportStatus, StatCategory,
                     StatisticsReport, StatisticsRequest, UnitResult, WebInspection)
from .workflow import INSPECTION_WORKFLOW, QUERY_WORKFLOW, REPORT_WORKFLOW

STATISTICS_RULE = "statistics_report"
QUERY_RULE = "info_query_answer"


# --- who may do what (the pages ask the same predicates) -------------------------------
@policy.predicate("维护该单位的公示渠道")
def may_keep_channels(user, unit: Organization | None = None) -> bool:
    """The unit's own legal office, head or liaison; the justice bureau for any unit."""
    if policy.has_capability(user, "infosharing.inspect"):
        return True
    return (policy.organizations_with(user, "infosharing.channels")
            .filter(**({} if unit is None else {"pk": unit.pk})).exists())


@policy.predicate("开展网上巡查")
def may_inspect(user, bureau: Organization | None = None) -> bool:
    return policy.has_capability(user, "infosharing.inspect", bureau)


@policy.predicate("登记该单位的巡查结果")
def may_check(user, result: UnitResult) -> bool:
    return (result.inspection.status == InspectionStatus.CHECKING
            and may_inspect(user, result.inspection.bureau))


@policy.predicate("报送该统计报表")
def may_submit_report(user, report: StatisticsReport) -> bool:
    return (report.status == ReportStatus.DRAFT
            and policy.has_capability(user, "infosharing.report", report.unit))


@policy.predicate("以该单位名义查询执法信息")
def may_ask(user, requester: Organization | None = None) -> bool:
    return policy.organizations_with(user, "infosharing.query").filter(
        **({} if requester is None else {"pk": requester.pk})).exists()


@policy.predicate("答复该查询")
def may_answer(user, query: InfoQuery) -> bool:
    return (query.status == QueryStatus.ASKED
            and policy.has_capability(user, "infosharing.query", query.addressee))


# --- channels (M5.2) -------------------------------------------------------------------
def channel_save(*, actor, unit: Organization, kind: str, address: str) -> Channel:
    """Record (or change) ``unit``'s address on one of the four channels."""
    may_keep_channels.require(actor, unit)
    if kind not in CHANNEL_ITEMS:
        raise ValidationError({"kind": "请选择公示渠道。"})
    with transaction.atomic():
        channel = Channel.objects.select_for_update().filter(unit=unit, kind=kind).first()
        before = {} if channel is None else snapshot(channel, ["address"])
        channel = channel or Channel(unit=unit, kind=kind)
        channel.address, channel.updated_by, channel.updated_at = address.strip(), actor, timezone.now()
        channel.full_clean(validate_unique=False)
        channel.save()
        audit_record(actor=actor, verb="infosharing.channel.save", target=channel, organization=unit,
                     changes=diff(before, snapshot(channel, ["address"])))
    return channel


# --- the quarterly web inspection (M5.3) -----------------------------------------------
def _quarter(period: str) -> tuple[dt.date, dt.date]:
    try:
        year, quarter = (int(p) for p in period.split("-Q"))
        day = dt.date(year, 3 * quarter - 2, 1)
    except (ValueError, TypeError):
        raise ValidationError({"period": "请选择巡查季度。"}) from None
    key, first, last = rules.period_bounds(rules.Unit.QUARTER, day)
    if key != period:
        raise ValidationError({"period": "请选择巡查季度。"})
    return first, last


def inspection_open(*, actor, bureau: Organization, period: str) -> WebInspection:
    """Start the quarter's inspection: one result per enforcement unit, with the decisions
    it published late in the quarter already counted from the cases (one statement)."""
    may_inspect.require(actor, bureau)
    first, last = _quarter(period)
    if first > timezone.localdate():
        raise ValidationError({"period": "该季度尚未开始。"})
    if WebInspection.objects.filter(period=period).exists():
        raise ValidationError({"period": "该季度的网上巡查已经开始。"})
    late = selectors.late_publications(first, last)
    with transaction.atomic():
        inspection = WebInspection.objects.create(bureau=bureau, period=period, created_by=actor)
        UnitResult.objects.bulk_create([
            UnitResult(inspection=inspection, unit=unit, late_publications=late.get(unit.pk, 0))
            for unit in selectors.enforcement_units()])
        audit_record(actor=actor, verb="infosharing.inspection.open", target=inspection,
                     organization=bureau, note=inspection.period_label)
    return inspection


def result_check(*, actor, result: UnitResult, states: Mapping[tuple[str, str], str], note: str,
                 screenshot: tuple[BinaryIO, str, int] | None = None) -> UnitResult:
    """Record one unit's findings — every channel × item it must publish as 已公示, 未公示
    or 未及时更新 — with a screenshot (required once) and a note."""
    may_check.require(actor, result)
    expected = {(c, i) for c, items in CHANNEL_ITEMS.items() for i in items}
    if set(states) != expected or any(s not in FindingState.values for s in states.values()):
        raise ValidationError("请逐项填写各公示渠道的巡查结果。")
    if screenshot is None and result.screenshot_id is None:
        raise ValidationError({"screenshot": "请上传巡查截图。"})
    problems = sum(s != FindingState.PRESENT for s in states.values()) + result.late_publications
    with transaction.atomic():
        before = snapshot(result, ["problems", "note"])
        if screenshot is not None:
            fileobj, name, size = screenshot
            result.screenshot = attachment_store(actor=actor, organization=result.inspection.bureau,
                                                 fileobj=fileobj, name=name, size=size,
                                                 target=result, description="巡查截图")
        result.findings.all().delete()
        Finding.objects.bulk_create([Finding(result=result, channel=c, item=i, state=s)
                                     for (c, i), s in sorted(states.items())])
        result.checked, result.problems, result.note = True, problems, note.strip()
        result.checked_by, result.checked_at = actor, timezone.now()
        result.save()
        audit_record(actor=actor, verb="infosharing.result.check", target=result,
                     organization=result.inspection.bureau,
                     changes=diff(before, snapshot(result, ["problems", "note"])))
    return result


def inspection_report(*, actor, inspection: WebInspection) -> WebInspection:
    """Every unit checked: the result goes to the 区委全面依法治区委员会 for review."""
    return transition_apply(workflow=INSPECTION_WORKFLOW, obj=inspection,
                            target=InspectionStatus.REPORTED, actor=actor,
                            updates={"reported_at": timezone.now()})


def inspection_review(*, actor, inspection: WebInspection, reviewed_on: dt.date, review_body: str,
                      remarks: str) -> WebInspection:
    """Record the committee's review: at which meeting, when, its remarks (the committee
    is no user of the platform; the bureau records it)."""
    if not remarks.strip():
        raise ValidationError({"remarks": "请填写委员会的审议意见。"})
    if not review_body.strip():
        raise ValidationError({"review_body": "请填写审议会议。"})
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "审议日期不能晚于今天。"})
    if inspection.reported_at and reviewed_on < timezone.localdate(inspection.reported_at):
        raise ValidationError({"reviewed_on": "审议日期不能早于报送审议的日期。"})
    inspection.reviewed_on, inspection.review_remarks = reviewed_on, remarks.strip()
    return transition_apply(workflow=INSPECTION_WORKFLOW, obj=inspection,
                            target=InspectionStatus.REVIEWED, actor=actor,
                            updates={"reviewed_on": reviewed_on, "review_body": review_body.strip(),
                                     "review_remarks": remarks.strip(), "review_recorded_by": actor})


def _problem_text(result: UnitResult) -> str:
    by_channel: dict[str, list[str]] = {}
    for f in result.findings.exclude(state=FindingState.PRESENT).order_by("channel", "item"):
        by_channel.setdefault(f.get_channel_display(), []).append(
            f"{PublicityItem(f.item).label}{f.get_state_display()}")
    return "；".join(f"{channel}：{'、'.join(items)}" for channel, items in by_channel.items())


def inspection_circulate(*, actor, inspection: WebInspection, summary: str,
                         rectify_by: dt.date | None) -> WebInspection:
    """Issue the numbered 网上巡查情况通报 to every unit (the quarter's duty is met) and a
    行政执法监督通知书 to each unit with problems, whose rectification deadline the bureau
    imposes (documents.supervision: the unit reports, the bureau accepts or sends back)."""
    may_inspect.require(actor, inspection.bureau)
    if not summary.strip():
        raise ValidationError({"summary": "请填写巡查总体情况。"})
    results = list(inspection.results.select_related("unit").order_by("unit__kind", "unit__name"))
    with_problems = [r for r in results if r.problems]
    if with_problems and rectify_by is None:
        raise ValidationError({"rectify_by": "有单位存在问题，请确定整改期限。"})
    rows = [{"unit": r.unit.name, "items": _problem_text(r) or "执法决定公示不及时",
             "late": r.late_publications} for r in with_problems]
    review = (f"巡查结果经{inspection.review_body}于{formats.date_text(inspection.reviewed_on)}审议。"
              f"审议意见：{inspection.review_remarks}")
    data = {"period": inspection.period_label, "summary": summary.strip(), "review": review,
            "units": len(results), "problems": len(with_problems), "rows": rows,
            "rectify_by": rectify_by}
    with transaction.atomic():
        bulletin = document_issue(kind=BULLETIN.code, issuer=inspection.bureau, data=data,
                                  target=inspection, actor=actor,
                                  title=f"关于{inspection.period_label}行政执法信息网上巡查情况的通报")
        inspection.bulletin = bulletin
        transition_apply(workflow=INSPECTION_WORKFLOW, obj=inspection,
                         target=InspectionStatus.CIRCULATED, actor=actor,
                         updates={"bulletin": bulletin, "summary": summary.strip(),
                                  "circulated_at": timezone.now(), "rectify_by": rectify_by})
        notification_send(recipients=[r.unit for r in results], target=inspection,
                          subject=f"收到{bulletin.number}《{bulletin.title}》", actor=actor)
        for result, row in zip(with_problems, rows):
            notice = supervision_notice_issue(
                actor=actor, issuer=inspection.bureau, addressee=result.unit, target=result,
                title=f"关于{inspection.period_label}网上巡查发现问题整改的通知",
                facts=f"{inspection.period_label}网上巡查发现你单位存在以下问题：{row['items']}"
                      + (f"；逾期公示执法决定{row['late']}件。" if row["late"] else "。"),
                legal_basis="《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定"
                            "法制审核制度的指导意见》（国办发〔2018〕118号）。",
                rectification="按照行政执法公示制度要求，补充公示缺失内容，更新过时信息，"
                              "逾期公示的执法决定立即公开。",
                deadline=rectify_by,
                report_method="整改完成后通过本平台报告整改情况，并附整改后的页面截图。")
            UnitResult.objects.filter(pk=result.pk).update(notice=notice)
    return inspection


# --- statistics (M5.4) -----------------------------------------------------------------
def _request_create(*, actor, bureau: Organization, title: str, period_start: dt.date,
                    period_end: dt.date, due_on: dt.date, units: Iterable[Organization],
                    annual_year: int | None = None) -> StatisticsRequest:
    units = list(units)
    if not units:
        raise ValidationError({"units": "请选择报送单位。"})
    if period_end < period_start:
        raise ValidationError({"period_end": "统计期间的截止日期不能早于起始日期。"})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "报送期限不能早于今天。"})
    prefill = selectors.statistics_prefill(period_start, period_end)
    empty = dict.fromkeys(StatCategory.values, 0)
    now = timezone.now()
    with transaction.atomic():
        request = StatisticsRequest.objects.create(
            bureau=bureau, title=title.strip(), period_start=period_start, period_end=period_end,
            due_on=due_on, annual_year=annual_year, created_by=actor)
        request.units.set(units)
        reports = StatisticsReport.objects.bulk_create([
            StatisticsReport(request=request, unit=unit, prefill=prefill.get(unit.pk, empty),
                             **prefill.get(unit.pk, empty)) for unit in units])
        for report in reports:
            deadline_open(target=report, rule=STATISTICS_RULE, responsible=report.unit, start=now,
                          due=end_of_day(due_on), actor=actor, note=request.title)
        audit_record(actor=actor, verb="infosharing.statistics.request", target=request,
                     organization=bureau, changes={"due_on": [None, due_on]},
                     note=f"报送单位 {len(units)} 个")
        notification_send(recipients=units, target=request, actor=actor,
                          subject=f"统计报送：{request.title}",
                          body=f"请于{formats.due_text(request.due)}前核对并报送本单位执法统计。")
    return request


def statistics_request_issue(*, actor, bureau: Organization, title: str, period_start: dt.date,
                             period_end: dt.date, due_on: dt.date,
                             units: Iterable[Organization]) -> StatisticsRequest:
    """The bureau asks the units for the period's statistics by ``due_on``; each unit's
    form is pre-filled from the platform's cases and its deadline opened."""
    may_inspect.require(actor, bureau)
    return _request_create(actor=actor, bureau=bureau, title=title, period_start=period_start,
                           period_end=period_end, due_on=due_on, units=units)


def statistics_annual_request(*, today: dt.date | None = None) -> StatisticsRequest | None:
    """M5.4: each January the platform asks every unit for the previous year's statistics,
    due by 31 January (beat, daily; one request per year)."""
    today = today or timezone.localdate()
    year = today.year - 1
    bureau = Organization.objects.filter(kind=OrgKind.JUSTICE_BUREAU, is_active=True).order_by("pk").first()
    if today.month != 1 or bureau is None or StatisticsRequest.objects.filter(annual_year=year).exists():
        return None
    return _request_create(actor=None, bureau=bureau, title=f"{year}年度行政执法统计",
                           period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
                           due_on=dt.date(today.year, 1, 31), units=selectors.enforcement_units(),
                           annual_year=year)


def statistics_report_submit(*, actor, report: StatisticsReport, figures: Mapping[str, int],
                             note: str = "") -> StatisticsReport:
    """The unit corrects the pre-filled figures and submits them: its deadline is met."""
    may_submit_report.require(actor, report)
    if set(figures) != set(StatCategory.values) or any(
            not isinstance(v, int) or v < 0 for v in figures.values()):
        raise ValidationError("请填写各类别的数量（不小于0的整数）。")
    corrected = {c: v for c, v in figures.items() if v != report.prefill.get(c)}
    if corrected and not note.strip():
        raise ValidationError({"note": "与平台统计数不一致的，请说明原因。"})
    with transaction.atomic():
        transition_apply(workflow=REPORT_WORKFLOW, obj=report, target=ReportStatus.SUBMITTED,
                         actor=actor, note=note.strip(),
                         updates={**figures, "note": note.strip(), "submitted_by": actor,
                                  "submitted_at": timezone.now()})
        notification_send(recipients=[report.request.bureau], target=report.request, actor=actor,
                          subject=f"{report.unit.name}报送了{report.request.title}")
    return report


# --- queries between agencies (M5.5) ---------------------------------------------------
def query_ask(*, actor, requester: Organization, addressee: Organization, subject: str,
              purpose: str, case=None) -> InfoQuery:
    """An agency asks another for enforcement information; the answer is due within the
    setting's working days (``DEADLINE_RULES["info_query_answer"]``)."""
    may_ask.require(actor, requester)
    if requester.pk == addressee.pk:
        raise ValidationError({"addressee": "不能向本单位查询。"})
    if not purpose.strip():
        raise ValidationError({"purpose": "请说明查询用途。"})
    query = InfoQuery(requester=requester, addressee=addressee, subject=subject.strip(),
                      purpose=purpose.strip(), case=case, created_by=actor)
    query.full_clean()
    with transaction.atomic():
        query.save()
        deadline = deadline_open(target=query, rule=QUERY_RULE, responsible=addressee,
                                 start=timezone.now(), actor=actor)
        audit_record(actor=actor, verb="infosharing.query.ask", target=query, organization=requester)
        notification_send(recipients=[addressee], target=query, actor=actor,
                          subject=f"{requester.name}查询执法信息：{query.subject}",
                          body=f"请于{formats.due_text(deadline.due)}前答复。")
    return query


def query_answer(*, actor, query: InfoQuery, answer: str) -> InfoQuery:
    if not answer.strip():
        raise ValidationError({"answer": "请填写答复内容。"})
    with transaction.atomic():
        transition_apply(workflow=QUERY_WORKFLOW, obj=query, target=QueryStatus.ANSWERED,
                         actor=actor, updates={"answer": answer.strip(), "answered_by": actor,
                                               "answered_at": timezone.now()})
        notification_send(recipients=[query.requester], target=query, actor=actor,
                          subject=f"{query.addressee.name}答复了查询：{query.subject}")
    return query


def query_refuse(*, actor, query: InfoQuery, ground: str, law: str = "",
                 explanation: str = "") -> InfoQuery:
    """M5.5: a refusal names its ground — 国家秘密, 商业秘密, 个人隐私, or another legal
    reason with the law cited (the database holds the same rule); the justice bureau is
    told of every refusal."""
    if ground not in RefusalGround.values:
        raise ValidationError({"ground": "不予提供须说明理由：国家秘密、商业秘密、个人隐私或其他法定事由。"})
    if ground == RefusalGround.OTHER_LEGAL and not law.strip():
        raise ValidationError({"law": "以其他法定事由不予提供的，须写明法律依据。"})
    with transaction.atomic():
        transition_apply(workflow=QUERY_WORKFLOW, obj=query, target=QueryStatus.REFUSED,
                         actor=actor, note=RefusalGround(ground).label,
                         updates={"refusal_ground": ground, "refusal_law": law.strip(),
                                  "answer": explanation.strip(), "answered_by": actor,
                                  "answered_at": timezone.now()})
        bureaus = Organization.objects.filter(kind=OrgKind.JUSTICE_BUREAU, is_active=True)
        notification_send(recipients=[query.requester, *bureaus], target=query, actor=actor,
                          subject=f"{query.addressee.name}不予提供执法信息：{query.subject}",
                          body=f"理由：{RefusalGround(ground).label}{('，依据' + law.strip()) if law.strip() else ''}。")
    return query
