"""Joint case handling services (M6.1, M6.2): each write checked, audited and, for the
guidance tasks, keeping its deadline."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.testing import make_case
from core.testing import assert_audited
from deadlines.models import Deadline, DeadlineState, Notification
from deadlines.sweep import sweep
from jointcases import services
from jointcases.models import OperationStatus, TaskKind, TaskStatus
from jointcases.selectors import task_list

from .conftest import png

pytestmark = pytest.mark.django_db


def test_m6_1_operation_starts_only_with_both_plans_and_every_participant_confirmed(district):
    today = timezone.localdate()
    with assert_audited("jointcases.operation.create"):
        op = services.operation_create(
            actor=district.urban_head, lead=district.urban, title="海滨路食品摊点联合整治",
            field="food_drug", scope="整治无证食品摊贩。", starts_on=today,
            ends_on=today + dt.timedelta(days=30), participants=[district.market, district.township])
    assert Notification.objects.filter(organization=district.township,
                                       subject=f"联合执法邀请：{op.title}").exists()
    with pytest.raises(ValidationError) as refused:
        services.operation_transition(actor=district.urban_head, operation=op, target=OperationStatus.UNDER_WAY)
    text = str(refused.value)
    assert "请填写工作方案并上传方案文件" in text and "请填写应急预案并上传预案文件" in text
    assert "尚待区市场监督管理局、海滨镇人民政府确认参加" in text
    with pytest.raises(PermissionDenied):  # only the lead writes the plans
        services.operation_plans_save(actor=district.market_head, operation=op, work_plan="x", emergency_plan="y")
    with assert_audited("jointcases.operation.plans", op):
        services.operation_plans_save(actor=district.urban_head, operation=op, work_plan="分工与步骤。",
                                      emergency_plan="突发情况处置。", work_plan_upload=png("工作方案"),
                                      emergency_plan_upload=png("应急预案"))
    with pytest.raises(PermissionDenied):  # a unit confirms for itself only
        services.participant_confirm(actor=district.market_head,
                                     participant=op.participants.get(unit=district.township))
    with assert_audited("jointcases.participant.confirm", op):
        services.participant_confirm(actor=district.market_head,
                                     participant=op.participants.get(unit=district.market))
    with pytest.raises(ValidationError, match="尚待海滨镇人民政府确认参加"):
        services.operation_transition(actor=district.urban_head, operation=op, target=OperationStatus.UNDER_WAY)
    services.participant_confirm(actor=district.township_officer,
                                 participant=op.participants.get(unit=district.township))
    with assert_audited("jointcases.jointoperation.transition", op):
        services.operation_transition(actor=district.urban_head, operation=op, target=OperationStatus.UNDER_WAY)
    assert op.status == OperationStatus.UNDER_WAY and op.started_at


def test_m6_1_a_joint_operation_needs_units_beyond_the_lead(district):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="须有牵头部门以外的参加单位"):
        services.operation_create(actor=district.urban_head, lead=district.urban, title="单独行动",
                                  field="food_drug", scope="x", starts_on=today, ends_on=today,
                                  participants=[district.urban])
    with pytest.raises(PermissionDenied):  # leads only for its own department
        services.operation_create(actor=district.urban_head, lead=district.market, title="代为牵头",
                                  field="food_drug", scope="x", starts_on=today, ends_on=today,
                                  participants=[district.township])


def test_m6_1_each_participant_links_only_its_own_cases_and_consultations_are_recorded(district):
    op = district.ready()
    services.operation_transition(actor=district.urban_head, operation=op, target=OperationStatus.UNDER_WAY)
    ours = make_case(district.market, actor=district.market_officer)
    outsiders = make_case(district.health, actor=district.health_officer)
    township_case = make_case(district.township, actor=district.township_officer)
    with assert_audited("jointcases.case.link", op):
        services.operation_case_link(actor=district.market_officer, operation=op, case=ours)
    with pytest.raises(ValidationError, match="只能关联本单位办理的案件"):
        services.operation_case_link(actor=district.market_officer, operation=op, case=township_case)
    with pytest.raises(PermissionDenied):
        services.operation_case_link(actor=district.health_officer, operation=op, case=outsiders)
    with pytest.raises(ValidationError, match="已关联"):
        services.operation_case_link(actor=district.market_officer, operation=op, case=ours)
    services.operation_case_link(actor=district.township_officer, operation=op, case=township_case)
    assert set(op.cases.values_list("case__number", flat=True)) == {ours.number, township_case.number}

    with assert_audited("jointcases.consultation.record", op):
        services.consultation_record(actor=district.market_officer, operation=op,
                                     held_on=timezone.localdate(), subject="执法衔接",
                                     conclusion="无证经营由市场监管局立案。",
                                     units=[district.urban, district.market])
    with pytest.raises(ValidationError, match="请选择参加会商的单位"):
        services.consultation_record(actor=district.market_officer, operation=op,
                                     held_on=timezone.localdate(), subject="x", conclusion="y",
                                     units=[district.health])


def test_m6_1_a_results_summary_closes_the_operation(district):
    op = district.ready()
    services.operation_transition(actor=district.urban_head, operation=op, target=OperationStatus.UNDER_WAY)
    with pytest.raises(ValidationError, match="请填写行动成果"):
        services.operation_close(actor=district.urban_head, operation=op, results=" ")
    with pytest.raises(PermissionDenied):
        services.operation_close(actor=district.market_head, operation=op, results="成果")
    with assert_audited("jointcases.jointoperation.transition", op):
        services.operation_close(actor=district.urban_head, operation=op,
                                 results="检查摊点 120 个，取缔无证摊贩 35 处，立案 6 起。")
    assert op.status == OperationStatus.CLOSED and op.closed_at
    assert Notification.objects.filter(organization=district.market,
                                       subject=f"联合执法已结束：{op.title}").exists()


def test_m6_2_a_guidance_task_not_reported_by_its_due_date_shows_overdue(district):
    today = timezone.localdate()
    with assert_audited("jointcases.task.assign"):
        task = services.guidance_task_assign(
            actor=district.market_head, giver=district.market, receiver=district.township,
            kind=TaskKind.UNIFIED, title="农村集市食品安全统一检查", content="检查并报送台账。",
            due_on=today + dt.timedelta(days=3))
    deadline = Deadline.objects.get(rule="guidance_report", target_id=str(task.pk))
    assert deadline.responsible == district.township and deadline.state == DeadlineState.OPEN
    with time_machine.travel(timezone.now() + dt.timedelta(days=6)):
        sweep()
        assert list(task_list(district.supervisor, {"state": "overdue"})) == [task]
        # Slow action: reported after the due date — met late, still listed as such.
        with assert_audited("jointcases.guidancetask.transition", task):
            services.guidance_task_report(actor=district.township_officer, task=task, report="已检查 12 个集市。")
        assert list(task_list(district.supervisor, {"state": "late"})) == [task]
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET and deadline.is_late
    with pytest.raises(ValidationError, match="须填写理由"):
        services.guidance_task_transition(actor=district.market_head, task=task, target=TaskStatus.RETURNED)
    services.guidance_task_transition(actor=district.market_head, task=task, target=TaskStatus.RETURNED,
                                      note="未附检查台账。")
    assert task.status == TaskStatus.RETURNED and task.return_reason == "未附检查台账。"
    services.guidance_task_report(actor=district.township_officer, task=task, report="台账附后。")
    with assert_audited("jointcases.guidancetask.transition", task):
        services.guidance_task_transition(actor=district.market_head, task=task, target=TaskStatus.ACCEPTED)
    assert task.status == TaskStatus.ACCEPTED


def test_m6_2_tasks_go_only_downward(district):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="不是区市场监督管理局的下级单位或乡镇"):
        services.guidance_task_assign(actor=district.market_head, giver=district.market,
                                      receiver=district.urban, kind=TaskKind.FOCUS, title="x",
                                      content="y", due_on=today)
    with pytest.raises(PermissionDenied):
        services.guidance_task_assign(actor=district.township_officer, giver=district.township,
                                      receiver=district.township, kind=TaskKind.FOCUS, title="x",
                                      content="y", due_on=today)
    with pytest.raises(ValidationError, match="反馈期限不能早于下达日期"):
        services.guidance_task_assign(actor=district.market_head, giver=district.market,
                                      receiver=district.township, kind=TaskKind.FOCUS, title="x",
                                      content="y", due_on=today - dt.timedelta(days=1))
