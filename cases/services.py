"""Every write to the case registry: registration, edits, parties, transitions, the
decision and its publicity. Each checks a capability, records an audit event in the same
transaction and opens or meets its deadlines."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Iterable, Mapping

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from core import policy
from core.audit import audit_record, diff, snapshot
from core.models import Membership, Organization, User
from core.services import attachment_store
from core.workflow import transition_apply

from . import tallies
from .models import (PARTY_MEMBER_STATUSES, ActType, CaseStatus, EnforcementCase, Party, PartyKind,
                     PoliticalStatus, PublicityChannel)
from .selectors import publicity_rule_for
from .workflow import CASE_WORKFLOW

# The audit verbs of these services (registered in CasesConfig.ready()).
AUDIT_VERBS = {
    "case.register": "登记案件",
    "case.update": "修改案件信息",
    "case.decision": "记录处理决定",
    "case.publicity": "记录决定公示",
    "cases.enforcementcase.transition": "案件状态变更",
    "party.add": "添加当事人",
    "party.update": "修改当事人信息",
    "party.remove": "删除当事人",
}

CASE_FIELDS = ("number", "act_type", "field", "summary", "discovered_at", "filed_on",
               "is_major_decision")
PARTY_FIELDS = ("kind", "name", "id_number", "political_status", "employer", "post",
                "is_party_member", "is_state_functionary")

_PERSON_ID = re.compile(r"^\d{17}[\dX]$|^\d{15}$")
# GB 32100-2015: 18 characters from digits and capitals without I, O, S, V, Z.
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$")


# --- checks --------------------------------------------------------------------------

def _check_officers(*, department: Organization, act_type: str, officers: list[User]) -> None:
    if not officers:
        raise ValidationError({"officers": "请至少选择一名承办人员。"})
    member_ids = set(
        Membership.objects.filter(organization=department, user__in=officers, user__is_active=True)
        .values_list("user_id", flat=True)
    )
    outsiders = [o for o in officers if o.pk not in member_ids]
    if outsiders:
        names = "、".join(o.real_name or o.username for o in outsiders)
        raise ValidationError({"officers": f"承办人员{names}不是{department.name}的在职人员。"})
    if act_type == ActType.PENALTY:
        certified = [o for o in officers if o.certificate_no.strip()]
        if len(certified) < 2:
            raise ValidationError({"officers": (
                "行政处罚案件须由至少两名持有行政执法证件的执法人员承办（《行政处罚法》第四十二条），"
                f"当前持证承办人员 {len(certified)} 名。请补充持证人员，或先在用户信息中登记执法证号。"
            )})


def _check_dates(*, discovered_at: dt.datetime, filed_on: dt.date) -> None:
    today = timezone.localdate()
    if filed_on > today:
        raise ValidationError({"filed_on": "立案日期不能晚于今天。"})
    if timezone.localtime(discovered_at).date() > filed_on:
        raise ValidationError({"discovered_at": "发现时间不能晚于立案日期。"})


def _check_number_free(*, department: Organization, number: str, exclude_pk: int | None = None) -> None:
    qs = EnforcementCase.objects.filter(department=department, number=number)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationError({"number": f"{department.name}已有编号为“{number}”的案件。"})


def _clean_party(data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(PARTY_FIELDS)
    if unknown:
        raise TypeError(f"unknown party fields: {sorted(unknown)}")
    party = {k: data[k] for k in PARTY_FIELDS if k in data}
    kind = party.get("kind")
    if kind not in PartyKind.values:
        raise ValidationError({"kind": "请选择当事人类型（自然人或法人、其他组织）。"})
    party["name"] = (party.get("name") or "").strip()
    if not party["name"]:
        raise ValidationError({"name": "请填写当事人姓名或名称。"})
    id_number = re.sub(r"\s", "", party.get("id_number") or "").upper()
    if kind == PartyKind.PERSON and not _PERSON_ID.match(id_number):
        raise ValidationError({"id_number": "身份证号应为 18 位（末位可为 X）或 15 位数字。"})
    if kind == PartyKind.ORGANIZATION and not _CREDIT_CODE.match(id_number):
        raise ValidationError({"id_number": "统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z）。"})
    party["id_number"] = id_number
    # M10.2: the status and the flag are one fact (either counts); a contradiction is refused.
    status = party.get("political_status") or ""
    if status in PARTY_MEMBER_STATUSES:
        party["is_party_member"] = True
    elif party.get("is_party_member"):
        if status:
            raise ValidationError({"political_status": "政治面貌与“中共党员”不一致，请核对后填写。"})
        party["political_status"] = PoliticalStatus.CPC_MEMBER
    if kind == PartyKind.ORGANIZATION and (party.get("is_party_member") or party.get("is_state_functionary")):
        raise ValidationError({"kind": "法人或其他组织不能标记为中共党员或国家公职人员，请在其负责人等自然人条目中登记。"})
    return party


def _require_open(case: EnforcementCase) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError("案件已结案，不能再修改。")


# --- who may write (the page shows a form when its predicate holds; the service asks
# the same predicate before writing) -------------------------------------------------

@policy.predicate("修改该案件的登记信息和当事人")
def may_edit_case(user: User, case: EnforcementCase) -> bool:
    """The case's department (办理案件) while the case is open."""
    return case.status != CaseStatus.CLOSED and policy.has_capability(
        user, "case.handle", case.department_id)


@policy.predicate("对该案件作出处理决定")
def may_decide(user: User, case: EnforcementCase) -> bool:
    """Whoever holds the capability of the workflow's step to 决定 from the case's status."""
    step = CASE_WORKFLOW.find(case.status, CaseStatus.DECIDED)
    return step is not None and policy.has_capability(
        user, step.capability, CASE_WORKFLOW.org_for(case, step))


@policy.predicate("登记该案件的决定公示")
def may_record_publicity(user: User, case: EnforcementCase) -> bool:
    """The case's department, once the decision is recorded."""
    return bool(case.decision_date) and policy.has_capability(
        user, "case.handle", case.department_id)


# --- cases ---------------------------------------------------------------------------

def case_register(
    *,
    actor: User,
    department: Organization,
    number: str,
    act_type: str,
    field: str,
    summary: str,
    discovered_at: dt.datetime,
    filed_on: dt.date,
    officers: Iterable[User],
    parties: Iterable[Mapping[str, Any]] = (),
    is_major_decision: bool = False,
) -> EnforcementCase:
    """立案: a new case of ``department`` with its officers and parties."""
    policy.require(actor, "case.register", department)
    officers = list(officers)
    number = number.strip()
    if not number:
        raise ValidationError({"number": "请填写案件编号。"})
    _check_officers(department=department, act_type=act_type, officers=officers)
    _check_dates(discovered_at=discovered_at, filed_on=filed_on)
    cleaned_parties = [_clean_party(p) for p in parties]
    case = EnforcementCase(
        department=department, number=number, act_type=act_type, field=field, summary=summary,
        discovered_at=discovered_at, filed_on=filed_on, is_major_decision=is_major_decision,
        created_by=actor,
    )
    case.full_clean(exclude=["created_by", "officers"], validate_unique=False, validate_constraints=False)
    _check_number_free(department=department, number=number)
    with transaction.atomic():
        case.save()
        tallies.touch(case)
        case.officers.set(officers)
        for p in cleaned_parties:
            Party.objects.create(case=case, **p)
        audit_record(
            actor=actor, verb="case.register", target=case, organization=department,
            changes={**{k: [None, v] for k, v in snapshot(case, CASE_FIELDS).items()},
                     "officers": [None, [o.real_name or o.username for o in officers]],
                     "parties": [None, [p["name"] for p in cleaned_parties]]},
        )
    return case


def case_update(
    *,
    actor: User,
    case: EnforcementCase,
    data: Mapping[str, Any],
    officers: Iterable[User] | None = None,
) -> EnforcementCase:
    """Correct a case's registration data (not its status, decision or publicity)."""
    _require_open(case)
    may_edit_case.require(actor, case)
    unknown = set(data) - set(CASE_FIELDS)
    if unknown:
        raise TypeError(f"case_update cannot change {sorted(unknown)}")
    # M10.3: once decided, the act type stays (a penalty renamed would escape its referral).
    if ("act_type" in data and data["act_type"] != case.act_type
            and case.status in (CaseStatus.DECIDED, CaseStatus.EXECUTING)):
        raise ValidationError({"act_type": "案件已作出决定，不能再变更行为类别。"})
    before = snapshot(case, CASE_FIELDS)
    before_key = tallies.key_row(case)
    before_officers = sorted(o.real_name or o.username for o in case.officers.all())
    for name, value in data.items():
        setattr(case, name, value.strip() if isinstance(value, str) else value)
    new_officers = list(officers) if officers is not None else list(case.officers.all())
    _check_officers(department=case.department, act_type=case.act_type, officers=new_officers)
    _check_dates(discovered_at=case.discovered_at, filed_on=case.filed_on)
    case.full_clean(exclude=["created_by", "officers"], validate_unique=False, validate_constraints=False)
    _check_number_free(department=case.department, number=case.number, exclude_pk=case.pk)
    with transaction.atomic():
        case.save()
        tallies.touch(before_key, case)
        changes = diff(before, snapshot(case, CASE_FIELDS))
        if officers is not None:
            case.officers.set(new_officers)
            after_officers = sorted(o.real_name or o.username for o in new_officers)
            if after_officers != before_officers:
                changes["officers"] = [before_officers, after_officers]
        audit_record(actor=actor, verb="case.update", target=case, organization=case.department,
                     changes=changes)
    return case


def case_transition(*, case: EnforcementCase, target: str, actor: User, note: str = "") -> EnforcementCase:
    """Move the case along CASE_WORKFLOW (capability, guards, conditional claim, audit)."""
    return transition_apply(workflow=CASE_WORKFLOW, obj=case, target=target, actor=actor, note=note)


def case_record_decision(
    *,
    actor: User,
    case: EnforcementCase,
    decision_date: dt.date,
    decision_summary: str,
    penalty_amount: Decimal | None = None,
    document: File | None = None,
    note: str = "",
) -> EnforcementCase:
    """作出决定: record the decision (date, content, amount, decision document) and move the
    case to 决定 in one transaction; opens the three-systems publicity deadline."""
    from deadlines.services import deadline_open

    decision_summary = decision_summary.strip()
    if not decision_summary:
        raise ValidationError({"decision_summary": "请填写决定内容。"})
    if decision_date > timezone.localdate():
        raise ValidationError({"decision_date": "决定日期不能晚于今天。"})
    if decision_date < case.filed_on:
        raise ValidationError({"decision_date": "决定日期不能早于立案日期。"})
    if penalty_amount is not None and penalty_amount < 0:
        raise ValidationError({"penalty_amount": "罚没金额不能为负数。"})
    transition = CASE_WORKFLOW.find(case.status, CaseStatus.DECIDED)
    if transition is None:
        raise ValidationError(f"案件当前状态为“{case.get_status_display()}”，不能作出决定。")
    may_decide.require(actor, case)

    # The guards read the decision from the object, so it is set before the transition;
    # the transition writes it with the status in the same conditional UPDATE.
    original = {"decision_date": case.decision_date, "decision_summary": case.decision_summary,
                "penalty_amount": case.penalty_amount}
    updates: dict[str, Any] = {"decision_date": decision_date, "decision_summary": decision_summary,
                               "penalty_amount": penalty_amount}
    for name, value in updates.items():
        setattr(case, name, value)
    stored = None
    try:
        with transaction.atomic():
            if document is not None:
                stored = attachment_store(
                    actor=actor, organization=case.department, fileobj=document,
                    name=document.name, size=document.size, target=case, description="处理决定书",
                )
                updates["decision_document"] = stored
            transition_apply(workflow=CASE_WORKFLOW, obj=case, target=CaseStatus.DECIDED,
                             actor=actor, note=note or transition.label, updates=updates)
            audit_record(actor=actor, verb="case.decision", target=case, organization=case.department,
                         changes={k: [original.get(k), v] for k, v in updates.items()})
            deadline_open(
                target=case, rule=publicity_rule_for(case), responsible=case.department,
                start=_start_of_day(decision_date), actor=actor,
                note=f"{case.get_act_type_display()}决定应依法公示",
            )
    except Exception:
        for name, value in original.items():
            setattr(case, name, value)
        if stored is not None:
            stored.file.delete(save=False)  # the row rolled back; do not keep its bytes
        raise
    return case


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def case_record_publicity(
    *,
    actor: User,
    case: EnforcementCase,
    published_on: dt.date,
    channel: str,
) -> EnforcementCase:
    """Record where and when the decision was published; meets the publicity deadline
    (a publication after its due date stays visible as late)."""
    from deadlines.services import deadline_meet

    if not case.decision_date:
        raise ValidationError("案件尚未作出决定，不能登记公示。")
    may_record_publicity.require(actor, case)
    if channel not in PublicityChannel.values:
        raise ValidationError({"publicity_channel": "请选择公示渠道。"})
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": "公示日期不能晚于今天。"})
    if published_on < case.decision_date:
        raise ValidationError({"published_on": "公示日期不能早于决定日期。"})
    before = snapshot(case, ("published_on", "publicity_channel"))
    with transaction.atomic():
        EnforcementCase.objects.filter(pk=case.pk).update(published_on=published_on,
                                                          publicity_channel=channel)
        case.published_on, case.publicity_channel = published_on, channel
        audit_record(actor=actor, verb="case.publicity", target=case, organization=case.department,
                     changes=diff(before, snapshot(case, ("published_on", "publicity_channel"))))
        # Published today: now; published earlier (recorded afterwards): that day's start,
        # so a publication on the due date is on time and one after it is late.
        at = timezone.now() if published_on == timezone.localdate() else _start_of_day(published_on)
        deadline_meet(target=case, rule=publicity_rule_for(case), actor=actor, at=at)
    return case


# --- parties -------------------------------------------------------------------------

def party_add(*, actor: User, case: EnforcementCase, data: Mapping[str, Any]) -> Party:
    _require_open(case)
    may_edit_case.require(actor, case)
    cleaned = _clean_party(data)
    with transaction.atomic():
        party = Party.objects.create(case=case, **cleaned)
        audit_record(actor=actor, verb="party.add", target=case, organization=case.department,
                     changes={"parties": [None, party.name]},
                     note=f"{party.get_kind_display()}：{party.name}")
    return party


def party_update(*, actor: User, party: Party, data: Mapping[str, Any]) -> Party:
    case = party.case
    _require_open(case)
    may_edit_case.require(actor, case)
    before = snapshot(party, PARTY_FIELDS)
    cleaned = _clean_party({**before, **data})
    for name, value in cleaned.items():
        setattr(party, name, value)
    with transaction.atomic():
        party.save()
        changes = diff(before, snapshot(party, PARTY_FIELDS))
        if "id_number" in changes:
            changes["id_number"] = ["***", "***"]  # that it changed, never the number
        audit_record(actor=actor, verb="party.update", target=case, organization=case.department,
                     changes=changes, note=party.name)
    return party


def party_remove(*, actor: User, party: Party) -> None:
    case = party.case
    _require_open(case)
    may_edit_case.require(actor, case)
    with transaction.atomic():
        audit_record(actor=actor, verb="party.remove", target=case, organization=case.department,
                     changes={"parties": [party.name, None]}, note=party.name)
        party.delete()
