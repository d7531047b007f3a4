"""Every write of the approval–supervision linkage (M14.2): the routing table the approval
bureau keeps, decisions received from the approval system (API) or an import file — each
classed by item type and pushed to its supervising department, whose claim is due within 2
working days —, the department's claim and the supervision it feeds back."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Iterable, Iterator, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import policy
from core.audit import audit_record, audit_record_rows, diff, snapshot
from core.bulk import copy_rows
from core.models import Organization, OrgKind
from core.workflow import transition_apply
from deadlines.notifications import notification_send
from deadlines.services import deadlines_open_many

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
            _tell(actor, department, len(waiting), waiting[0] if len(waiting) == 1 else None)
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
    """What a request or an import did: how many decisions were new, how many had been
    received before (same number), how many found no route; ``ids`` every decision of it,
    in its order."""

    created: int = 0
    existing: int = 0
    unrouted: int = 0
    ids: list[int] = field(default_factory=list)

    def decisions(self) -> list[Decision]:
        by_id = Decision.objects.select_related("department").in_bulk(self.ids)
        return [by_id[pk] for pk in self.ids]


def _problems(where: int, error: ValidationError) -> list[Problem]:
    return [Problem(where, intake.label_of(key), message, "" if key == "__all__" else key)
            for key, messages in error.message_dict.items() for message in messages]


def _checked(items: Iterable[tuple[int, Mapping[str, Any]]], *, rows: bool,
             empty: str = "") -> Iterator[dict[str, Any]]:
    """Each decision cleaned, as long as none before it was wrong; every one is checked
    (and that no number comes twice), and at the end ``DecisionsRejected`` lists every
    problem — raised inside the writer's transaction, it undoes whatever was written, so
    the import reads its file once and keeps no row (memory stays flat over 100,000).
    ``empty``: the refusal when there is no decision at all."""
    problems, seen, count = [], {}, 0
    for where, raw in items:
        count += 1
        try:
            data = intake.clean_decision(raw)
        except ValidationError as error:
            problems.extend(_problems(where, error))
            continue
        number = data["number"]
        if number in seen:
            problems.append(Problem(where, "审批决定文号",
                                    f"与第 {seen[number]} {'行' if rows else '条'}重复。", "number"))
            continue
        seen[number] = where
        if not problems:
            yield data
    if problems:
        raise DecisionsRejected(problems, rows=rows)
    if not count and empty:
        raise DecisionsRejected([Problem(2, "", empty)], rows=rows)


def _push(*, actor, decision: Decision, department: Organization) -> None:
    now = timezone.now()
    decision.department, decision.pushed_at = department, now
    transition_apply(workflow=DECISION_WORKFLOW, obj=decision, target=DecisionStatus.PUSHED,
                     actor=actor, updates={"department": department, "pushed_at": now})


def _tell(actor, department: Organization, count: int, decision: Decision | None) -> None:
    notification_send(
        recipients=[department], subject=f"收到审批推送事项 {count} 件",
        body=f"区行政审批局推送审批决定 {count} 件，请在 2 个工作日内认领并开展事中事后监管。",
        target=decision, url="" if decision else "/approvals/?state=pushed", actor=actor)


CHUNK = 2000


@dataclass(frozen=True)
class _Target:
    """A decision just written, as a deadline names it (its key and its text)."""

    pk: int
    text: str

    def __str__(self) -> str:
        return self.text


def _write(*, actor, items: Iterable[Mapping[str, Any]], source: str,
           received_at: dt.datetime | None) -> Received:
    """Write validated decisions in chunks of ``CHUNK``: rows, their events and their claim
    deadlines in bulk (``make bench ARGS=approvals``: 100,000 in under 60 s), one inbox
    message per department. A number already received is that decision, not a new one."""
    bureau = bureau_of(actor)
    result = Received()
    routes = dict(Route.objects.values_list("item_type", "department_id"))
    departments = {o.pk: o for o in Organization.objects.filter(pk__in=set(routes.values()))}
    pushed: dict[int, list] = defaultdict(lambda: [0, None])
    at = received_at or timezone.now()
    source_label = Source(source).label
    chunk: list[dict] = []

    status_label = {s: DecisionStatus(s).label for s in (DecisionStatus.PUSHED, DecisionStatus.UNROUTED)}
    changes = {s: {"status": [None, label]} for s, label in status_label.items()}
    columns = (*intake.FIELDS, "source", "bureau_id", "created_by_id", "department_id", "pushed_at",
               "status")

    def flush() -> None:
        numbers = [data["number"] for data in chunk]
        existing = dict(Decision.objects.filter(number__in=numbers).values_list("number", "pk"))
        new = []  # (number, applicant, department, status), in the rows' order
        rows = []
        for data in chunk:
            if data["number"] in existing:
                continue
            department = departments.get(routes.get(data["item_type"]))
            status = DecisionStatus.PUSHED if department else DecisionStatus.UNROUTED
            new.append((data["number"], data["applicant"], department, status))
            rows.append((*(data[f] for f in intake.FIELDS), source, bureau.pk, actor.pk,
                         getattr(department, "pk", None), at if department else None, status))
        ids = copy_rows(Decision, columns, rows)
        created = {item[0]: pk for item, pk in zip(new, ids)}
        result.ids.extend(existing.get(n) or created[n] for n in numbers)
        result.created += len(new)
        result.existing += len(chunk) - len(new)
        # The texts Decision.__str__ gives, without making 100,000 instances.
        audit_record_rows(actor=actor, verb="approvals.decision.receive", model=Decision, rows=(
            (pk, f"{number}（{applicant}）", bureau.pk, changes[status], source_label)
            for (number, applicant, _d, status), pk in zip(new, ids)))
        routed = [(_Target(pk, f"{number}（{applicant}）"), department)
                  for (number, applicant, department, _s), pk in zip(new, ids) if department]
        result.unrouted += len(new) - len(routed)
        deadlines_open_many(targets=routed, rule=CLAIM_RULE, start=at, actor=actor, model=Decision)
        for target, department in routed:
            tally = pushed[department.pk]
            tally[0] += 1
            tally[1] = tally[1] or target.pk
        chunk.clear()

    with transaction.atomic():
        for data in items:
            chunk.append(data)
            if len(chunk) >= CHUNK:
                flush()
        if chunk:
            flush()
        for department_id, (count, first) in pushed.items():
            _tell(actor, departments[department_id], count,
                  Decision.objects.get(pk=first) if count == 1 else None)
    return result


def decisions_receive(*, actor, items: list[Mapping[str, Any]]) -> Received:
    """Decisions sent by the approval system (one or a batch): all are valid or none is
    written (``DecisionsRejected`` names each wrong field); a number already received
    returns that decision, not a second one."""
    may_manage.require(actor)
    cleaned = list(_checked(enumerate(items, start=1), rows=False))  # all checked before a write
    return _write(actor=actor, items=cleaned, source=Source.API, received_at=None)


def decisions_import(*, actor, fileobj: BinaryIO, name: str,
                     received_at: dt.datetime | None = None) -> Received:
    """An Excel/CSV file of decisions (headers as ``intake.COLUMNS``): every row valid or
    none written — the refusal lists each row, column and reason. ``received_at``: when
    the approval system released them (a backlog exported during an outage of its push;
    the claim runs from then), default now. The file is read once, row by row, checked and
    written in chunks in one transaction: a wrong row anywhere undoes them all, so memory
    stays flat however long it is."""
    may_manage.require(actor)
    if received_at is not None and received_at > timezone.now():
        raise ValidationError("接收时间不能晚于现在。")
    try:
        rows = _checked(intake.read_table(fileobj, name), rows=True, empty="文件中没有审批决定。")
        return _write(actor=actor, items=rows, source=Source.IMPORT, received_at=received_at)
    except intake.FileUnreadable as error:
        raise DecisionsRejected([Problem(1, "", str(error))], rows=True) from None


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
