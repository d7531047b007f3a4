"""Writes to discipline referrals (M10.3). Statuses move only through REFERRAL_WORKFLOW;
each write checks its capability and records an audit event in the same transaction.

"Sent" (M10.3 送交): the moment the numbered 违纪线索移送函 is issued and delivered to the
commission's inbox in this system (``referral_deliver``). That meets the 10-working-day
deadline; the commission's acknowledgement records when it read it, which the department
does not control and which therefore does not decide timeliness.
"""
from __future__ import annotations

import datetime as dt
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import ActType, EnforcementCase
from core import formats, policy
from core.audit import audit_record
from core.models import Attachment, Organization, OrgKind
from core.services import attachment_store
from core.workflow import transition_apply
from deadlines.notifications import notification_send
from deadlines.services import deadline_meet, deadline_open
from documents.services import document_issue

from .models import DisciplineReferral, ReferralStatus
from .selectors import RULE
from .workflow import REFERRAL_WORKFLOW

LETTER_KIND = "discipline_referral_letter"


def _closure_start(case: EnforcementCase) -> dt.datetime:
    """The deadline counts from the closure: now when closed today, else that day's start
    (a closure recorded afterwards does not buy extra days)."""
    if case.closed_on is None or case.closed_on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(case.closed_on, dt.time.min))


def referral_open(*, case: EnforcementCase, actor) -> DisciplineReferral | None:
    """M10.3: a closed penalty case with a party member or state functionary among its
    parties opens a referral with its 10-working-day deadline. None when none is due."""
    if case.act_type != ActType.PENALTY:
        return None
    flagged = [p for p in case.parties.all() if p.needs_discipline_check]
    if not flagged or DisciplineReferral.objects.filter(case=case).exists():
        return None
    with transaction.atomic():
        referral = DisciplineReferral.objects.create(
            case=case, department=case.department, penalty_decision=case.decision_document)
        referral.parties.set(flagged)
        names = "、".join(p.name for p in flagged)
        audit_record(actor=actor, verb="referral.open", target=referral,
                     organization=case.department,
                     changes={"parties": [None, [p.name for p in flagged]]},
                     note=f"案件{case.number}结案，当事人{names}为中共党员或国家公职人员")
        deadline = deadline_open(target=referral, rule=RULE, responsible=case.department,
                                 start=_closure_start(case), actor=actor,
                                 note=f"案件{case.number}违纪线索移送")
        due = formats.due_text(deadline.due)
        notification_send(
            recipients=[case.department], target=referral, actor=actor,
            subject=f"请在{due}前移送案件{case.number}的违纪线索",
            body=(f"案件{case.number}已结案，当事人{names}为中共党员或国家公职人员。根据监察执纪"
                  f"衔接机制，请在结案后10个工作日内（{due}前）将违纪线索经负责人"
                  "签字并加盖公章，连同行政处罚决定书移送纪检监察机关；经研判无违纪线索的，请记录理由。"),
        )
    return referral


def _on_case_closed(*, obj: EnforcementCase, actor, transition, source) -> None:
    """Entry effect of 结案 on CASE_WORKFLOW (registered in DisciplineConfig.ready)."""
    referral_open(case=obj, actor=actor)


def _check_status(referral: DisciplineReferral, *allowed: str) -> None:
    if referral.status not in allowed:
        raise ValidationError(f"移送当前状态为“{referral.get_status_display()}”，不能进行此操作。")


# The writes that are not status moves, each one rule for the page (whether it shows the
# form) and the service (which refuses otherwise).
_PREPARING = (ReferralStatus.DRAFTING, ReferralStatus.SIGNING, ReferralStatus.SIGNED)


@policy.predicate("撰写违纪线索")
def may_write_leads(user, referral: DisciplineReferral) -> bool:
    """While the leads are being written, by the department's officers and head."""
    return referral.status == ReferralStatus.DRAFTING and policy.has_capability(
        user, "referral.write", referral.department)


@policy.predicate("附行政处罚决定书")
def may_attach_decision(user, referral: DisciplineReferral) -> bool:
    """M10.3: the penalty decision goes with the leads; attached until they are sent."""
    return referral.status in _PREPARING and policy.has_capability(
        user, "referral.write", referral.department)


@policy.predicate("确认加盖公章")
def may_confirm_seal(user, referral: DisciplineReferral) -> bool:
    """M10.3: once signed, the department confirms its seal is on the leads (once)."""
    return (referral.status == ReferralStatus.SIGNED and referral.seal_confirmed_at is None
            and policy.has_capability(user, "referral.write", referral.department))


def referral_write(*, actor, referral: DisciplineReferral, leads: str,
                   commission: Organization | None) -> DisciplineReferral:
    """The department writes (or revises) the leads and names the receiving commission."""
    _check_status(referral, ReferralStatus.DRAFTING)
    may_write_leads.require(actor, referral)
    limit = DisciplineReferral._meta.get_field("leads").max_length
    if len(leads.strip()) > limit:
        raise ValidationError({"leads": f"违纪线索不能超过{limit}字。"})
    if commission is not None and commission.kind != OrgKind.DISCIPLINE:
        raise ValidationError({"commission": "接收单位须为纪检监察机关。"})
    before = {"leads": referral.leads, "commission": str(referral.commission or "")}
    with transaction.atomic():
        DisciplineReferral.objects.filter(pk=referral.pk).update(leads=leads.strip(),
                                                                 commission=commission)
        referral.leads, referral.commission = leads.strip(), commission
        after = {"leads": referral.leads, "commission": str(commission or "")}
        audit_record(actor=actor, verb="referral.write", target=referral,
                     organization=referral.department,
                     changes={k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return referral


def referral_submit(*, actor, referral: DisciplineReferral) -> DisciplineReferral:
    """Hand the leads to the head for signature."""
    return transition_apply(workflow=REFERRAL_WORKFLOW, obj=referral,
                            target=ReferralStatus.SIGNING, actor=actor)


def referral_return(*, actor, referral: DisciplineReferral, note: str) -> DisciplineReferral:
    """The head sends the leads back for revision, saying why."""
    return transition_apply(workflow=REFERRAL_WORKFLOW, obj=referral,
                            target=ReferralStatus.DRAFTING, actor=actor, note=note)


def referral_sign(*, actor, referral: DisciplineReferral) -> DisciplineReferral:
    """M10.3: the department head signs; who and when are recorded."""
    return transition_apply(workflow=REFERRAL_WORKFLOW, obj=referral,
                            target=ReferralStatus.SIGNED, actor=actor,
                            updates={"signed_by": actor, "signed_at": timezone.now()})


def referral_confirm_seal(*, actor, referral: DisciplineReferral) -> DisciplineReferral:
    """M10.3: the unit's seal was affixed to the signed leads."""
    _check_status(referral, ReferralStatus.SIGNED)
    may_confirm_seal.require(actor, referral)
    now = timezone.now()
    with transaction.atomic():
        claimed = DisciplineReferral.objects.filter(
            pk=referral.pk, status=ReferralStatus.SIGNED, seal_confirmed_at=None,
        ).update(seal_confirmed_by=actor, seal_confirmed_at=now)
        if claimed != 1:
            raise ValidationError("用印已确认过，或移送状态已变化，请刷新页面。")
        referral.seal_confirmed_by, referral.seal_confirmed_at = actor, now
        audit_record(actor=actor, verb="referral.seal", target=referral,
                     organization=referral.department, changes={"seal_confirmed_at": [None, now]})
    return referral


def referral_attach_decision(*, actor, referral: DisciplineReferral, fileobj: BinaryIO,
                             name: str, size: int) -> Attachment:
    """Attach the administrative penalty decision that goes with the leads (M10.3)."""
    _check_status(referral, *_PREPARING)
    may_attach_decision.require(actor, referral)
    with transaction.atomic():
        attachment = attachment_store(actor=actor, organization=referral.department,
                                      fileobj=fileobj, name=name, size=size, target=referral,
                                      description="行政处罚决定书")
        before = str(referral.penalty_decision or "")
        DisciplineReferral.objects.filter(pk=referral.pk).update(penalty_decision=attachment)
        referral.penalty_decision = attachment
        audit_record(actor=actor, verb="referral.decision", target=referral,
                     organization=referral.department,
                     changes={"penalty_decision": [before or None, attachment.original_name]})
    return attachment


def _letter_data(referral: DisciplineReferral) -> dict:
    case = referral.case
    parties = [
        "，".join(filter(None, [
            p.name, p.get_political_status_display() if p.political_status else "",
            "国家公职人员" if p.is_state_functionary else "",
            f"工作单位：{p.employer}" if p.employer else "", f"职务：{p.post}" if p.post else "",
        ]))
        for p in referral.parties.all()
    ]
    penalty = case.decision_summary or "行政处罚"
    if case.penalty_amount is not None:
        penalty += f"（罚没金额{case.penalty_amount}元）"
    return {
        "addressee": referral.commission.name,
        "case_number": case.number,
        "case_summary": case.summary,
        "decision_date": case.decision_date.isoformat() if case.decision_date else "",
        "closed_on": case.closed_on.isoformat() if case.closed_on else "",
        "penalty": penalty,
        "parties": parties,
        "leads": referral.leads,
        "signed_by": referral.signed_by.display_name,
        "signed_at": timezone.localtime(referral.signed_at).strftime("%Y年%m月%d日"),
        "attachments": [f"行政处罚决定书（{case.number}）"],
    }


def referral_deliver(*, actor, referral: DisciplineReferral) -> DisciplineReferral:
    """Issue the numbered 违纪线索移送函 and deliver it to the commission: meets the M10.3
    deadline (late when after due) and notifies the commission's members."""
    now = timezone.now()
    with transaction.atomic():
        # Guards first (signature, seal, decision, commission), so a refused send issues
        # no number.
        reasons = REFERRAL_WORKFLOW.blockers(referral, ReferralStatus.DELIVERED)
        if reasons:
            raise ValidationError(reasons)
        policy.require(actor, "referral.sign", referral.department)
        letter = document_issue(kind=LETTER_KIND, issuer=referral.department,
                                data=_letter_data(referral), target=referral, actor=actor,
                                addressee=referral.commission)
        transition_apply(workflow=REFERRAL_WORKFLOW, obj=referral,
                         target=ReferralStatus.DELIVERED, actor=actor,
                         note=f"移送函{letter.number}",
                         updates={"delivered_at": now, "letter_number": letter.number})
        deadline_meet(target=referral, rule=RULE, actor=actor, at=now)
        notification_send(
            recipients=[referral.commission], target=referral, actor=actor,
            subject=f"{referral.department.name}移送违纪线索（{letter.number}），请签收",
            body=f"案件{referral.case.number}的违纪线索及行政处罚决定书已移送，请登录系统签收。",
        )
    return referral


def referral_acknowledge(*, actor, referral: DisciplineReferral) -> DisciplineReferral:
    """The commission acknowledges receipt (recorded with who and when)."""
    with transaction.atomic():
        transition_apply(workflow=REFERRAL_WORKFLOW, obj=referral,
                         target=ReferralStatus.ACKNOWLEDGED, actor=actor,
                         updates={"acknowledged_by": actor, "acknowledged_at": timezone.now()})
        notification_send(recipients=[referral.department], target=referral, actor=actor,
                          subject=f"{referral.commission.name}已签收案件{referral.case.number}的违纪线索")
    return referral


def referral_close_no_matter(*, actor, referral: DisciplineReferral, reason: str) -> DisciplineReferral:
    """The department judges there is no discipline matter and records why. Deciding is
    what the time limit asks for, so it meets the deadline (late when after due); the
    justice bureau sees the reason."""
    reason = reason.strip()
    with transaction.atomic():
        transition_apply(workflow=REFERRAL_WORKFLOW, obj=referral,
                         target=ReferralStatus.NO_MATTER, actor=actor, note=reason,
                         updates={"no_matter_reason": reason})
        deadline_meet(target=referral, rule=RULE, actor=actor)
    return referral


def referral_transition(*, actor, referral: DisciplineReferral, target: str,
                        note: str = "") -> DisciplineReferral:
    """The step a button on the referral's page takes, through its service above (the
    send issues the letter, 无违纪线索 records the reason)."""
    S = ReferralStatus
    steps = {
        S.SIGNING: lambda: referral_submit(actor=actor, referral=referral),
        S.DRAFTING: lambda: referral_return(actor=actor, referral=referral, note=note),
        S.SIGNED: lambda: referral_sign(actor=actor, referral=referral),
        S.DELIVERED: lambda: referral_deliver(actor=actor, referral=referral),
        S.ACKNOWLEDGED: lambda: referral_acknowledge(actor=actor, referral=referral),
        S.NO_MATTER: lambda: referral_close_no_matter(actor=actor, referral=referral, reason=note),
    }
    if target not in steps:
        raise ValidationError("没有这个办理步骤。")
    return steps[target]()
