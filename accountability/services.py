"""Every write of an accountability proceeding (M8): opening (by the agency itself or from
a registered source), the fault determination with its route (M8.2–M8.3), the outcome with
its document, and the record of a matter reserved to another organ (M8.4). Exemption
claims (M12.3) are the exemption app's services."""
from __future__ import annotations

from typing import BinaryIO, Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import policy
from core.audit import audit_record
from core.models import Membership, Organization, User
from core.services import attachment_store
from core.workflow import transition_apply
from deadlines.notifications import notification_send
from deadlines.services import deadline_open

from . import sources
from .models import Ground, Proceeding, ProceedingStatus, ReservedTo, Route
from .workflow import DETERMINATION_RULE, PROCEEDING_WORKFLOW

S = ProceedingStatus


# --- who may do what (the pages ask the same predicates) --------------------------------
@policy.predicate("以该单位名义启动责任追究")
def may_open(user, agency: Organization | None = None) -> bool:
    if agency is None:
        return policy.has_capability(user, "accountability.pursue")
    return policy.has_capability(user, "accountability.pursue", agency)


@policy.predicate("认定该事项的过错责任")
def may_determine(user, proceeding: Proceeding) -> bool:
    return (proceeding.status == S.OPEN
            and policy.has_capability(user, "accountability.decide", proceeding.agency_id))


@policy.predicate("登记该事项的处理结果")
def may_conclude(user, proceeding: Proceeding) -> bool:
    return (proceeding.status == S.DETERMINED
            and policy.has_capability(user, "accountability.pursue", proceeding.agency_id))


@policy.predicate("将该事项登记为不适用本机制")
def may_reserve(user, proceeding: Proceeding) -> bool:
    return (proceeding.status == S.OPEN
            and policy.has_capability(user, "accountability.pursue", proceeding.agency_id))


def _check_officers(agency: Organization, officers: list[User]) -> None:
    if not officers:
        raise ValidationError({"officers": "请选择责任人员。"})
    members = set(Membership.objects.filter(organization=agency, user__in=officers,
                                            user__is_active=True).values_list("user_id", flat=True))
    strangers = [str(u) for u in officers if u.pk not in members]
    if strangers:
        raise ValidationError({"officers": f"责任人员须是{agency.name}的工作人员："
                                           f"{'、'.join(strangers)}不是。"})


def proceeding_open(*, actor, agency: Organization, subject: str, officers: Iterable[User],
                    ground: str, facts: str, source_kind: str = "", source_id=None) -> Proceeding:
    """The agency opens a proceeding against its own officers (M8.1), by itself or from a
    registered source (``accountability.sources``); the time to determine starts."""
    may_open.require(actor, agency)
    officers = list(officers)
    _check_officers(agency, officers)
    if ground not in Ground.values:
        raise ValidationError({"ground": "请选择问责情形。"})
    if not facts.strip():
        raise ValidationError({"facts": "请填写问题事实。"})
    proceeding = Proceeding(agency=agency, subject=subject.strip(), ground=ground,
                            facts=facts.strip(), created_by=actor)
    if source_kind:
        kind, source = sources.source_get(actor, source_kind, source_id)
        if getattr(kind.agency(source), "pk", None) != agency.pk:
            raise ValidationError("该问责线索不属于本单位，应由其责任追究机关启动。")
        ct = ContentType.objects.get_for_model(source)
        if Proceeding.objects.filter(source_type=ct, source_id=str(source.pk)).exists():
            raise ValidationError("已根据该问责线索启动过责任追究。")
        proceeding.source_kind, proceeding.source_type, proceeding.source_id = kind.key, ct, str(source.pk)
        proceeding.source_text = f"{kind.label}：{kind.describe(source)}"[:300]
    proceeding.full_clean(exclude=["officers"])
    with transaction.atomic():
        proceeding.save()
        proceeding.officers.set(officers)
        audit_record(actor=actor, verb="accountability.proceeding.open", target=proceeding,
                     organization=agency, changes={
                         "subject": [None, proceeding.subject],
                         "ground": [None, proceeding.get_ground_display()],
                         "officers": [None, [str(u) for u in officers]],
                         "source_text": [None, proceeding.source_text]})
        deadline_open(target=proceeding, rule=DETERMINATION_RULE, responsible=agency,
                      start=timezone.now(), actor=actor)
        notification_send(recipients=officers, subject=f"责任追究：{proceeding.subject}",
                          body=f"{agency.name}对您启动行政执法责任追究。依法履职的，可提出免责申请。",
                          target=proceeding, actor=actor)
    return proceeding


def proceeding_determine(*, actor, proceeding: Proceeding, liable: bool, fault_determination: str,
                         route: str = "") -> Proceeding:
    """The fault determination (过错责任认定) and its conclusion: fault found, with the
    route it calls for (M8.3), or no fault and no liability."""
    may_determine.require(actor, proceeding)
    if not fault_determination.strip():
        raise ValidationError({"fault_determination": "请填写过错责任认定的事实和理由。"})
    now = timezone.now()
    updates = {"fault_determination": fault_determination.strip(), "determined_at": now}
    if not liable:
        updates["closed_at"] = now
    if liable:
        if route not in Route.values:
            raise ValidationError({"route": "认定有过错责任的，请选择处理方式。"})
        updates["route"] = route
    return transition_apply(workflow=PROCEEDING_WORKFLOW, obj=proceeding,
                            target=S.DETERMINED if liable else S.NOT_LIABLE, actor=actor,
                            updates=updates)


def proceeding_conclude(*, actor, proceeding: Proceeding, outcome: str, outcome_organ: str,
                        document: BinaryIO, document_name: str, document_size: int) -> Proceeding:
    """The route's outcome with its document: the agency's own handling, the appointing or
    supervisory organ's sanction or post change, the judiciary's handling (M8.3)."""
    may_conclude.require(actor, proceeding)
    if not outcome.strip():
        raise ValidationError({"outcome": "请填写处理结果。"})
    organ = outcome_organ.strip()
    if proceeding.route == Route.ADMINISTRATIVE:
        organ = organ or proceeding.agency.name
    elif not organ:
        raise ValidationError({"outcome_organ": "请填写作出处理的机关（人事任免机关、监察机关或司法机关）。"})
    with transaction.atomic():
        file = attachment_store(actor=actor, organization=proceeding.agency, fileobj=document,
                                name=document_name, size=document_size, target=proceeding,
                                description="责任追究处理决定文书")
        return transition_apply(workflow=PROCEEDING_WORKFLOW, obj=proceeding, target=S.CONCLUDED,
                                actor=actor, updates={"outcome": outcome.strip(),
                                                      "outcome_organ": organ[:100],
                                                      "outcome_document": file,
                                                      "closed_at": timezone.now()})


def proceeding_reserve(*, actor, proceeding: Proceeding, reserved_to: str, reason: str) -> Proceeding:
    """M8.4: a matter the law reserves to the supervisory organ, the appointing organ or a
    higher agency is recorded as such and not processed here."""
    may_reserve.require(actor, proceeding)
    if reserved_to not in ReservedTo.values:
        raise ValidationError({"reserved_to": "请选择依法处理的机关。"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写依法由该机关处理的依据。"})
    return transition_apply(workflow=PROCEEDING_WORKFLOW, obj=proceeding, target=S.RESERVED,
                            actor=actor, note=reason.strip(),
                            updates={"reserved_to": reserved_to, "reserved_reason": reason.strip(),
                                     "closed_at": timezone.now()})
