"""Every write of joint case handling (M6): joint operations — opening with the
participants, the two plans, each participant's confirmation, starting, consultations,
linking the cases each participant opened, closing with the results (M6.1) — and the
guidance tasks a higher unit gives a lower one, reported and accepted (M6.2)."""
from __future__ import annotations

import datetime as dt
from typing import BinaryIO, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import policy
from core.audit import audit_record, diff, snapshot
from core.models import Organization, OrgKind
from core.services import attachment_store
from core.workflow import transition_apply
from deadlines.calendar import start_of_day
from deadlines.notifications import notification_send
from deadlines.services import deadline_open

from .models import (Consultation, GuidanceTask, JointOperation, LinkedCase, OperationStatus,
                     Participant, TaskStatus)
from .selectors import receivers_for
from .workflow import OPERATION_WORKFLOW, REPORT_RULE, TASK_WORKFLOW

PARTICIPANT_KINDS = (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP)


# --- who may do what (the pages ask the same predicates) -------------------------------
@policy.predicate("以该单位名义牵头联合执法")
def may_lead(user, unit: Organization | None = None) -> bool:
    units = policy.organizations_with(user, "joint.lead").filter(kind__in=PARTICIPANT_KINDS)
    return (units if unit is None else units.filter(pk=unit.pk)).exists()


@policy.predicate("修改该联合执法的方案")
def may_edit_plans(user, op: JointOperation) -> bool:
    return op.status == OperationStatus.PREPARING and policy.has_capability(user, "joint.lead", op.lead)


@policy.predicate("确认参加该联合执法")
def may_confirm(user, participant: Participant) -> bool:
    return (participant.operation.status == OperationStatus.PREPARING
            and participant.confirmed_at is None
            and policy.has_capability(user, "joint.take_part", participant.unit))


def _acting_units(user, op: JointOperation) -> set[int]:
    """The lead and participant units of ``op`` for which ``user`` takes part."""
    units = {p.unit_id for p in op.participants.all()} | {op.lead_id}
    return {u for u in units if policy.has_capability(user, "joint.take_part", u)
            or policy.has_capability(user, "joint.lead", u)}


@policy.predicate("登记该联合执法的会商情况")
def may_consult(user, op: JointOperation) -> bool:
    return op.status != OperationStatus.CLOSED and bool(_acting_units(user, op))


@policy.predicate("关联本单位在该联合执法中办理的案件")
def may_link_case(user, op: JointOperation) -> bool:
    return op.status == OperationStatus.UNDER_WAY and bool(_acting_units(user, op))


@policy.predicate("以该单位名义下达督导任务")
def may_assign(user, giver: Organization | None = None) -> bool:
    units = policy.organizations_with(user, "guidance.assign")
    return (units if giver is None else units.filter(pk=giver.pk)).exists()


@policy.predicate("反馈该督导任务")
def may_report(user, task: GuidanceTask) -> bool:
    return (task.status in (TaskStatus.ASSIGNED, TaskStatus.RETURNED)
            and policy.has_capability(user, "guidance.report", task.receiver))


# --- joint operations (M6.1) -----------------------------------------------------------
def operation_create(*, actor, lead: Organization, title: str, field: str, scope: str,
                     starts_on: dt.date, ends_on: dt.date,
                     participants: Iterable[Organization]) -> JointOperation:
    """The lead department opens a joint operation with the departments and townships that
    take part (two or more units: M6.1); each participant is asked to confirm."""
    may_lead.require(actor, lead)
    units = [u for u in participants if u.pk != lead.pk]
    if not units:
        raise ValidationError({"participants": "联合执法须有牵头部门以外的参加单位。"})
    if any(u.kind not in PARTICIPANT_KINDS for u in units):
        raise ValidationError({"participants": "参加单位须是行政执法部门或乡镇（街道）。"})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "计划结束日期不能早于开始日期。"})
    op = JointOperation(lead=lead, title=title.strip(), field=field, scope=scope.strip(),
                        starts_on=starts_on, ends_on=ends_on, created_by=actor)
    op.full_clean()
    with transaction.atomic():
        op.save()
        Participant.objects.bulk_create([Participant(operation=op, unit=u) for u in units])
        audit_record(actor=actor, verb="jointcases.operation.create", target=op, organization=lead,
                     changes=diff({}, snapshot(op, ["title", "field", "starts_on", "ends_on"])),
                     note="参加单位：" + "、".join(u.name for u in units))
        notification_send(recipients=units, subject=f"联合执法邀请：{op.title}",
                          body=f"{lead.name}牵头开展联合执法，请确认参加。", target=op, actor=actor)
    return op


def operation_plans_save(*, actor, operation: JointOperation, work_plan: str, emergency_plan: str,
                         work_plan_upload: tuple[BinaryIO, str, int] | None = None,
                         emergency_plan_upload: tuple[BinaryIO, str, int] | None = None
                         ) -> JointOperation:
    """The lead writes the work plan and the emergency plan (text and files, M6.1 牵头部门应
    制定具体工作方案和应急预案); the operation cannot start without both."""
    may_edit_plans.require(actor, operation)
    before = snapshot(operation, ["work_plan", "emergency_plan", "work_plan_file", "emergency_plan_file"])
    with transaction.atomic():
        for upload, field, what in ((work_plan_upload, "work_plan_file", "工作方案"),
                                    (emergency_plan_upload, "emergency_plan_file", "应急预案")):
            if upload is not None:
                fileobj, name, size = upload
                setattr(operation, field, attachment_store(
                    actor=actor, organization=operation.lead, fileobj=fileobj, name=name, size=size,
                    target=operation, description=what))
        operation.work_plan, operation.emergency_plan = work_plan.strip(), emergency_plan.strip()
        operation.save(update_fields=["work_plan", "emergency_plan", "work_plan_file",
                                      "emergency_plan_file"])
        audit_record(actor=actor, verb="jointcases.operation.plans", target=operation,
                     organization=operation.lead,
                     changes=diff(before, snapshot(operation, ["work_plan", "emergency_plan",
                                                               "work_plan_file", "emergency_plan_file"])))
    return operation


def participant_confirm(*, actor, participant: Participant) -> Participant:
    """A participating unit confirms it takes part; the lead is told."""
    may_confirm.require(actor, participant)
    with transaction.atomic():
        participant.confirmed_by, participant.confirmed_at = actor, timezone.now()
        participant.save(update_fields=["confirmed_by", "confirmed_at"])
        op = participant.operation
        audit_record(actor=actor, verb="jointcases.participant.confirm", target=op,
                     organization=participant.unit, note=f"{participant.unit.name}确认参加")
        notification_send(recipients=[op.lead], subject=f"{participant.unit.name}确认参加：{op.title}",
                          target=op, actor=actor)
    return participant


def operation_transition(*, actor, operation: JointOperation, target: str, note: str = "") -> JointOperation:
    """Start the operation (plans written, every participant confirmed); closing goes
    through ``operation_close`` with its results."""
    if target != OperationStatus.UNDER_WAY:
        raise ValidationError("结束联合执法请填写行动成果。")
    with transaction.atomic():
        transition_apply(workflow=OPERATION_WORKFLOW, obj=operation, target=target, actor=actor,
                         note=note, updates={"started_at": timezone.now()})
        notification_send(recipients=[p.unit for p in operation.participants.select_related("unit")],
                          subject=f"联合执法已启动：{operation.title}", target=operation, actor=actor)
    return operation


def consultation_record(*, actor, operation: JointOperation, held_on: dt.date, subject: str,
                        conclusion: str, units: Iterable[Organization]) -> Consultation:
    may_consult.require(actor, operation)
    units = list(units)
    allowed = {p.unit_id for p in operation.participants.all()} | {operation.lead_id}
    if not units or any(u.pk not in allowed for u in units):
        raise ValidationError({"units": "请选择参加会商的单位（牵头部门或参加单位）。"})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "会商日期不能晚于今天。"})
    if not conclusion.strip():
        raise ValidationError({"conclusion": "请填写会商意见。"})
    consultation = Consultation(operation=operation, held_on=held_on, subject=subject.strip(),
                                conclusion=conclusion.strip(), created_by=actor)
    consultation.full_clean()
    with transaction.atomic():
        consultation.save()
        consultation.units.set(units)
        audit_record(actor=actor, verb="jointcases.consultation.record", target=operation,
                     organization=operation.lead, note=consultation.subject)
    return consultation


def operation_case_link(*, actor, operation: JointOperation, case) -> LinkedCase:
    """Link a case a participant (or the lead) opened in the operation: only a case of a
    unit the actor acts for, and only a unit of the operation."""
    may_link_case.require(actor, operation)
    if case.department_id not in _acting_units(actor, operation):
        raise ValidationError({"case": "只能关联本单位办理的案件（须是牵头部门或参加单位）。"})
    if operation.cases.filter(case=case).exists():
        raise ValidationError({"case": f"{case.number}已关联。"})
    with transaction.atomic():
        link = LinkedCase.objects.create(operation=operation, case=case, linked_by=actor)
        audit_record(actor=actor, verb="jointcases.case.link", target=operation,
                     organization=case.department, note=case.number)
    return link


def operation_close(*, actor, operation: JointOperation, results: str) -> JointOperation:
    """The lead closes the operation with its results summary; the participants are told."""
    if not results.strip():
        raise ValidationError({"results": "请填写行动成果。"})
    with transaction.atomic():
        operation.results = results.strip()
        transition_apply(workflow=OPERATION_WORKFLOW, obj=operation, target=OperationStatus.CLOSED,
                         actor=actor, updates={"results": operation.results, "closed_at": timezone.now()})
        notification_send(recipients=[p.unit for p in operation.participants.select_related("unit")],
                          subject=f"联合执法已结束：{operation.title}", target=operation, actor=actor)
    return operation


# --- guidance tasks (M6.2) -------------------------------------------------------------
def guidance_task_assign(*, actor, giver: Organization, receiver: Organization, kind: str,
                         title: str, content: str, due_on: dt.date,
                         assigned_on: dt.date | None = None) -> GuidanceTask:
    """A higher unit gives a township or a lower unit a task with its due date; the
    ``guidance_report`` deadline runs on the receiver from the day it was given
    (``assigned_on``: a task given on paper before it was entered here; default today)."""
    may_assign.require(actor, giver)
    today = timezone.localdate()
    assigned_on = assigned_on or today
    if not receivers_for(giver).filter(pk=receiver.pk).exists():
        raise ValidationError({"receiver": f"{receiver.name}不是{giver.name}的下级单位或乡镇（街道）。"})
    if assigned_on > today:
        raise ValidationError({"assigned_on": "下达日期不能晚于今天。"})
    if due_on < assigned_on:
        raise ValidationError({"due_on": "反馈期限不能早于下达日期。"})
    task = GuidanceTask(giver=giver, receiver=receiver, kind=kind, title=title.strip(),
                        content=content.strip(), due_on=due_on, created_by=actor)
    task.full_clean()
    with transaction.atomic():
        task.save()
        start = timezone.now() if assigned_on == today else start_of_day(assigned_on)
        deadline_open(target=task, rule=REPORT_RULE, responsible=receiver, start=start,
                      due=task.due, actor=actor)
        audit_record(actor=actor, verb="jointcases.task.assign", target=task, organization=giver,
                     changes={"due_on": [None, due_on]}, note=f"承办单位：{receiver.name}")
        notification_send(recipients=[receiver], subject=f"督导任务：{task.title}",
                          body=f"{giver.name}下达任务，请于{due_on:%Y年%m月%d日}前反馈落实情况。",
                          target=task, actor=actor)
    return task


def guidance_task_report(*, actor, task: GuidanceTask, report: str) -> GuidanceTask:
    may_report.require(actor, task)
    if not report.strip():
        raise ValidationError({"report": "请填写落实情况。"})
    with transaction.atomic():
        transition_apply(workflow=TASK_WORKFLOW, obj=task, target=TaskStatus.REPORTED, actor=actor,
                         updates={"report": report.strip(), "reported_by": actor,
                                  "reported_at": timezone.now()})
        notification_send(recipients=[task.giver], subject=f"督导任务反馈：{task.title}",
                          body=f"{task.receiver.name}已反馈落实情况。", target=task, actor=actor)
    return task


def guidance_task_transition(*, actor, task: GuidanceTask, target: str, note: str = "") -> GuidanceTask:
    """The higher unit accepts the report or sends it back with its reason."""
    if target not in (TaskStatus.ACCEPTED, TaskStatus.RETURNED):
        raise ValidationError("请通过“反馈落实情况”填写落实情况。")
    updates = ({"accepted_at": timezone.now()} if target == TaskStatus.ACCEPTED
               else {"return_reason": note.strip()})
    with transaction.atomic():
        transition_apply(workflow=TASK_WORKFLOW, obj=task, target=target, actor=actor, note=note,
                         updates=updates)
        what = "已认可" if target == TaskStatus.ACCEPTED else "被退回"
        notification_send(recipients=[task.receiver], subject=f"督导任务落实情况{what}：{task.title}",
                          body=note.strip(), target=task, actor=actor)
    return task
