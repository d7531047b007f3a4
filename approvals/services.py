"""Every write of the approval–supervision linkage (M14.2): the routing table the approval
bureau keeps, decisions received from the approval system (API) or an import file — each
classed by item type and pushed to its supervising department, whose claim is due within 2
working days —, the department's claim and the supervision it feeds back."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import policy
from core.audit import audit_record, diff, snapshot
from core.models import Organization, OrgKind
from core.workflow import transition_apply
from deadlines.notifications import notification_send
from deadlines.services import deadline_open

from . import intake
from .selectors import bureau_of
from .models import Decision, DecisionStatus, Result, Route, Source, SupervisionRecord
from .workflow import CLAIM_RULE, DECISION_WORKFLOW


# --- who may do what (the pages ask the same predicates) -------------------------------
@policy.predicate("维护审批决定和审批监管路由表")
def may_manage(user) -> bool:
    return bureau_of(user) is not None


@policy.predicate("认领该审批决定")
def may_claim(user, decision: Decision) -> bool:
    return (decision.status == DecisionStatus.PUSHED
            and policy.has_capability(user, "approval.claim", decision.department_id))


@policy.predicate("登记该审批决定的事中事后监管情况")
def may_record_supervision(user, decision: Decision) -> bool:
    return (decision.status in (DecisionStatus.CLAIMED, DecisionStatus.FED_BACK)
            and policy.has_capability(user, "approval.claim", decision.department_id))


# --- the routing table -----------------------------------------------------------------
def route_save(*, actor, item_type: str, department: Organization, note: str = "",
               route: Route | None = None) -> Route:
    """Add or change a route (item type → supervising department). The decisions of that
    type still waiting for a route are pushed to the department at once."""
    may_manage.require(actor)
    item_type = item_type.strip()
    if not item_type:
        raise ValidationError({"item_type": "请填写审批事项类型。"})
    if department.kind not in (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP) or not department.is_active:
        raise ValidationError({"department": "对口监管部门须是行政执法部门或乡镇（街道）。"})
    clash = Route.objects.filter(item_type=item_type).exclude(pk=getattr(route, "pk", None))
    if clash.exists():
        raise ValidationError({"item_type": f"“{item_type}”已在路由表中，请修改原有记录。"})
    with transaction.atomic():
        before = {} if route is None else snapshot(route, ["item_type", "department", "note"])
        route = route or Route()
        route.item_type, route.department, route.note = item_type, department, note.strip()
        route.updated_by = actor
        route.save()
        audit_record(actor=actor, verb="approvals.route.save", target=route,
                     organization=bureau_of(actor),
                     changes=diff(before, snapshot(route, ["item_type", "department", "note"])))
        waiting = list(Decision.objects.filter(status=DecisionStatus.UNROUTED, item_type=item_type))
        for decision in waiting:
            _push(actor=actor, decision=decision, department=department)
        if waiting:
            _tell_pushed(actor, {department: waiting})
    return route


def route_remove(*, actor, route: Route) -> None:
    """Take a route out of the table; decisions already pushed stay with their department."""
    may_manage.require(actor)
    with transaction.atomic():
        audit_record(actor=actor, verb="approvals.route.remove", target=route,
                     organization=bureau_of(actor), note=str(route))
        route.delete()


# --- decisions in ----------------------------------------------------------------------
@dataclass
class Problem:
    """One thing wrong with one decision: where (the body's index or the file's row), the
    column (its Chinese name) and why."""

    where: int
    column: str
    message: str
    field: str = ""


class DecisionsRejected(ValidationError):
    """Nothing was written: ``problems`` says which decision, which field and why."""

    def __init__(self, problems: list[Problem], *, rows: bool):
        self.problems = problems
        where = "第 {} 行" if rows else "第 {} 条"
        super().__init__([f"{where.format(p.where)}{'“' + p.column + '”' if p.column else ''}："
                          f"{p.message}" for p in problems[:50]])


@dataclass
class Received:
    created: list[Decision] = field(default_factory=list)
    existing: list[Decision] = field(default_factory=list)
    unrouted: int = 0


def _problems(where: int, error: ValidationError) -> list[Problem]:
    return [Problem(where, intake.label_of(key), message, "" if key == "__all__" else key)
            for key, messages in error.message_dict.items() for message in messages]


def _clean_all(items: Iterable[tuple[int, Mapping[str, Any]]], *, rows: bool) -> list[tuple[int, dict]]:
    cleaned, problems, seen = [], [], {}
    for where, raw in items:
        try:
            data = intake.clean_decision(raw)
        except ValidationError as error:
            problems.extend(_problems(where, error))
            continue
        if data["number"] in seen:
            problems.append(Problem(where, "审批决定文号",
                                    f"与第 {seen[data['number']]} {'行' if rows else '条'}重复。", "number"))
            continue
        seen[data["number"]] = where
        cleaned.append((where, data))
    if problems:
        raise DecisionsRejected(problems, rows=rows)
    return cleaned


def _push(*, actor, decision: Decision, department: Organization) -> None:
    now = timezone.now()
    decision.department, decision.pushed_at = department, now
    transition_apply(workflow=DECISION_WORKFLOW, obj=decision, target=DecisionStatus.PUSHED,
                     actor=actor, updates={"department": department, "pushed_at": now})


def _tell_pushed(actor, by_department: Mapping[Organization, list[Decision]]) -> None:
    for department, decisions in by_department.items():
        first = decisions[0]
        notification_send(
            recipients=[department], subject=f"收到审批推送事项 {len(decisions)} 件",
            body=f"区行政审批局推送审批决定 {len(decisions)} 件（{first.item_type}等），"
                 f"请在 2 个工作日内认领并开展事中事后监管。",
            target=first if len(decisions) == 1 else None,
            url="" if len(decisions) == 1 else "/approvals/?status=pushed", actor=actor)


def _receive(*, actor, cleaned: list[tuple[int, dict]], source: str,
             received_at: dt.datetime | None) -> Received:
    bureau = bureau_of(actor)
    result = Received()
    existing = {d.number: d for d in Decision.objects.filter(
        number__in=[data["number"] for _w, data in cleaned])}
    routes = dict(Route.objects.values_list("item_type", "department_id"))
    departments = {o.pk: o for o in Organization.objects.filter(pk__in=set(routes.values()))}
    pushed: dict[Organization, list[Decision]] = defaultdict(list)
    now = received_at or timezone.now()
    with transaction.atomic():
        for _where, data in cleaned:
            if data["number"] in existing:  # idempotent: the same number is the same decision
                result.existing.append(existing[data["number"]])
                continue
            department = departments.get(routes.get(data["item_type"]))
            decision = Decision(**data, source=source, bureau=bureau, created_by=actor,
                                department=department,
                                status=DecisionStatus.PUSHED if department else DecisionStatus.UNROUTED,
                                pushed_at=now if department else None)
            decision.save()
            audit_record(actor=actor, verb="approvals.decision.receive", target=decision,
                         organization=bureau, note=decision.get_source_display(),
                         changes={"status": [None, decision.get_status_display()]})
            if department:
                deadline_open(target=decision, rule=CLAIM_RULE, responsible=department,
                              start=now, actor=actor)
                pushed[department].append(decision)
            else:
                result.unrouted += 1
            result.created.append(decision)
        _tell_pushed(actor, pushed)
    return result


def decisions_receive(*, actor, items: list[Mapping[str, Any]]) -> Received:
    """Decisions sent by the approval system (one or a batch): all are valid or none is
    written (``DecisionsRejected`` names each wrong field); a number already received
    returns that decision, not a second one."""
    may_manage.require(actor)
    cleaned = _clean_all(enumerate(items, start=1), rows=False)
    return _receive(actor=actor, cleaned=cleaned, source=Source.API, received_at=None)


def decisions_import(*, actor, fileobj: BinaryIO, name: str,
                     received_at: dt.datetime | None = None) -> Received:
    """An Excel/CSV file of decisions (headers as ``intake.COLUMNS``): every row valid or
    none written — the refusal lists each row, column and reason. ``received_at``: when
    the approval system released them (a backlog exported during an outage of its push;
    the claim runs from then), default now."""
    may_manage.require(actor)
    try:
        cleaned = _clean_all(intake.read_table(fileobj, name), rows=True)
    except intake.FileUnreadable as error:
        raise DecisionsRejected([Problem(1, "", str(error))], rows=True) from None
    if not cleaned:
        raise DecisionsRejected([Problem(2, "", "文件中没有审批决定。")], rows=True)
    if received_at is not None and received_at > timezone.now():
        raise ValidationError("接收时间不能晚于现在。")
    return _receive(actor=actor, cleaned=cleaned, source=Source.IMPORT, received_at=received_at)


# --- the department's part --------------------------------------------------------------
def decision_claim(*, actor, decision: Decision) -> Decision:
    """The supervising department claims the decision (meets its 2-working-day claim)."""
    may_claim.require(actor, decision)
    with transaction.atomic():
        now = timezone.now()
        transition_apply(workflow=DECISION_WORKFLOW, obj=decision, target=DecisionStatus.CLAIMED,
                         actor=actor, updates={"claimed_by": actor, "claimed_at": now})
    return decision


def supervision_record(*, actor, decision: Decision, inspected_on: dt.date, inspection: str,
                       result: str, findings: str = "", case=None) -> SupervisionRecord:
    """Record one inspection and its result (a penalty with its case, of the department's
    own); the first one feeds the supervision back to the approval bureau."""
    may_record_supervision.require(actor, decision)
    errors = {}
    if inspected_on > timezone.localdate():
        errors["inspected_on"] = "检查日期不能晚于今天。"
    elif inspected_on < decision.decided_on:
        errors["inspected_on"] = "检查日期不能早于审批决定日期。"
    if not inspection.strip():
        errors["inspection"] = "请填写检查方式和内容。"
    if result == Result.PENALTY and case is None:
        errors["case"] = "立案查处的，请选择处罚案件。"
    if case is not None and case.department_id != decision.department_id:
        errors["case"] = "只能关联本部门办理的案件。"
    if result in (Result.RECTIFY, Result.PENALTY) and not findings.strip():
        errors["findings"] = "请填写整改或查处情况。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = SupervisionRecord.objects.create(
            decision=decision, inspected_on=inspected_on, inspection=inspection.strip(),
            result=result, findings=findings.strip(), case=case,
            recorded_by=actor)
        audit_record(actor=actor, verb="approvals.supervision.record", target=decision,
                     organization=decision.department,
                     changes={"result": [None, record.get_result_display()]},
                     note=f"{record.inspected_on:%Y年%m月%d日}：{record.get_result_display()}")
        if decision.status == DecisionStatus.CLAIMED:
            transition_apply(workflow=DECISION_WORKFLOW, obj=decision,
                             target=DecisionStatus.FED_BACK, actor=actor)
        notification_send(recipients=[decision.bureau], subject=f"监管情况反馈：{decision.number}",
                          body=f"{decision.department.name}：{record.get_result_display()}。",
                          target=decision, actor=actor)
    return record
