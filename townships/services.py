"""Every write of the M15 records, and the ``may_*`` rules their pages share. Transfers
themselves go through transfers.services."""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import policy
from core.audit import audit_record
from core.models import Organization, OrgKind
from deadlines import notifications
from transfers import services as transfer_services
from transfers.models import TransferKind

from .models import (
    Consultation,
    Dissuasion,
    InfoNotice,
)

ACTING_KINDS = (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP)


# Audit verbs (registered in TownshipsConfig.ready).
VERBS = {
    "township.dissuasion": "记录现场劝阻并告知主管部门",
    "township.consultation": "发起会商或联合处置",
    "township.consultation_conclude": "记录会商意见",
    "township.info_notice": "发布信息通报",
}


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
