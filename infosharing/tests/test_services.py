"""The services of information sharing, each clause cited (M5.1–M5.5); every write inside
``assert_audited``."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cases.models import ActType, PublicityChannel
from cases.testing import CaseFactory
from core.models import Role
from core.testing import assert_audited, member
from deadlines import rules
from deadlines.calendar import end_of_day, start_of_day
from deadlines.models import Deadline, DeadlineState
from deadlines.notifications import Notification
from deadlines.services import deadline_open, deadlines_open_recurring
from documents.models import Document
from infosharing import services
from infosharing.models import (Channel, FindingState, InfoQuery, InspectionStatus, PublicityItem,
                                QueryStatus, RefusalGround, ReportStatus, StatisticsRequest)

from .conftest import all_present, png, this_quarter

pytestmark = pytest.mark.django_db


# --- M5.1–M5.2 channels ----------------------------------------------------------------
def test_m5_2_a_unit_keeps_its_own_channels_and_the_bureau_any(district):
    with assert_audited("infosharing.channel.save"):
        channel = services.channel_save(actor=district.market_legal, unit=district.market,
                                        kind=PublicityChannel.DEPARTMENT_WEBSITE, address="https://scj.example.cn/")
    services.channel_save(actor=district.market_legal, unit=district.market,
                          kind=PublicityChannel.DEPARTMENT_WEBSITE, address="https://scj.example.cn/gs/")
    channel.refresh_from_db()
    assert channel.address == "https://scj.example.cn/gs/" and Channel.objects.count() == 1
    assert "执法结果" in channel.items
    with pytest.raises(PermissionDenied):
        services.channel_save(actor=district.market_legal, unit=district.urban,
                              kind=PublicityChannel.DEPARTMENT_WEBSITE, address="https://cg.example.cn/")
    with pytest.raises(PermissionDenied):  # an officer does not keep the unit's channels
        services.channel_save(actor=district.market_officer, unit=district.market,
                              kind=PublicityChannel.PROVINCE_PLATFORM, address="https://a.example.cn/")
    services.channel_save(actor=district.supervisor, unit=district.urban,
                          kind=PublicityChannel.DISTRICT_COLUMN, address="https://bdh.example.cn/cg/")
    with pytest.raises(ValidationError):
        services.channel_save(actor=district.supervisor, unit=district.urban,
                              kind=PublicityChannel.DISTRICT_COLUMN, address="不是网址")


# --- M5.3 the quarterly web inspection -------------------------------------------------
def _late_publicity(unit, *, met_late: bool):
    case = CaseFactory(department=unit)
    first = rules.period_bounds(rules.Unit.QUARTER, timezone.localdate())[1]
    start = start_of_day(first)
    d = deadline_open(target=case, rule="publicity_licensing_penalty", responsible=unit, start=start,
                      due=start + dt.timedelta(hours=1), actor=None)
    if met_late:
        Deadline.objects.filter(pk=d.pk).update(state=DeadlineState.MET, met_at=F("due") + dt.timedelta(hours=2))
    else:
        Deadline.objects.filter(pk=d.pk).update(state=DeadlineState.OVERDUE)


def test_m5_3_inspection_opens_a_result_per_unit_with_late_publications_from_the_cases(district):
    _late_publicity(district.market, met_late=True)
    _late_publicity(district.market, met_late=False)
    with assert_audited("infosharing.inspection.open"):
        inspection = services.inspection_open(actor=district.supervisor, bureau=district.bureau,
                                              period=this_quarter())
    results = {r.unit: r for r in inspection.results.all()}
    assert set(results) == {district.market, district.urban, district.township}
    assert results[district.market].late_publications == 2
    assert results[district.urban].late_publications == 0
    with pytest.raises(ValidationError, match="已经开始"):
        district.inspection()
    with pytest.raises(PermissionDenied):
        services.inspection_open(actor=district.market_legal, bureau=district.bureau, period="2026-Q1")
    with pytest.raises(ValidationError):
        services.inspection_open(actor=district.supervisor, bureau=district.bureau, period="2026-Q7")


def test_m5_3_a_result_needs_every_channel_item_and_a_screenshot(district):
    inspection = district.inspection()
    result = inspection.results.get(unit=district.market)
    states = all_present()
    with pytest.raises(ValidationError, match="截图"):
        services.result_check(actor=district.supervisor, result=result, states=states, note="")
    del states[(PublicityChannel.PROVINCE_PLATFORM, PublicityItem.STAFF)]
    with pytest.raises(ValidationError, match="逐项"):
        services.result_check(actor=district.supervisor, result=result, states=states, note="", screenshot=png())
    states = all_present()
    states[(PublicityChannel.DEPARTMENT_WEBSITE, PublicityItem.RESULTS)] = FindingState.OUTDATED
    states[(PublicityChannel.TWO_LAWS_PLATFORM, PublicityItem.BASIS)] = FindingState.MISSING
    with assert_audited("infosharing.result.check", result):
        services.result_check(actor=district.supervisor, result=result, states=states,
                              note="网站执法结果停更。", screenshot=png())
    result.refresh_from_db()
    assert result.checked and result.problems == 2 and result.screenshot is not None
    assert result.findings.count() == len(states)
    # Changed later without a new screenshot: the first one stays.
    services.result_check(actor=district.supervisor, result=result, states=all_present(), note="已核实。")
    result.refresh_from_db()
    assert result.problems == 0 and result.screenshot is not None


def test_m5_3_report_to_the_committee_only_when_every_unit_is_checked(district):
    inspection = district.inspection()
    with pytest.raises(ValidationError, match="未完成巡查"):
        services.inspection_report(actor=district.supervisor, inspection=inspection)
    for result in inspection.results.all():
        services.result_check(actor=district.supervisor, result=result, states=all_present(), note="",
                              screenshot=png())
    with assert_audited("infosharing.webinspection.transition", inspection):
        services.inspection_report(actor=district.supervisor, inspection=inspection)
    assert inspection.status == InspectionStatus.REPORTED and inspection.reported_at


def test_m5_3_the_committee_review_is_recorded_with_meeting_date_and_remarks(district):
    inspection = district.checked()
    services.inspection_report(actor=district.supervisor, inspection=inspection)
    with pytest.raises(ValidationError, match="审议意见"):
        services.inspection_review(actor=district.supervisor, inspection=inspection,
                                   reviewed_on=timezone.localdate(), review_body="第四次会议", remarks=" ")
    with pytest.raises(ValidationError, match="晚于今天"):
        services.inspection_review(actor=district.supervisor, inspection=inspection,
                                   reviewed_on=timezone.localdate() + dt.timedelta(days=1),
                                   review_body="第四次会议", remarks="同意")
    with assert_audited("infosharing.webinspection.transition", inspection):
        services.inspection_review(actor=district.supervisor, inspection=inspection,
                                   reviewed_on=timezone.localdate(), review_body="第四次会议", remarks="同意")
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.REVIEWED
    assert inspection.review_recorded_by == district.supervisor and inspection.review_body == "第四次会议"


def test_m5_3_circulating_issues_the_bulletin_meets_the_duty_and_imposes_rectification(district):
    from deadlines import recurring

    assert "web_inspection" in recurring.in_force()
    deadlines_open_recurring()
    duty = Deadline.objects.get(rule="web_inspection", responsible=district.bureau)
    problems = {district.urban.pk: {(PublicityChannel.DEPARTMENT_WEBSITE, PublicityItem.RESULTS): FindingState.MISSING}}
    inspection = district.reviewed(problems)
    with pytest.raises(ValidationError, match="整改期限"):
        services.inspection_circulate(actor=district.supervisor, inspection=inspection, summary="总体良好。",
                                      rectify_by=None)
    with assert_audited("document.issue"):
        services.inspection_circulate(actor=district.supervisor, inspection=inspection,
                                      summary="总体良好。", rectify_by=district.rectify_by())
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CIRCULATED
    bulletin = inspection.bulletin
    assert bulletin.kind == "web_inspection_bulletin" and bulletin.number.startswith("北司巡〔")
    assert "区城市管理综合行政执法局" in str(bulletin.data["rows"]) and bulletin.data["problems"] == 1
    duty.refresh_from_db()
    assert duty.state == DeadlineState.MET
    # Every unit is told; the unit with problems gets a supervision notice whose due the
    # justice bureau imposed.
    assert Notification.objects.filter(subject__contains=bulletin.number, organization=district.market).exists()
    urban = inspection.results.get(unit=district.urban)
    assert urban.notice.kind == "supervision_notice" and urban.notice.addressee == district.urban
    rectification = Deadline.objects.get(rule="rectification", responsible=district.urban)
    assert rectification.imposed_by == district.bureau
    assert rectification.due == end_of_day(district.rectify_by())
    assert inspection.results.get(unit=district.market).notice is None
    assert Document.objects.filter(kind="supervision_notice").count() == 1


def test_m5_3_an_inspection_meets_only_its_own_quarters_duty(district):
    import time_machine

    from deadlines.calendar import SHANGHAI

    today = timezone.localdate()
    quarter_start = rules.period_bounds(rules.Unit.QUARTER, today)[1]
    previous = rules.period_bounds(rules.Unit.QUARTER, quarter_start - dt.timedelta(days=1))[0]
    with time_machine.travel(dt.datetime(int(previous[:4]), 3 * int(previous[-1]) - 1, 10, 9, tzinfo=SHANGHAI)):
        deadlines_open_recurring()
    deadlines_open_recurring()
    older = Deadline.objects.get(rule="web_inspection", period=previous)
    current = Deadline.objects.get(rule="web_inspection", period=this_quarter())
    inspection = district.reviewed()
    services.inspection_circulate(actor=district.supervisor, inspection=inspection, summary="良好。",
                                  rectify_by=None)
    older.refresh_from_db()
    current.refresh_from_db()
    assert older.state == DeadlineState.OPEN and current.state == DeadlineState.MET
    # The earlier quarter's inspection, done late, meets its own row.
    late = services.inspection_open(actor=district.supervisor, bureau=district.bureau, period=previous)
    for result in late.results.all():
        services.result_check(actor=district.supervisor, result=result, states=all_present(), note="",
                              screenshot=png())
    services.inspection_report(actor=district.supervisor, inspection=late)
    services.inspection_review(actor=district.supervisor, inspection=late, reviewed_on=today,
                               review_body="委员会会议", remarks="同意。")
    services.inspection_circulate(actor=district.supervisor, inspection=late, summary="良好。", rectify_by=None)
    older.refresh_from_db()
    assert older.state == DeadlineState.MET and older.is_late


# --- M5.4 statistics -------------------------------------------------------------------
def _cases(district):
    today = timezone.localdate()
    for act_type, n in ((ActType.PENALTY, 3), (ActType.LICENSING, 2), (ActType.ADJUDICATION, 1)):
        for _ in range(n):
            CaseFactory(department=district.market, act_type=act_type, filed_on=today.replace(day=1))
    CaseFactory(department=district.market, act_type=ActType.PENALTY, is_major_decision=True,
                filed_on=today.replace(day=1))
    CaseFactory(department=district.urban, act_type=ActType.INSPECTION, filed_on=today.replace(day=1))
    CaseFactory(department=district.urban, act_type=ActType.INSPECTION, filed_on=dt.date(today.year - 1, 6, 1))


def _request(district, due_on=None):
    today = timezone.localdate()
    return services.statistics_request_issue(
        actor=district.supervisor, bureau=district.bureau, title="本年度执法统计",
        period_start=dt.date(today.year, 1, 1), period_end=today, due_on=due_on or today + dt.timedelta(days=10),
        units=[district.market, district.urban, district.township])


def test_m5_4_request_prefills_each_unit_from_the_cases_and_opens_its_deadline(district, django_assert_max_num_queries):
    _cases(district)
    today = timezone.localdate()
    with assert_audited("infosharing.statistics.request"):
        request = services.statistics_request_issue(
            actor=district.supervisor, bureau=district.bureau, title="本年度执法统计",
            period_start=dt.date(today.year, 1, 1), period_end=today, due_on=today + dt.timedelta(days=10),
            units=[district.market, district.urban, district.township])
    reports = {r.unit: r for r in request.reports.all()}
    market, urban = reports[district.market], reports[district.urban]
    assert (market.penalty, market.licensing, market.major, market.inspection) == (4, 2, 1, 0)
    assert market.prefill["penalty"] == 4
    assert urban.inspection == 1  # last year's case is outside the period
    assert reports[district.township].figures() == dict.fromkeys(market.figures(), 0)
    deadlines = Deadline.objects.filter(rule="statistics_report")
    assert deadlines.count() == 3 and {d.due for d in deadlines} == {request.due}
    from infosharing.selectors import statistics_prefill

    with django_assert_max_num_queries(1):  # one GROUP BY for all units
        statistics_prefill(request.period_start, request.period_end)
    with pytest.raises(PermissionDenied):
        services.statistics_request_issue(actor=district.market_legal, bureau=district.bureau, title="x",
                                          period_start=request.period_start, period_end=request.period_end,
                                          due_on=request.due_on, units=[district.market])


def test_m5_4_the_unit_corrects_and_submits_by_its_deadline(district):
    _cases(district)
    request = _request(district)
    report = request.reports.get(unit=district.market)
    figures = report.figures() | {"inspection": 5}
    with pytest.raises(ValidationError, match="说明原因"):
        services.statistics_report_submit(actor=district.market_legal, report=report, figures=figures)
    with pytest.raises(PermissionDenied):
        services.statistics_report_submit(actor=district.urban_head, report=report, figures=figures, note="补报")
    with assert_audited("infosharing.statisticsreport.transition", report):
        services.statistics_report_submit(actor=district.market_legal, report=report, figures=figures,
                                          note="5次日常检查未在平台登记。")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.inspection == 5 and report.prefill["inspection"] == 0
    assert Deadline.objects.get(rule="statistics_report", responsible=district.market).state == DeadlineState.MET
    with pytest.raises(PermissionDenied):  # submitted once
        services.statistics_report_submit(actor=district.market_legal, report=report, figures=figures, note="再报")


def test_m5_4_previous_years_statistics_are_asked_each_january_due_31_january(district):
    import time_machine

    from deadlines.calendar import SHANGHAI

    with time_machine.travel(dt.datetime(2026, 2, 3, 9, tzinfo=SHANGHAI), tick=False):
        assert services.statistics_annual_request() is None
    with time_machine.travel(dt.datetime(2026, 1, 2, 9, tzinfo=SHANGHAI), tick=False):
        with assert_audited("infosharing.statistics.request"):
            request = services.statistics_annual_request()
        assert services.statistics_annual_request() is None
    assert request.annual_year == 2025 and request.due_on == dt.date(2026, 1, 31)
    assert (request.period_start, request.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert request.reports.count() == 3  # the departments and the township, not the staffing office
    assert StatisticsRequest.objects.count() == 1
    assert Deadline.objects.filter(rule="statistics_report", due=end_of_day(dt.date(2026, 1, 31))).count() == 3


# --- M5.5 queries ----------------------------------------------------------------------
def _query(district):
    return services.query_ask(actor=district.urban_head, requester=district.urban, addressee=district.market,
                              subject="商户营业执照登记情况", purpose="核实经营主体。")


def test_m5_5_a_query_opens_the_answer_deadline_of_the_setting(district, settings):
    settings.DEADLINE_RULES = {**settings.DEADLINE_RULES, "info_query_answer": 3}
    with assert_audited("infosharing.query.ask"):
        query = services.query_ask(actor=district.urban_head, requester=district.urban,
                                   addressee=district.market, subject="商户营业执照登记情况",
                                   purpose="核实经营主体。")
    deadline = Deadline.objects.get(rule="info_query_answer")
    assert deadline.responsible == district.market
    from deadlines.calendar import add_working_days

    assert deadline.due == end_of_day(add_working_days(timezone.localdate(), 3).date)
    with pytest.raises(ValidationError):
        services.query_ask(actor=district.urban_head, requester=district.urban, addressee=district.urban,
                           subject="x", purpose="y")
    with pytest.raises(PermissionDenied):
        services.query_ask(actor=district.urban_head, requester=district.market, addressee=district.urban,
                           subject="x", purpose="y")
    with assert_audited("infosharing.infoquery.transition", query):
        services.query_answer(actor=district.market_officer, query=query, answer="共46户，均已登记。")
    assert query.status == QueryStatus.ANSWERED
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET


def test_m5_5_refusal_without_a_ground_is_refused_and_the_bureau_sees_every_refusal(district):
    query = _query(district)
    with pytest.raises(ValidationError, match="理由"):
        services.query_refuse(actor=district.market_legal, query=query, ground="")
    with pytest.raises(ValidationError, match="法律依据"):
        services.query_refuse(actor=district.market_legal, query=query, ground=RefusalGround.OTHER_LEGAL)
    with pytest.raises(PermissionDenied):  # only the agency asked answers
        services.query_refuse(actor=district.urban_head, query=query, ground=RefusalGround.PRIVACY)
    with assert_audited("infosharing.infoquery.transition", query):
        services.query_refuse(actor=district.market_legal, query=query, ground=RefusalGround.OTHER_LEGAL,
                              law="《中华人民共和国反不正当竞争法》第九条")
    query.refresh_from_db()
    assert query.status == QueryStatus.REFUSED and query.refusal_law.startswith("《中华")
    assert Notification.objects.filter(organization=district.bureau, subject__contains="不予提供").exists()
    assert Notification.objects.filter(organization=district.urban, subject__contains="不予提供").exists()


def test_m5_5_the_database_refuses_a_refusal_without_its_ground(district):
    query = _query(district)
    for ground, law in (("", ""), (RefusalGround.OTHER_LEGAL, "")):
        with pytest.raises(IntegrityError), transaction.atomic():
            InfoQuery.objects.filter(pk=query.pk).update(status=QueryStatus.REFUSED, refusal_ground=ground,
                                                         refusal_law=law)
    InfoQuery.objects.filter(pk=query.pk).update(status=QueryStatus.REFUSED,
                                                 refusal_ground=RefusalGround.STATE_SECRET)
