"""Every write of the M15 records, and the ``may_*`` rules their pages share. Transfers
themselves go through transfers.services."""
from __future__ import annotations

import datetime as dt
from typing import BinaryIO, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import policy
from core.audit import audit_record
from core.models import Organization, OrgKind
from core.services import attachment_store
from core.workflow import transition_apply
from deadlines import notifications
from deadlines import services as deadline_services
from deadlines.calendar import end_of_day
from transfers import services as transfer_services
from transfers.models import TransferKind

from .models import (
    AssistanceRequest,
    AssistanceStatus,
    ComplaintNotice,
    ComplaintStatus,
    Consultation,
    Dissuasion,
    InfoNotice,
)
from .workflow import ASSISTANCE_WORKFLOW, COMPLAINT_WORKFLOW

ACTING_KINDS = (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP)


# Audit verbs (registered in TownshipsConfig.ready).
VERBS = {
    "township.dissuasion": "记录现场劝阻并告知主管部门",
    "township.complaint": "登记投诉告知",
    "township.assistance": "提出协助请求",
    "township.consultation": "发起会商或联合处置",
    "township.consultation_conclude": "记录会商意见",
    "township.info_notice": "发布信息通报",
    "townships.complaintnotice.transition": "投诉告知状态变更",
    "townships.assistancerequest.transition": "协助请求状态变更",
}


@policy.predicate("查看投诉人姓名和联系方式")
def may_see_complainant(user, complaint: ComplaintNotice) -> bool:
    """举报人保密 (SPEC, "Who uses it"): the complainant's name and contact are for the
    handling unit and the justice bureau only — never for the unit complained about, nor
    for the receiving unit or the department once the complaint is registered. Pages,
    exports and the API all ask this."""
    return policy.sees_all(user) or complaint.handler_id in policy.viewer(user).org_ids


@policy.predicate("记录会商意见")
def may_conclude(user, consultation: Consultation) -> bool:
    """The initiator records the consultation's conclusion (M15.4)."""
    return policy.has_capability(user, "cooperation.handle", consultation.initiator)


def _require_party(actor, organization: Organization) -> None:
    policy.require(actor, "cooperation.handle", organization)
    if organization.kind not in ACTING_KINDS:
        raise ValidationError("须以区职能部门或乡镇人民政府（街道办事处）名义办理，不能以内设机构名义。")


def dissuasion_record(
    *,
    actor,
    township: Organization,
    competent: Organization,
    location: str,
    violation: str,
    measures: str,
    dissuaded_at: dt.datetime,
    transfer=None,
) -> Dissuasion:
    """M15.1: record the on-the-spot dissuasion of an ongoing violation and tell the
    competent department at once (an in-app notification, e-mailed after commit)."""
    _require_party(actor, township)
    if competent.pk == township.pk:
        raise ValidationError({"competent": "请选择主管部门。"})
    if dissuaded_at > timezone.now():
        raise ValidationError({"dissuaded_at": "劝阻时间不能晚于现在。"})
    with transaction.atomic():
        record = Dissuasion.objects.create(
            township=township, competent=competent, location=location.strip(),
            violation=violation.strip(), measures=measures.strip(), dissuaded_at=dissuaded_at,
            notified_at=timezone.now(), transfer=transfer, created_by=actor,
        )
        changes = {"competent": [None, competent.name]}
        if transfer is not None:
            changes["transfer"] = [None, str(transfer)]
        audit_record(actor=actor, verb="township.dissuasion", target=record, organization=township,
                     changes=changes)
        notifications.notification_send(
            recipients=[competent], subject=f"紧急：{township.short_name}现场劝阻正在实施的违法行为",
            body=f"地点：{record.location}\n违法行为：{record.violation}\n劝阻情况：{record.measures}",
            target=record, url=record.get_absolute_url(), actor=actor,
        )
    return record


def township_transfer_create(
    *,
    actor,
    sender: Organization,
    receiver: Organization,
    subject: str,
    reason: str,
    basic_facts: str,
    discovered_at: dt.datetime,
    is_urgent: bool = False,
    case=None,
    ongoing: bool = False,
    location: str = "",
    measures: str = "",
):
    """M15.1: a transfer either way between a township and a district department (a
    draft the sender completes and sends on the transfer's page), and when the violation
    is still going on, the on-the-spot dissuasion told to the receiver at once — both or
    neither."""
    if ongoing and not (location.strip() and measures.strip()):
        raise ValidationError("违法行为正在实施的，请填写现场地点和劝阻情况。")
    with transaction.atomic():
        transfer = transfer_services.transfer_create(
            actor=actor, kind=TransferKind.TOWNSHIP, sender=sender, receiver=receiver,
            subject=subject, reason=reason, case=case, basic_facts=basic_facts,
            discovered_at=discovered_at, is_urgent=is_urgent)
        if ongoing:
            dissuasion_record(actor=actor, township=sender, competent=receiver, location=location,
                              violation=basic_facts, measures=measures,
                              dissuaded_at=discovered_at, transfer=transfer)
    return transfer


def complaint_register(
    *,
    actor,
    receiver: Organization,
    handler: Organization,
    department: Organization,
    complainant_name: str,
    complainant_contact: str,
    summary: str,
    received_at: dt.datetime,
) -> ComplaintNotice:
    _require_party(actor, receiver)
    with transaction.atomic():
        complaint = ComplaintNotice.objects.create(
            receiver=receiver, handler=handler, department=department,
            complainant_name=complainant_name.strip(), complainant_contact=complainant_contact.strip(),
            summary=summary.strip(), received_at=received_at, created_by=actor,
        )
        audit_record(actor=actor, verb="township.complaint", target=complaint, organization=receiver,
                     changes={"handler": [None, handler.name]})
        if handler.pk != receiver.pk:
            notifications.notification_send(
                recipients=[handler], subject=f"{receiver.short_name}转来投诉，请处理",
                body=complaint.summary, target=complaint,
                url=complaint.get_absolute_url(), actor=actor,
            )
    return complaint


def complaint_transition(*, actor, complaint: ComplaintNotice, target: str,
                         note: str = "") -> ComplaintNotice:
    """M15.2: tell the complainant who handles it; then the result, reported back."""
    now = timezone.now()
    updates = {"told_at": now} if target == ComplaintStatus.HANDLER_TOLD else {
        "result": note.strip(), "result_at": now}
    complaint = transition_apply(workflow=COMPLAINT_WORKFLOW, obj=complaint, target=target,
                                 actor=actor, note=note, updates=updates)
    if target == ComplaintStatus.RESULT_REPORTED:
        notifications.notification_send(
            recipients=[complaint.department], subject=f"投诉处理结果反馈：{complaint.summary[:30]}",
            body=complaint.result, target=complaint,
            url=complaint.get_absolute_url(), actor=actor,
        )
    return complaint


def assistance_request(
    *,
    actor,
    requester: Organization,
    addressee: Organization,
    kind: str,
    subject: str,
    content: str,
    reply_due: dt.date,
    letter: tuple[BinaryIO, str, int] | None = None,
) -> AssistanceRequest:
    """M15.5: a request with a reply due date (the ``assistance_reply`` timer)."""
    _require_party(actor, requester)
    if addressee.pk == requester.pk:
        raise ValidationError({"addressee": "不能向本单位提出协助请求。"})
    if reply_due < timezone.localdate():
        raise ValidationError({"reply_due": "答复期限不能早于今天。"})
    if kind == "technical" and letter is None:
        raise ValidationError({"letter": "请求技术支持须上传书面函件。"})
    with transaction.atomic():
        request = AssistanceRequest(requester=requester, addressee=addressee, kind=kind,
                                    subject=subject.strip(), content=content.strip(),
                                    reply_due=reply_due, created_by=actor)
        if letter is not None:
            fileobj, name, size = letter
            request.letter = attachment_store(actor=actor, organization=requester,
                                              fileobj=fileobj, name=name, size=size,
                                              description="协助请求函")
        request.save()
        if request.letter_id:
            request.letter.target = request
            request.letter.save(update_fields=["target_type", "target_id"])
        audit_record(actor=actor, verb="township.assistance", target=request,
                     organization=requester, changes={"addressee": [None, addressee.name]})
        deadline_services.deadline_open(target=request, rule="assistance_reply",
                                        responsible=addressee, start=timezone.now(),
                                        actor=actor, due=end_of_day(reply_due))
        notifications.notification_send(
            recipients=[addressee], subject=f"{requester.short_name}请求协助：{request.subject}",
            body=f"请于{reply_due:%Y-%m-%d}前答复。", target=request,
            url=request.get_absolute_url(), actor=actor,
        )
    return request


def assistance_answer(*, actor, request: AssistanceRequest, target: str,
                      reply: str) -> AssistanceRequest:
    with transaction.atomic():
        request = transition_apply(workflow=ASSISTANCE_WORKFLOW, obj=request, target=target,
                                   actor=actor, note=reply,
                                   updates={"reply": reply.strip(), "replied_at": timezone.now()})
        notifications.notification_send(
            recipients=[request.requester], subject=f"{request.addressee.short_name}{request.get_status_display()}：{request.subject}",
            body=request.reply, target=request,
            url=request.get_absolute_url(), actor=actor,
        )
    return request


def consultation_create(
    *,
    actor,
    kind: str,
    topic: str,
    initiator: Organization,
    participants: Iterable[Organization],
    subject: str,
    content: str,
    meeting_at: dt.datetime,
    case=None,
) -> Consultation:
    """M15.4: a consultation on a common, hot or hard problem, or joint handling of a
    major case."""
    _require_party(actor, initiator)
    participants = [p for p in participants if p.pk != initiator.pk]
    if not participants:
        raise ValidationError({"participants": "请选择至少一个参加单位。"})
    if kind == "joint_handling" and case is None:
        raise ValidationError({"case": "联合处置须选择涉及的案件。"})
    with transaction.atomic():
        consultation = Consultation.objects.create(
            kind=kind, topic=topic, initiator=initiator, subject=subject.strip(),
            content=content.strip(), meeting_at=meeting_at, case=case, created_by=actor)
        consultation.participants.set(participants)
        audit_record(actor=actor, verb="township.consultation", target=consultation,
                     organization=initiator,
                     changes={"participants": [None, [p.name for p in participants]]})
        notifications.notification_send(
            recipients=participants, subject=f"{initiator.short_name}邀请{consultation.get_kind_display()}：{consultation.subject}",
            body=f"时间：{timezone.localtime(meeting_at):%Y-%m-%d %H:%M}", target=consultation,
            url=consultation.get_absolute_url(), actor=actor,
        )
    return consultation


def consultation_conclude(*, actor, consultation: Consultation, conclusion: str) -> Consultation:
    may_conclude.require(actor, consultation)
    if consultation.concluded_at:
        raise ValidationError("该事项已办结。")
    if not conclusion.strip():
        raise ValidationError({"conclusion": "请填写会商意见或处置结果。"})
    with transaction.atomic():
        consultation.conclusion = conclusion.strip()
        consultation.concluded_at = timezone.now()
        consultation.save(update_fields=["conclusion", "concluded_at"])
        audit_record(actor=actor, verb="township.consultation_conclude", target=consultation,
                     organization=consultation.initiator,
                     changes={"conclusion": [None, consultation.conclusion]})
        notifications.notification_send(
            recipients=list(consultation.participants.all()), subject=f"会商意见：{consultation.subject}",
            body=consultation.conclusion, target=consultation,
            url=consultation.get_absolute_url(), actor=actor,
        )
    return consultation


def info_notice_publish(*, actor, sender: Organization, recipients: Iterable[Organization],
                        title: str, body: str) -> InfoNotice:
    """M15.3: share enforcement and administrative information with the other side."""
    _require_party(actor, sender)
    recipients = [r for r in recipients if r.pk != sender.pk]
    if not recipients:
        raise ValidationError({"recipients": "请选择接收单位。"})
    with transaction.atomic():
        notice = InfoNotice.objects.create(sender=sender, title=title.strip(), body=body.strip(),
                                           created_by=actor)
        notice.recipients.set(recipients)
        audit_record(actor=actor, verb="township.info_notice", target=notice, organization=sender,
                     changes={"recipients": [None, [r.name for r in recipients]]})
        notifications.notification_send(
            recipients=recipients, subject=f"{sender.short_name}信息通报：{notice.title}",
            body=notice.body, target=notice,
            url=notice.get_absolute_url(), actor=actor,
        )
    return notice
