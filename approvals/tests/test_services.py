"""The approval–supervision services (M14.2, M14.4): each write checked, audited and
moving its deadlines."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from approvals import services
from approvals.models import Decision, DecisionStatus, Result, Route, Source
from approvals.selectors import non_cooperation
from cases.testing import make_case
from core.models import Event
from core.testing import assert_audited
from deadlines.calendar import end_of_day
from deadlines.models import Deadline, DeadlineState, Notification
from deadlines.sweep import sweep

from .conftest import csv_file, decision_data

pytestmark = pytest.mark.django_db


def _deadline(decision, rule="approval_claim") -> Deadline:
    return Deadline.objects.get(target_id=str(decision.pk), rule=rule,
                                target_type__model="decision")


def test_m14_2_decision_routed_by_item_type_claim_due_in_2_working_days_across_national_day(district, beijing):
    """Pushed on 30 September 2026: 1–7 October are the National Day holiday, so the two
    working days are 8 and 9 October — the claim is due 10月9日24时."""
    with time_machine.travel(beijing(2026, 9, 30, 10, 0), tick=False):
        with assert_audited("approvals.route.save"):
            district.route("食品经营许可", district.market)
        with assert_audited("approvals.decision.receive"):
            received = services.decisions_receive(actor=district.approver, items=[decision_data(1)])
    decision = received.decisions()[0]
    assert (decision.status, decision.department, decision.source) == (
        DecisionStatus.PUSHED, district.market, Source.API)
    deadline = _deadline(decision)
    assert deadline.responsible == district.market
    assert deadline.due == end_of_day(dt.date(2026, 10, 9))
    assert Notification.objects.filter(organization=district.market,
                                       subject="收到审批推送事项 1 件").exists()


def test_m14_2_the_same_decision_number_again_returns_the_existing_row(district):
    district.route()
    first = district.receive(decision_data(1)).decisions()[0]
    again = district.receive(decision_data(1, applicant="改了名字的申请人"))
    assert (again.created, again.existing, again.ids) == (0, 1, [first.pk])
    assert Decision.objects.count() == 1
    assert Deadline.objects.filter(rule="approval_claim").count() == 1


def test_m14_2_a_malformed_decision_is_refused_naming_the_field_and_its_batch_writes_nothing(district):
    district.route()
    events = Event.objects.count()
    with pytest.raises(services.DecisionsRejected) as refused:
        district.receive(decision_data(1), decision_data(2, decided_on="2026-13-01", applicant=""))
    problems = {(p.where, p.column, p.field) for p in refused.value.problems}
    assert problems == {(2, "决定日期", "decided_on"), (2, "申请人", "applicant")}
    assert "第 2 条“决定日期”：决定日期“2026-13-01”不是有效日期" in refused.value.messages[0] + refused.value.messages[1]
    assert Decision.objects.count() == 0 and Event.objects.count() == events


def test_m14_2_only_the_approval_bureau_sends_decisions(district):
    with pytest.raises(PermissionDenied):
        services.decisions_receive(actor=district.market_officer, items=[decision_data(1)])


def test_m14_2_an_import_with_a_bad_row_changes_nothing(district):
    district.route()
    events, deadlines = Event.objects.count(), Deadline.objects.count()
    rows = [decision_data(1), decision_data(2, credit_code="123"), decision_data(1)]
    with pytest.raises(services.DecisionsRejected) as refused:
        services.decisions_import(actor=district.approver, fileobj=csv_file(rows), name="审批决定.csv")
    assert [(p.where, p.column) for p in refused.value.problems] == [
        (3, "统一社会信用代码"), (4, "审批决定文号")]
    assert "与第 2 行重复" in refused.value.problems[1].message
    assert (Decision.objects.count(), Event.objects.count(), Deadline.objects.count()) == (0, events, deadlines)


def test_m14_2_an_import_without_its_headers_is_refused_by_name(district):
    import io

    with pytest.raises(services.DecisionsRejected, match="第 1 行缺少列：审批决定文号"):
        services.decisions_import(actor=district.approver, fileobj=io.BytesIO("申请人\n张三\n".encode()),
                                  name="a.csv")
    with pytest.raises(services.DecisionsRejected, match="请上传 .xlsx 或 .csv 文件"):
        services.decisions_import(actor=district.approver, fileobj=io.BytesIO(b"x"), name="a.doc")


def test_m14_2_an_xlsx_import_routes_what_it_can_and_leaves_the_rest_for_the_bureau(district):
    import io

    from openpyxl import Workbook

    from approvals import intake

    district.route()
    book = Workbook()
    sheet = book.active
    sheet.append(intake.template_headers())
    for data in (decision_data(1), decision_data(2, item_type="公共场所卫生许可")):
        data["decided_on"] = dt.date(2026, 9, 28)  # a real date cell
        sheet.append([data[c.key] for c in intake.COLUMNS])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    with assert_audited("approvals.decision.receive"):
        received = services.decisions_import(actor=district.approver, fileobj=out, name="审批决定.xlsx")
    assert (received.created, received.unrouted) == (2, 1)
    unrouted = Decision.objects.get(item_type="公共场所卫生许可")
    assert unrouted.status == DecisionStatus.UNROUTED and unrouted.department is None
    # The bureau adds the route: the waiting decision is pushed at once.
    with assert_audited("approvals.decision.transition", unrouted):
        district.route("公共场所卫生许可", district.health)
    unrouted.refresh_from_db()
    assert (unrouted.status, unrouted.department) == (DecisionStatus.PUSHED, district.health)
    assert _deadline(unrouted).responsible == district.health


def test_m14_2_routing_table_kept_by_the_approval_bureau_only(district):
    route = district.route()
    with pytest.raises(ValidationError, match="已在路由表中"):
        district.route()
    with pytest.raises(PermissionDenied):
        services.route_save(actor=district.market_officer, item_type="X", department=district.market)
    with assert_audited("approvals.route.save", route):
        services.route_save(actor=district.approver, route=route, item_type="食品经营许可",
                            department=district.health, note="改由卫健局监管")
    assert Route.objects.get().department == district.health
    with assert_audited("approvals.route.remove"):
        services.route_remove(actor=district.approver, route=route)
    assert not Route.objects.exists()


def test_m14_2_the_department_claims_and_its_supervision_with_the_case_flows_back(district):
    district.route()
    decision = district.receive(decision_data(1, decided_on=str(timezone.localdate()))).decisions()[0]
    with pytest.raises(PermissionDenied):  # not the supervising department
        services.decision_claim(actor=district.health_officer, decision=decision)
    with assert_audited("approvals.decision.transition", decision):
        services.decision_claim(actor=district.market_officer, decision=decision)
    assert decision.status == DecisionStatus.CLAIMED and decision.claimed_by == district.market_officer
    assert _deadline(decision).state == DeadlineState.MET
    assert _deadline(decision, "approval_feedback").state == DeadlineState.OPEN

    others = make_case(district.health)
    ours = make_case(district.market, actor=district.market_officer)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.supervision_record(actor=district.market_officer, decision=decision, inspected_on=today,
                                    inspection="现场检查", result=Result.PENALTY, findings="超范围经营")
    assert "请选择处罚案件" in str(refused.value)
    with pytest.raises(ValidationError, match="只能关联本部门办理的案件"):
        services.supervision_record(actor=district.market_officer, decision=decision, inspected_on=today,
                                    inspection="现场检查", result=Result.PENALTY, findings="超范围经营",
                                    case=others)
    with assert_audited("approvals.supervision.record", decision):
        record = services.supervision_record(
            actor=district.market_officer, decision=decision, inspected_on=today,
            inspection="现场检查经营场所", result=Result.PENALTY, findings="超范围经营，已立案。", case=ours)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.FED_BACK and record.case == ours
    assert _deadline(decision, "approval_feedback").state == DeadlineState.MET
    assert Notification.objects.filter(organization=district.approval,
                                       subject=f"监管情况反馈：{decision.number}").exists()


def test_m14_4_non_cooperation_lists_overdue_claims_missing_feedback_and_agreed_matters_not_done(district):
    import io

    from evidence.tests.factories import PNG
    from meetings import services as meeting_services
    from meetings.models import BodyKind, JointBody, MeetingKind, Topic
    from core.models import Role
    from core.testing import justice_bureau, member

    district.route()
    late_claim, late_feedback, fine = district.receive(
        decision_data(1), decision_data(2), decision_data(3)).decisions()
    services.decision_claim(actor=district.market_officer, decision=late_feedback)
    services.decision_claim(actor=district.market_officer, decision=fine)
    services.supervision_record(actor=district.market_officer, decision=fine,
                                inspected_on=timezone.localdate(), inspection="现场检查",
                                result=Result.COMPLIANT)
    # The approval–supervision joint meeting agreed a matter the market bureau has not done.
    admin = member(Role.SYSTEM_ADMIN, justice_bureau())
    body = meeting_services.joint_body_save(actor=admin, body=JointBody(kind=BodyKind.APPROVAL,
                                                                        convener=district.approval),
                                            members=[district.market, district.health])
    meeting = meeting_services.meeting_create(actor=district.approver, body=body, kind=MeetingKind.REGULAR,
                                              title="审管联席会议", place="审批局会议室",
                                              starts_at=timezone.now() - dt.timedelta(hours=2))
    meeting_services.agenda_add(actor=district.approver, meeting=meeting, topic=Topic.LINKAGE, title="联动")
    meeting_services.meeting_record_held(
        actor=district.approver, meeting=meeting, held_at=timezone.now() - dt.timedelta(hours=2),
        attended=[district.market], summary="", minutes=io.BytesIO(PNG), minutes_name="纪要.png",
        minutes_size=len(PNG))
    meeting_services.resolution_create(actor=district.approver, meeting=meeting, title="建立审批信息推送台账",
                                       content="按月核对。", due_on=timezone.localdate(),
                                       departments=[district.market])
    with time_machine.travel(timezone.now() + dt.timedelta(days=40)):
        sweep()
        rows = non_cooperation()
        seen_by_health = non_cooperation(district.health_officer)
    assert {(r.kind, r.subject, r.department) for r in rows} == {
        ("claim_overdue", late_claim.number, district.market),
        ("feedback_overdue", late_feedback.number, district.market),
        ("resolution_not_done", "建立审批信息推送台账", district.market),
    }
    assert all(r.missing and r.due and r.url for r in rows)
    assert seen_by_health == []
    assert [r.kind for r in non_cooperation(filters={"kind": "claim_overdue"})] == ["claim_overdue"]


def test_m14_2_decisions_pushed_together_open_their_claim_deadlines_in_one_go(district, beijing):
    from deadlines.services import deadlines_open_many

    first, second = district.receive(decision_data(1, item_type="甲"), decision_data(2, item_type="乙")).decisions()
    start = beijing(2026, 9, 30, 16, 0)
    with assert_audited("deadline.open"):
        ids = deadlines_open_many(targets=[(first, district.market), (second, district.health)],
                                  rule="approval_claim", start=start, actor=district.approver)
    rows = [Deadline.objects.get(pk=pk) for pk in ids]
    assert [(r.target, r.target_repr) for r in rows] == [(first, str(first)), (second, str(second))]
    assert [(r.responsible, r.due) for r in rows] == [
        (district.market, end_of_day(dt.date(2026, 10, 9))), (district.health, end_of_day(dt.date(2026, 10, 9)))]
    assert Event.objects.filter(verb="deadline.open").count() == 2
    with pytest.raises(ValueError):  # a due written per target is opened one by one
        deadlines_open_many(targets=[(first, district.market)], rule="guidance_report", start=start,
                            actor=district.approver)


def test_m14_2_one_bad_row_deep_in_a_large_import_changes_nothing(district):
    """The import writes in chunks; a bad row past the first chunks still writes none of
    the rows before it — no decision, no event, no deadline, no message."""
    district.route()
    events, deadlines = Event.objects.count(), Deadline.objects.count()
    notifications = Notification.objects.count()
    rows = [decision_data(n) for n in range(1, services.CHUNK * 2 + 500)]
    rows[-3]["decided_on"] = "2026-02-30"
    with pytest.raises(services.DecisionsRejected) as refused:
        services.decisions_import(actor=district.approver, fileobj=csv_file(rows), name="审批决定.csv")
    assert [(p.where, p.column) for p in refused.value.problems] == [(len(rows) - 1, "决定日期")]
    assert (Decision.objects.count(), Event.objects.count(), Deadline.objects.count(),
            Notification.objects.count()) == (0, events, deadlines, notifications)


def test_m14_2_a_large_import_writes_every_decision_its_event_and_its_claim_deadline(district, beijing):
    district.route()
    district.route("公共场所卫生许可", district.health)
    rows = [decision_data(n, item_type=("食品经营许可", "公共场所卫生许可", "未列入类型")[n % 3])
            for n in range(1, services.CHUNK + 700)]
    at = beijing(2026, 9, 30, 16, 0)
    received = services.decisions_import(actor=district.approver, fileobj=csv_file(rows),
                                         name="审批决定.csv", received_at=at)
    routed = [r for r in rows if r["item_type"] != "未列入类型"]
    assert (received.created, received.existing, received.unrouted) == (
        len(rows), 0, len(rows) - len(routed))
    numbers = dict(Decision.objects.values_list("pk", "number"))
    assert [numbers[pk] for pk in received.ids] == [r["number"] for r in rows]
    first = Decision.objects.get(number=rows[0]["number"])
    assert (first.source, first.bureau, first.created_by, first.department, first.pushed_at) == (
        Source.IMPORT, district.approval, district.approver, district.health, at)
    assert first.credit_code == rows[0]["credit_code"] and first.valid_until == dt.date(2031, 9, 27)
    claims = Deadline.objects.filter(rule="approval_claim")
    assert claims.count() == len(routed)
    assert set(claims.values_list("due", flat=True)) == {end_of_day(dt.date(2026, 10, 9))}
    assert claims.filter(responsible=district.health).count() == sum(
        r["item_type"] == "公共场所卫生许可" for r in rows)
    assert Event.objects.filter(verb="approvals.decision.receive").count() == len(rows)
    assert Event.objects.filter(verb="deadline.open").count() == len(routed)
    assert _deadline(first).target_repr == str(first)
    # One message per department, however many chunks.
    assert Notification.objects.filter(subject__startswith="收到审批推送事项").count() == 2


def test_m14_2_a_batch_mixing_received_and_new_numbers_writes_only_the_new(district):
    district.route()
    before = district.receive(*[decision_data(n) for n in range(1, 301, 2)])  # the odd numbers
    events, claims = Event.objects.count(), Deadline.objects.filter(rule="approval_claim").count()
    again = district.receive(*[decision_data(n, applicant="改了名字") for n in range(1, 301)])
    assert (again.created, again.existing) == (150, 150)
    assert again.ids[0::2] == before.ids  # a number received before is that decision
    assert Decision.objects.count() == 300
    assert not Decision.objects.filter(number=decision_data(1)["number"], applicant="改了名字").exists()
    assert Deadline.objects.filter(rule="approval_claim").count() == claims + 150
    assert Event.objects.filter(verb="approvals.decision.receive").count() == 300
    assert Event.objects.count() > events
    # The same number twice in one batch is refused whole, naming both places.
    with pytest.raises(services.DecisionsRejected) as refused:
        district.receive(decision_data(400), decision_data(401), decision_data(400))
    assert [(p.where, p.field) for p in refused.value.problems] == [(3, "number")]
    assert "与第 1 条重复" in refused.value.problems[0].message
    assert not Decision.objects.filter(number=decision_data(401)["number"]).exists()
