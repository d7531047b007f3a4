"""The appraisal's services: each write checked and audited; each computed indicator equal
to a hand count; results graded, approved, fed back and published (M9); self-assessment
and officer evaluation filed against their duties (M9.6, M9.7); W2's 工作通报."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessment import indicators, selectors, services
from assessment.models import (AppraisalStatus, Area, Basis, Grade, Honour, Method, ReportStatus,
                               Result, Score)
from core import tallies
from core.models import Attachment, Role
from core.testing import assert_audited, member
from deadlines.models import Deadline, DeadlineState, Notification
from deadlines.services import deadlines_open_recurring
from documents.models import Document
from evidence.tests.factories import PNG
from transfers.models import Transfer, TransferKind, TransferStatus

pytestmark = pytest.mark.django_db

S = DeadlineState


def _inbox(org) -> list[str]:
    return list(Notification.objects.filter(organization=org).values_list("subject", flat=True))


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _deadline(org, rule: str, due_day: dt.date, state: str, met_day: dt.date | None = None) -> Deadline:
    """A deadline row as the engine leaves it (written straight, then the tallies rebuilt)."""
    due = _at(due_day, 23)
    return Deadline.objects.create(
        target_type=ContentType.objects.get_for_model(org), target_id=str(org.pk),
        target_repr="测试事项", rule=rule, responsible=org, start=due - dt.timedelta(days=10),
        due=due, warn_at=due - dt.timedelta(days=1), state=state,
        met_at=_at(met_day) if met_day else None)


def _score_all(district, appraisal, points: dict) -> None:
    item = appraisal.items.get(method=Method.SCORED)
    for unit, p in points.items():
        services.score_save(actor=district.supervisor, item=item, unit=unit, points=Decimal(p),
                            basis=Basis.CENTRAL, note="查阅案卷。")


# --- the scheme (M9.1–M9.3) --------------------------------------------------------------
def test_m9_1_scheme_is_edited_until_the_appraisal_opens_and_must_total_100(district):
    with assert_audited("assessment.appraisal.create"):
        appraisal = services.appraisal_create(actor=district.supervisor, year=2026)
    with assert_audited("assessment.item.save", appraisal):
        item = services.item_save(actor=district.supervisor, appraisal=appraisal, area=Area.DECISIONS,
                                  title="重大执法决定法制审核", weight=Decimal(60), method=Method.SCORED)
    with pytest.raises(ValidationError, match="合计须为100分（现为60分）"):
        services.appraisal_transition(actor=district.supervisor, appraisal=appraisal,
                                      target=AppraisalStatus.OPEN)
    with pytest.raises(ValidationError, match="数据来源"):
        services.item_save(actor=district.supervisor, appraisal=appraisal, area=Area.RESULTS,
                           title="未接入的指标", weight=Decimal(40), method=Method.COMPUTED,
                           indicator="case_file_review")
    extra = services.item_save(actor=district.supervisor, appraisal=appraisal, area=Area.RESULTS,
                               title="多余指标", weight=Decimal(10), method=Method.SCORED)
    with assert_audited("assessment.item.remove", appraisal):
        services.item_remove(actor=district.supervisor, item=extra)
    services.item_save(actor=district.supervisor, appraisal=appraisal, area=Area.ENFORCEMENT,
                       title="公示按期率", weight=Decimal(40), method=Method.COMPUTED,
                       indicator="deadline:publicity_licensing_penalty")
    with pytest.raises(PermissionDenied):  # only the justice bureau draws up the scheme
        services.item_save(actor=district.market_legal, appraisal=appraisal, item=item,
                           area=Area.DECISIONS, title="改", weight=Decimal(60), method=Method.SCORED)
    with assert_audited("assessment.appraisal.transition", appraisal):
        services.appraisal_transition(actor=district.supervisor, appraisal=appraisal,
                                      target=AppraisalStatus.OPEN)
    with pytest.raises(PermissionDenied, match="修改考核方案"):
        services.item_save(actor=district.supervisor, appraisal=appraisal, item=item,
                           area=Area.DECISIONS, title="改", weight=Decimal(50), method=Method.SCORED)


def test_m9_1_departments_and_township_governments_are_appraised(district):
    appraisal = district.scheme()
    services.appraisal_transition(actor=district.supervisor, appraisal=appraisal, target=AppraisalStatus.OPEN)
    assert set(appraisal.units.all()) == {district.market, district.urban, district.township}


def test_m9_2_bureau_scores_with_its_basis_note_and_evidence(district):
    appraisal = district.scheme()
    services.appraisal_transition(actor=district.supervisor, appraisal=appraisal, target=AppraisalStatus.OPEN)
    item = appraisal.items.get(method=Method.SCORED)
    with assert_audited("assessment.score.save"):
        score = services.score_save(actor=district.supervisor, item=item, unit=district.market,
                                    points=Decimal("52.5"), basis=Basis.UNANNOUNCED_VISIT,
                                    note="暗访发现2件未经法制审核。",
                                    files=[(io.BytesIO(PNG), "暗访记录.png", len(PNG))])
    assert score.get_basis_display() == "暗访"
    assert Attachment.objects.filter(target_id=str(score.pk), original_name="暗访记录.png").exists()
    with pytest.raises(ValidationError, match="得分须在0至60分之间"):
        services.score_save(actor=district.supervisor, item=item, unit=district.urban,
                            points=Decimal(61), basis=Basis.DAILY)
    with pytest.raises(ValidationError, match="尚有 2 项评分未录入"):
        services.appraisal_transition(actor=district.supervisor, appraisal=appraisal,
                                      target=AppraisalStatus.PROPOSED)


# --- computed indicators equal a hand count (M9.1, M9.3) ---------------------------------
def test_m9_3_deadline_on_time_rate_equals_a_hand_count(district):
    rule, y = "publicity_licensing_penalty", dt.date(2026, 1, 1)
    m = district.market
    for day in (dt.date(2026, 3, 2), dt.date(2026, 5, 6), dt.date(2026, 12, 31)):
        _deadline(m, rule, day, S.MET, met_day=day)  # on time (met on the due day)
    _deadline(m, rule, dt.date(2026, 4, 1), S.MET, met_day=dt.date(2026, 4, 3))  # late
    _deadline(m, rule, dt.date(2026, 6, 1), S.OVERDUE)  # overdue
    _deadline(m, rule, dt.date(2026, 7, 1), S.CANCELLED)  # not judged
    _deadline(m, rule, dt.date(2025, 12, 30), S.OVERDUE)  # another year
    _deadline(m, "rectification", dt.date(2026, 7, 1), S.OVERDUE)  # another rule
    _deadline(district.urban, rule, dt.date(2026, 8, 3), S.MET, met_day=dt.date(2026, 8, 10))
    tallies.rebuild_all()
    figures = indicators.compute_all(y.year, [m.pk, district.urban.pk, district.township.pk])
    assert figures[f"deadline:{rule}"] == {m.pk: 3 / 5, district.urban.pk: 0.0}
    assert figures["deadline:rectification"] == {m.pk: 0.0}
    indicator = indicators.get(f"deadline:{rule}")
    assert indicator.text(3 / 5) == "60.0%"
    assert indicator.points(3 / 5, Decimal(40)) == Decimal(24)
    assert indicator.points(None, Decimal(40)) == Decimal(40)  # nothing due: nothing lost
    assert f"organization={m.pk}" in indicator.rows_url(2026, m.pk)


def test_m9_3_transfers_accepted_equals_a_hand_count(district):
    def transfer(status, sender=district.market):
        t = Transfer.objects.create(kind=TransferKind.TOWNSHIP, sender=sender, receiver=district.urban
                                    if sender != district.urban else district.market,
                                    subject="移送", reason="无管辖权", basic_facts="占道经营。", discovered_at=timezone.now(), status=status,
                                    created_by=district.market_officer)
        return t
    for status in (TransferStatus.ACCEPTED, TransferStatus.ACCEPTED, TransferStatus.RETURNED,
                   TransferStatus.SENT, TransferStatus.DRAFT):
        transfer(status)
    transfer(TransferStatus.RETURNED, sender=district.urban)
    year = timezone.localdate().year
    figures = indicators.compute_all(year, [district.market.pk, district.urban.pk], ["transfers_accepted"])
    assert figures["transfers_accepted"] == {district.market.pk: 2 / 3, district.urban.pk: 0.0}


def test_m9_3_reversals_entered_by_the_bureau_deduct_per_case(district, settings):
    settings.ASSESSMENT_REVERSAL_DEDUCTION = 2
    with assert_audited("assessment.reversal.save"):
        services.reversal_save(actor=district.supervisor, year=2026, unit=district.urban,
                               reconsideration_reversed=2, litigation_lost=1, note="复议撤销2件。")
    with pytest.raises(PermissionDenied):
        services.reversal_save(actor=district.urban_head, year=2026, unit=district.urban,
                               reconsideration_reversed=0, litigation_lost=0)
    figures = indicators.compute_all(2026, [district.urban.pk, district.market.pk], ["reversals"])
    assert figures["reversals"] == {district.urban.pk: 3}
    reversals = indicators.get("reversals")
    assert reversals.points(3, Decimal(10)) == Decimal(4)
    assert reversals.points(None, Decimal(10)) == Decimal(10)


def test_m9_3_a_missing_app_only_leaves_its_indicator_out(district):
    assert indicators.compute_all(2026, [district.market.pk], ["case_file_review"]) == {"case_file_review": {}}
    assert "case_file_review" not in dict(indicators.choices())


def test_m9_3_indicators_are_computed_in_queries_independent_of_the_units(district, django_assert_max_num_queries):
    from core.testing import OrganizationFactory

    few = [district.market.pk]
    many = [OrganizationFactory().pk for _ in range(30)]
    # One statement per source whatever the units: the deadline tally, transfers and
    # reversals (builtin.py), and each mechanism's own figure (mechanisms.py).
    sources = 3 + 5
    with django_assert_max_num_queries(sources):
        indicators.compute_all(2026, few)
    with django_assert_max_num_queries(sources):
        indicators.compute_all(2026, many)


# --- results (M9.4, M9.5) ----------------------------------------------------------------
def test_m9_4_results_graded_approved_fed_back_and_published(district):
    appraisal = district.scheme(year=timezone.localdate().year)
    services.appraisal_transition(actor=district.supervisor, appraisal=appraisal, target=AppraisalStatus.OPEN)
    _score_all(district, appraisal, {district.market: 57, district.urban: 45, district.township: 10})
    with assert_audited("assessment.appraisal.transition", appraisal):
        services.appraisal_transition(actor=district.supervisor, appraisal=appraisal,
                                      target=AppraisalStatus.PROPOSED)
    grades = {r.unit: (r.total, r.grade) for r in appraisal.results.all()}
    assert grades == {district.market: (Decimal(97), Grade.EXCELLENT),
                      district.urban: (Decimal(85), Grade.GOOD),
                      district.township: (Decimal(50), Grade.FAIL)}
    # The computed item is fixed at the proposal.
    computed = Score.objects.get(item__method=Method.COMPUTED, unit=district.market)
    assert computed.points == Decimal(40) and computed.value is None
    assert "提请审定" in _inbox(district.government)[0]
    # Before the approval a unit sees nothing of its result.
    assert not selectors.result_list(district.urban_head, appraisal).exists()
    with pytest.raises(PermissionDenied):  # the bureau does not approve its own results
        services.appraisal_transition(actor=district.supervisor, appraisal=appraisal,
                                      target=AppraisalStatus.APPROVED)
    services.appraisal_transition(actor=district.approver, appraisal=appraisal,
                                  target=AppraisalStatus.APPROVED, note="同意。")
    appraisal.refresh_from_db()
    assert appraisal.approved_by == district.approver and appraisal.approval_note == "同意。"
    assert f"{appraisal}结果反馈" in _inbox(district.urban)
    body = Notification.objects.filter(organization=district.urban).latest("id").body
    assert "85.0分" in body and "良好" in body
    assert [r.unit for r in selectors.result_list(district.urban_head, appraisal)] == [district.urban]
    with assert_audited("assessment.result.honour"):
        services.result_honour(actor=district.supervisor, result=appraisal.results.get(unit=district.market),
                               honour=Honour.COMMENDED, note="三项制度落实到位")
    with pytest.raises(ValidationError, match="事由"):
        services.result_honour(actor=district.supervisor, result=appraisal.results.get(unit=district.township),
                               honour=Honour.CRITICISED, note="")
    services.appraisal_transition(actor=district.supervisor, appraisal=appraisal,
                                  target=AppraisalStatus.PUBLISHED)
    appraisal.refresh_from_db()
    report = appraisal.report
    assert report.number == f"北司考〔{timezone.localdate().year}〕1号"
    assert report.data["commended"] == ["区市场监督管理局：三项制度落实到位"]
    assert "优秀" in [g["grade"] for g in report.data["grades"]]
    assert Document.objects.filter(kind="appraisal_report").count() == 1
    assert appraisal in selectors.published_appraisals()


def test_m9_4_government_sends_back_and_the_bureau_scores_again(district):
    appraisal = district.scheme()
    services.appraisal_transition(actor=district.supervisor, appraisal=appraisal, target=AppraisalStatus.OPEN)
    _score_all(district, appraisal, {district.market: 57, district.urban: 45, district.township: 30})
    services.appraisal_transition(actor=district.supervisor, appraisal=appraisal, target=AppraisalStatus.PROPOSED)
    with pytest.raises(ValidationError, match="须填写理由"):
        services.appraisal_transition(actor=district.approver, appraisal=appraisal, target=AppraisalStatus.OPEN)
    services.appraisal_transition(actor=district.approver, appraisal=appraisal, target=AppraisalStatus.OPEN,
                                  note="海滨镇评分依据不足，请复核。")
    assert "考核结果被退回" in _inbox(district.bureau)[0]
    _score_all(district, appraisal, {district.township: 40})
    services.appraisal_transition(actor=district.supervisor, appraisal=appraisal, target=AppraisalStatus.PROPOSED)
    assert Result.objects.get(appraisal=appraisal, unit=district.township).total == Decimal(80)


# --- self-assessment (M9.6) --------------------------------------------------------------
def test_m9_6_self_assessment_reported_filed_meets_the_duty_and_is_published(district):
    appraisal = district.scheme(year=timezone.localdate().year)
    deadlines_open_recurring()
    duty = Deadline.objects.get(rule="self_assessment", responsible=district.market)
    assert not Deadline.objects.filter(rule="self_assessment", responsible=district.township).exists()
    with pytest.raises(ValidationError, match="考核开始后"):
        services.self_assessment_save(actor=district.market_legal, appraisal=appraisal,
                                      department=district.market, summary="自评", scores={})
    services.appraisal_transition(actor=district.supervisor, appraisal=appraisal, target=AppraisalStatus.OPEN)
    items = list(appraisal.items.all())
    with assert_audited("assessment.self_assessment.save"):
        sa = services.self_assessment_save(actor=district.market_legal, appraisal=appraisal,
                                           department=district.market, summary="全年依法行政情况良好。",
                                           scores={items[0].pk: (Decimal(55), "法制审核全覆盖")})
    with pytest.raises(ValidationError, match="尚有 1 项指标未自评"):
        services.self_assessment_transition(actor=district.market_legal, sa=sa, target=ReportStatus.FILED)
    with pytest.raises(ValidationError, match="须在0至40分之间"):
        services.self_assessment_save(actor=district.market_legal, appraisal=appraisal,
                                      department=district.market, summary="改",
                                      scores={items[1].pk: (Decimal(41), "")})
    services.self_assessment_save(actor=district.market_legal, appraisal=appraisal, department=district.market,
                                  summary="全年依法行政情况良好。", scores={items[1].pk: (Decimal(38), "")})
    with pytest.raises(PermissionDenied):
        services.self_assessment_save(actor=district.urban_head, appraisal=appraisal,
                                      department=district.market, summary="冒填", scores={})
    with assert_audited("assessment.selfassessment.transition", sa):
        services.self_assessment_transition(actor=district.market_legal, sa=sa, target=ReportStatus.FILED)
    duty.refresh_from_db()
    assert duty.state == S.MET
    assert f"报送备案：{sa}" in _inbox(district.government)
    assert f"报送备案：{sa}" in _inbox(district.bureau)
    assert sa.total == Decimal(93)
    with pytest.raises(ValidationError, match="不能再修改"):
        services.self_assessment_save(actor=district.market_legal, appraisal=appraisal,
                                      department=district.market, summary="改", scores={})
    services.self_assessment_transition(actor=district.market_legal, sa=sa, target=ReportStatus.PUBLISHED)
    outsider = member(Role.OFFICER)
    assert sa in selectors.self_assessment_list(outsider)  # published: everyone's to read


# --- officer evaluation (M9.7) -----------------------------------------------------------
def test_m9_7_officer_evaluation_filed_by_the_half_year_deadline_and_published(district):
    deadlines_open_recurring()
    period = selectors.half_year(timezone.localdate())
    duty = Deadline.objects.get(rule="officer_evaluation", responsible=district.market, period=period)
    with assert_audited("assessment.officer_evaluation.create"):
        evaluation = services.officer_evaluation_create(actor=district.market_legal,
                                                        department=district.market, period=period)
    officers = {g.officer for g in evaluation.grades.all()}
    assert officers == {district.market_officer, district.market_legal}
    with pytest.raises(ValidationError, match="尚有 2 名执法人员未评定等次"):
        services.officer_evaluation_transition(actor=district.market_legal, evaluation=evaluation,
                                               target=ReportStatus.FILED)
    with assert_audited("assessment.officer_evaluation.grade", evaluation):
        services.officer_evaluation_grade(actor=district.market_legal, evaluation=evaluation, grades={
            district.market_officer.pk: ("excellent", "办案规范"),
            district.market_legal.pk: ("competent", "")})
    with pytest.raises(PermissionDenied):
        services.officer_evaluation_grade(actor=district.urban_head, evaluation=evaluation, grades={})
    with assert_audited("assessment.officerevaluation.transition", evaluation):
        services.officer_evaluation_transition(actor=district.market_legal, evaluation=evaluation,
                                               target=ReportStatus.FILED)
    duty.refresh_from_db()
    assert duty.state == S.MET
    assert f"报送备案：{evaluation}" in _inbox(district.bureau)
    services.officer_evaluation_transition(actor=district.market_legal, evaluation=evaluation,
                                           target=ReportStatus.PUBLISHED)
    history = list(selectors.officer_history(district.market_officer, district.market_officer.pk))
    assert [(g.evaluation, g.get_grade_display(), g.remarks) for g in history] == [(evaluation, "优秀", "办案规范")]


# --- W2 ------------------------------------------------------------------------------------
def test_w2_coordination_office_issues_a_numbered_notice_of_poor_implementation(district):
    with assert_audited("assessment.implementation_notice.issue", district.urban):
        document = services.implementation_notice_issue(
            actor=district.clerk, unit=district.urban, facts="议定事项逾期未反馈2件。",
            requirements="15个工作日内整改。")
    assert document.number == f"北执协督〔{timezone.localdate().year}〕1号"
    assert document.addressee == district.urban
    assert f"工作通报：{document.title}" in _inbox(district.urban)
    with pytest.raises(PermissionDenied):
        services.implementation_notice_issue(actor=district.urban_head, unit=district.market,
                                             facts="x", requirements="y")
