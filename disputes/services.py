"""Every write of the dispute coordination (M2, M15.6): the application and its record of
the failed negotiation (M2.2–M2.3), the justice bureau's acceptance, requests for written
opinions, coordination meetings and agreement (M2.1), the written recommendation to the
district government and its ruling, and each party's part (M2.4)."""
from __future__ import annotations

import datetime as dt
from typing import BinaryIO, Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import formats, policy
from core.audit import audit_record, diff, snapshot
from core.models import Organization, OrgKind
from core.services import attachment_store
from core.workflow import transition_apply
from deadlines.calendar import end_of_day
from deadlines.models import Deadline, DeadlineState
from deadlines.notifications import notification_send
from deadlines.services import deadline_cancel, deadline_meet, deadline_open
from documents.services import document_issue

from . import selectors
from .models import (CoordinationMeeting, Dispute, DisputeKind, DisputeParty, DisputeStatus,
                     NegotiationPosition)
from .recommendation import RECOMMENDATION_KIND
from .workflow import (CONFIRMATION_RULE, DISPUTE_WORKFLOW, IMPLEMENTATION_RULE, OPINION_RULE,
                       RULING_RULE)

S = DisputeStatus


# --- who may do what (the pages ask the same predicates before showing a form) ---------
@policy.predicate("修改该争议的协调申请")
def may_edit_draft(user, dispute: Dispute) -> bool:
    return dispute.status == S.DRAFT and policy.has_capability(user, "dispute.file", dispute.applicant)


@policy.predicate("协调该争议")
def may_coordinate(user, dispute: Dispute) -> bool:
    return (dispute.status == S.COORDINATING
            and policy.has_capability(user, "dispute.coordinate", dispute.coordinator))


@policy.predicate("出具书面建议报请区政府裁决")
def may_recommend(user, dispute: Dispute) -> bool:
    return (dispute.status in (S.COORDINATING, S.AGREEMENT)
            and policy.has_capability(user, "dispute.coordinate", dispute.coordinator))


@policy.predicate("裁决该争议")
def may_rule(user, dispute: Dispute) -> bool:
    return (dispute.status == S.SUBMITTED and dispute.government_id is not None
            and policy.has_capability(user, "dispute.rule", dispute.government))


def _acts_for(user, party: DisputeParty) -> bool:
    return policy.has_capability(user, "dispute.respond", party.organization)


@policy.predicate("提交该单位的书面意见")
def may_give_opinion(user, party: DisputeParty) -> bool:
    return (party.dispute.status == S.COORDINATING and party.opinion_due is not None
            and not party.opinion and _acts_for(user, party))


@policy.predicate("确认协调意见")
def may_confirm(user, party: DisputeParty) -> bool:
    return party.dispute.status == S.AGREEMENT and party.confirmed_at is None and _acts_for(user, party)


@policy.predicate("报告裁决执行情况")
def may_report_implementation(user, party: DisputeParty) -> bool:
    return party.dispute.status == S.RULED and party.implemented_at is None and _acts_for(user, party)


def _cancel_live(target, rule: str, actor, reason: str) -> None:
    for deadline in Deadline.objects.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk),
            rule=rule, state__in=[DeadlineState.OPEN, DeadlineState.OVERDUE]):
        deadline_cancel(deadline=deadline, actor=actor, reason=reason)


def _parties(dispute: Dispute) -> list[Organization]:
    return [p.organization for p in dispute.parties.select_related("organization")]


def _tell(dispute: Dispute, recipients, subject: str, body: str, actor) -> None:
    notification_send(recipients=list(recipients), subject=f"{subject}：{dispute.subject}",
                      body=body, target=dispute, actor=actor)


# --- the application (M2.2, M2.3, M15.6) ----------------------------------------------
def _check_parties(kind: str, applicant: Organization, others: list[Organization]) -> None:
    if not others:
        raise ValidationError({"others": "请选择争议的其他当事单位。"})
    if applicant.pk in {o.pk for o in others}:
        raise ValidationError({"others": "其他当事单位不能包括申请单位本身。"})
    acting = {OrgKind.DEPARTMENT, OrgKind.TOWNSHIP}
    if any(o.kind not in acting for o in others):
        raise ValidationError({"others": "争议当事单位须是区行政执法部门或乡镇人民政府（街道办事处）。"})
    kinds = {applicant.kind, *(o.kind for o in others)}
    if kind == DisputeKind.JURISDICTION and kinds != acting:
        # M15.6: a jurisdiction dispute is between a township and a district department.
        raise ValidationError({"kind": "管辖争议是乡镇（街道）与区职能部门之间的争议，请选择相应的当事单位。"})
    if kind != DisputeKind.JURISDICTION and OrgKind.TOWNSHIP in kinds:
        raise ValidationError({"kind": "乡镇（街道）与区职能部门之间的执法管辖争议，争议类别请选择“管辖”。"})


def dispute_create(*, actor, applicant: Organization, kind: str, subject: str, facts: str,
                   others: Iterable[Organization]) -> Dispute:
    """A department (or township) starts its application: a draft, on which it records the
    negotiation with each party before filing (M2.3)."""
    policy.require(actor, "dispute.file", applicant)
    if applicant.kind not in (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP):
        raise ValidationError({"applicant": "须以区行政执法部门或乡镇人民政府（街道办事处）名义申请。"})
    others = list(others)
    _check_parties(kind, applicant, others)
    organ = selectors.coordinator()
    if organ is None:
        raise ValidationError("系统中尚未设置区司法局，无法申请争议协调。")
    dispute = Dispute(applicant=applicant, kind=kind, subject=subject.strip(), facts=facts.strip(),
                      coordinator=organ, created_by=actor)
    dispute.full_clean()
    with transaction.atomic():
        dispute.save()
        DisputeParty.objects.create(dispute=dispute, organization=applicant, is_applicant=True)
        for org in others:
            DisputeParty.objects.create(dispute=dispute, organization=org)
        audit_record(actor=actor, verb="disputes.dispute.create", target=dispute,
                     organization=applicant,
                     changes=diff({}, snapshot(dispute, ["kind", "subject"])),
                     note="其他当事单位：" + "、".join(o.name for o in others))
    return dispute


def negotiation_add(*, actor, dispute: Dispute, party: DisputeParty, negotiated_on: dt.date,
                    representatives: str, position: str) -> NegotiationPosition:
    """Record one party's position at the negotiation held before filing (M2.3)."""
    may_edit_draft.require(actor, dispute)
    if party.dispute_id != dispute.pk:
        raise ValidationError({"party": "请选择本争议的当事单位。"})
    if negotiated_on > timezone.localdate():
        raise ValidationError({"negotiated_on": "协商日期不能晚于今天。"})
    row = NegotiationPosition(dispute=dispute, party=party, negotiated_on=negotiated_on,
                              representatives=representatives.strip(), position=position.strip(),
                              recorded_by=actor)
    row.full_clean()
    with transaction.atomic():
        row.save()
        audit_record(actor=actor, verb="disputes.negotiation.add", target=dispute,
                     organization=dispute.applicant,
                     note=f"{party.organization.name}（协商日期{formats.date_text(negotiated_on)}）")
    return row


def negotiation_remove(*, actor, row: NegotiationPosition) -> None:
    dispute = row.dispute
    may_edit_draft.require(actor, dispute)
    with transaction.atomic():
        audit_record(actor=actor, verb="disputes.negotiation.remove", target=dispute,
                     organization=dispute.applicant, note=str(row))
        row.delete()


def dispute_file(*, actor, dispute: Dispute) -> Dispute:
    """File the application: refused, naming what is missing, until the negotiation is
    recorded for every party (M2.3); the bureau's acceptance limit starts (M2.1)."""
    with transaction.atomic():
        transition_apply(workflow=DISPUTE_WORKFLOW, obj=dispute, target=S.FILED, actor=actor,
                         updates={"filed_at": timezone.now()})
        _tell(dispute, [dispute.coordinator, *[o for o in _parties(dispute) if o != dispute.applicant]],
              "执法争议协调申请", f"{dispute.applicant.name}申请协调{dispute.get_kind_display()}争议。",
              actor)
    return dispute


# --- coordination (M2.1) ----------------------------------------------------------------
def dispute_accept(*, actor, dispute: Dispute) -> Dispute:
    with transaction.atomic():
        transition_apply(workflow=DISPUTE_WORKFLOW, obj=dispute, target=S.COORDINATING,
                         actor=actor, updates={"accepted_at": timezone.now()})
        _tell(dispute, _parties(dispute), "执法争议已受理", "区司法局已受理协调申请。", actor)
    return dispute


def dispute_refuse(*, actor, dispute: Dispute, reason: str) -> Dispute:
    with transaction.atomic():
        transition_apply(workflow=DISPUTE_WORKFLOW, obj=dispute, target=S.REFUSED, actor=actor,
                         note=reason, updates={"refuse_reason": reason.strip()})
        _tell(dispute, _parties(dispute), "执法争议不予受理", f"理由：{reason.strip()}", actor)
    return dispute


def opinion_request(*, actor, dispute: Dispute, due_on: dt.date) -> Dispute:
    """Ask every party whose opinion is not in for its written opinion by ``due_on``: a
    deadline per party."""
    may_coordinate.require(actor, dispute)
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "书面意见期限不能早于今天。"})
    parties = [p for p in dispute.parties.select_related("organization") if not p.opinion]
    if not parties:
        raise ValidationError("各当事单位均已提交书面意见。")
    with transaction.atomic():
        for party in parties:
            if party.opinion_due is not None:
                raise ValidationError(f"已于此前征求{party.organization.name}的书面意见。")
            party.opinion_due = due_on
            party.save(update_fields=["opinion_due"])
            deadline_open(target=party, rule=OPINION_RULE, responsible=party.organization,
                          start=timezone.now(), due=end_of_day(due_on), actor=actor)
        audit_record(actor=actor, verb="disputes.opinion.request", target=dispute,
                     organization=dispute.coordinator,
                     note=f"{'、'.join(p.organization.name for p in parties)}，"
                          f"期限{formats.due_text(end_of_day(due_on))}")
        notification_send(recipients=[p.organization for p in parties],
                          subject=f"请提交争议书面意见：{dispute.subject}",
                          body=f"请于{formats.due_text(end_of_day(due_on))}前提交书面意见。",
                          target=dispute, actor=actor)
    return dispute


def opinion_submit(*, actor, party: DisputeParty, opinion: str,
                   files: Iterable[tuple[BinaryIO, str, int]] = ()) -> DisputeParty:
    """A party's written opinion: meets its deadline; the bureau is told."""
    may_give_opinion.require(actor, party)
    if not opinion.strip():
        raise ValidationError({"opinion": "请填写书面意见。"})
    dispute = party.dispute
    now = timezone.now()
    with transaction.atomic():
        for fileobj, name, size in files:
            attachment_store(actor=actor, organization=party.organization, fileobj=fileobj,
                             name=name, size=size, target=party, description="争议书面意见")
        party.opinion, party.opinion_by, party.opinion_at = opinion.strip(), actor, now
        party.save(update_fields=["opinion", "opinion_by", "opinion_at"])
        deadline_meet(target=party, rule=OPINION_RULE, actor=actor, at=now)
        audit_record(actor=actor, verb="disputes.opinion.submit", target=dispute,
                     organization=party.organization, note=party.organization.name)
        _tell(dispute, [dispute.coordinator], f"{party.organization.name}提交书面意见", "", actor)
    return party


def meeting_record(*, actor, dispute: Dispute, held_at: dt.datetime, place: str,
                   attendees: str, summary: str) -> CoordinationMeeting:
    """A coordination meeting the bureau held (M2.1)."""
    may_coordinate.require(actor, dispute)
    if held_at > timezone.now():
        raise ValidationError({"held_at": "协调时间不能晚于现在。"})
    meeting = CoordinationMeeting(dispute=dispute, held_at=held_at, place=place.strip(),
                                  attendees=attendees.strip(), summary=summary.strip(),
                                  recorded_by=actor)
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        audit_record(actor=actor, verb="disputes.meeting.record", target=dispute,
                     organization=dispute.coordinator,
                     changes=diff({}, snapshot(meeting, ["held_at", "place"])))
    return meeting


def agreement_record(*, actor, dispute: Dispute, agreement: str) -> Dispute:
    """The bureau's 协调意见: each party confirms it within the limit (a deadline each)."""
    if not agreement.strip():
        raise ValidationError({"agreement": "请填写协调意见。"})
    now = timezone.now()
    with transaction.atomic():
        transition_apply(workflow=DISPUTE_WORKFLOW, obj=dispute, target=S.AGREEMENT, actor=actor,
                         updates={"agreement": agreement.strip(), "agreed_at": now})
        for party in dispute.parties.select_related("organization"):
            deadline_open(target=party, rule=CONFIRMATION_RULE, responsible=party.organization,
                          start=now, actor=actor)
        _tell(dispute, _parties(dispute), "请确认争议协调意见", agreement.strip(), actor)
    return dispute


def agreement_confirm(*, actor, party: DisputeParty) -> DisputeParty:
    """A party confirms the agreement (who and when, recorded); the last confirmation
    settles the dispute."""
    may_confirm.require(actor, party)
    dispute = party.dispute
    now = timezone.now()
    with transaction.atomic():
        claimed = DisputeParty.objects.filter(pk=party.pk, confirmed_at__isnull=True).update(
            confirmed_by=actor, confirmed_at=now)
        if claimed != 1:
            raise ValidationError("该单位已确认协调意见。")
        party.confirmed_by, party.confirmed_at = actor, now
        deadline_meet(target=party, rule=CONFIRMATION_RULE, actor=actor, at=now)
        audit_record(actor=actor, verb="disputes.agreement.confirm", target=dispute,
                     organization=party.organization, note=party.organization.name)
        if not dispute.parties.filter(confirmed_at__isnull=True).exists():
            transition_apply(workflow=DISPUTE_WORKFLOW, obj=dispute, target=S.SETTLED,
                             actor=actor, updates={"settled_at": now})
            _tell(dispute, [dispute.coordinator, *_parties(dispute)], "执法争议已协调解决",
                  "各当事单位均已确认协调意见。", actor)
    return party


# --- recommendation and ruling (M2.4, M15.6) ------------------------------------------
def recommendation_issue(*, actor, dispute: Dispute, process: str, disagreement: str,
                         recommendation: str) -> Dispute:
    """Coordination failed: the bureau issues its numbered 行政执法争议协调书面建议 to the
    district government, which is asked to rule within its limit."""
    may_recommend.require(actor, dispute)
    organ = selectors.government()
    if organ is None:
        raise ValidationError("系统中尚未设置区人民政府，无法报请裁决。")
    parties = _parties(dispute)
    data = {"addressee": organ.name, "subject": dispute.subject,
            "kind": dispute.get_kind_display(), "applicant": dispute.applicant.name,
            "parties": [o.name for o in parties], "facts": dispute.facts,
            "process": process.strip(), "disagreement": disagreement.strip(),
            "recommendation": recommendation.strip(),
            "filed_on": timezone.localdate(dispute.filed_at).isoformat() if dispute.filed_at else ""}
    now = timezone.now()
    with transaction.atomic():
        document = document_issue(kind=RECOMMENDATION_KIND, issuer=dispute.coordinator, data=data,
                                  target=dispute, actor=actor, addressee=organ,
                                  title=f"关于{dispute.subject}的行政执法争议协调书面建议"[:200])
        for party in dispute.parties.filter(confirmed_at__isnull=True):
            # An agreement some party would not confirm: its confirmation is no longer owed.
            _cancel_live(party, CONFIRMATION_RULE, actor, "协调未果，已报请区政府裁决")
        transition_apply(workflow=DISPUTE_WORKFLOW, obj=dispute, target=S.SUBMITTED, actor=actor,
                         note=f"书面建议{document.number}",
                         updates={"government": organ, "submitted_at": now})
        deadline_open(target=dispute, rule=RULING_RULE, responsible=organ, start=now, actor=actor)
        _tell(dispute, [organ], "报请裁决执法争议",
              f"区司法局协调未果，书面建议（{document.number}）报请区政府裁决。", actor)
        _tell(dispute, parties, "执法争议报请区政府裁决", f"书面建议：{document.number}。", actor)
    return dispute


def ruling_record(*, actor, dispute: Dispute, ruling: str, implement_due: dt.date,
                  document: tuple[BinaryIO, str, int], competent: Organization | None = None
                  ) -> Dispute:
    """The district government's ruling (裁决), with its document: every party is told
    and owes its report of carrying it out by ``implement_due``. A jurisdiction dispute
    names the competent unit (M15.6)."""
    may_rule.require(actor, dispute)
    if not ruling.strip():
        raise ValidationError({"ruling": "请填写裁决内容。"})
    if implement_due < timezone.localdate():
        raise ValidationError({"implement_due": "执行期限不能早于今天。"})
    parties = list(dispute.parties.select_related("organization"))
    if dispute.kind == DisputeKind.JURISDICTION:
        if competent is None or competent.pk not in {p.organization_id for p in parties}:
            raise ValidationError({"competent": "管辖争议须确定一个当事单位为管辖单位。"})
    else:
        competent = None
    fileobj, name, size = document
    now = timezone.now()
    with transaction.atomic():
        file = attachment_store(actor=actor, organization=dispute.government, fileobj=fileobj,
                                name=name, size=size, target=dispute, description="区政府裁决文书")
        transition_apply(workflow=DISPUTE_WORKFLOW, obj=dispute, target=S.RULED, actor=actor,
                         updates={"ruling": ruling.strip(), "ruling_file": file,
                                  "competent": competent, "ruled_at": now})
        for party in parties:
            party.implement_due = implement_due
            party.save(update_fields=["implement_due"])
            deadline_open(target=party, rule=IMPLEMENTATION_RULE, responsible=party.organization,
                          start=now, due=end_of_day(implement_due), actor=actor)
        body = ruling.strip()
        if competent is not None:
            body = f"确定的管辖单位：{competent.name}。{body}"
        _tell(dispute, [dispute.coordinator, *(p.organization for p in parties)], "区政府裁决",
              f"{body}\n请于{formats.due_text(end_of_day(implement_due))}前报告执行情况。", actor)
    return dispute


def implementation_report(*, actor, party: DisputeParty, report: str) -> DisputeParty:
    """A party reports it has carried the ruling out; the last report closes the dispute."""
    may_report_implementation.require(actor, party)
    if not report.strip():
        raise ValidationError({"report": "请填写执行情况。"})
    dispute = party.dispute
    now = timezone.now()
    with transaction.atomic():
        claimed = DisputeParty.objects.filter(pk=party.pk, implemented_at__isnull=True).update(
            implementation=report.strip(), implemented_by=actor, implemented_at=now)
        if claimed != 1:
            raise ValidationError("该单位已报告执行情况。")
        party.implementation, party.implemented_by, party.implemented_at = report.strip(), actor, now
        deadline_meet(target=party, rule=IMPLEMENTATION_RULE, actor=actor, at=now)
        audit_record(actor=actor, verb="disputes.implementation.report", target=dispute,
                     organization=party.organization, note=party.organization.name)
        recipients = [o for o in (dispute.government, dispute.coordinator) if o is not None]
        _tell(dispute, recipients, f"{party.organization.name}报告裁决执行情况", report.strip(), actor)
        if not dispute.parties.filter(implemented_at__isnull=True).exists():
            transition_apply(workflow=DISPUTE_WORKFLOW, obj=dispute, target=S.CLOSED, actor=actor,
                             updates={"closed_at": now})
    return party
