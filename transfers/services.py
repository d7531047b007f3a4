"""Every write on transfers (M4) and transfer orders (M4.5). Township transfers (M15.1)
are made through ``transfer_create`` with kind ``township``."""
from __future__ import annotations

import datetime as dt
from typing import BinaryIO

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import policy
from core.audit import audit_record, register_verbs
from core.models import Organization, OrgKind
from core.services import attachment_store
from core.workflow import transition_apply
from deadlines import calendar as deadline_calendar
from deadlines import notifications
from deadlines import services as deadline_services
from deadlines.models import Deadline, DeadlineState
from documents import services as document_services

from .models import (
    CriminalOutcome,
    MaterialType,
    Transfer,
    TransferKind,
    TransferMaterial,
    TransferOrder,
    TransferStatus,
)
from .workflow import TRANSFER_WORKFLOW

S = TransferStatus
K = TransferKind

register_verbs({
    "transfer.create": "新建案件移送",
    "transfer.material_add": "添加移送材料",
    "transfer.material_remove": "删除移送材料",
    "transfers.transfer.transition": "案件移送状态变更",
    "transfer_order.issue": "责令限期移送",
    "transfer_order.sanction": "提出处分建议",
})

# Who may receive each kind (M4.2 competent department, M4.3 police, M15.1 the other side).
RECEIVER_KINDS = {
    K.COMPETENT: {OrgKind.DEPARTMENT, OrgKind.TOWNSHIP},
    K.CRIMINAL: {OrgKind.POLICE},
    K.TOWNSHIP: {OrgKind.DEPARTMENT, OrgKind.TOWNSHIP},
}
SENDER_KINDS = {OrgKind.DEPARTMENT, OrgKind.TOWNSHIP}


def _check_parties(*, kind: str, sender: Organization, receiver: Organization) -> None:
    if sender.kind == OrgKind.INTERNAL_UNIT or sender.kind not in SENDER_KINDS:
        # M15.1: in the name of the department or the township government, never a unit.
        raise ValidationError({"sender": "移送须以行政执法部门或乡镇人民政府（街道办事处）名义作出，不能以内设机构名义移送。"})
    if sender.pk == receiver.pk:
        raise ValidationError({"receiver": "接收单位不能是移送单位本身。"})
    if receiver.kind not in RECEIVER_KINDS[kind]:
        allowed = "、".join(str(OrgKind(k).label) for k in RECEIVER_KINDS[kind])
        raise ValidationError({"receiver": f"“{K(kind).label}”的接收单位须为：{allowed}。"})
    if kind == K.TOWNSHIP and OrgKind.TOWNSHIP not in {sender.kind, receiver.kind}:
        raise ValidationError({"receiver": "乡镇（街道）与区职能部门之间的移送，须有一方为乡镇（街道）。"})
    if kind == K.TOWNSHIP and sender.kind == receiver.kind:
        raise ValidationError({"receiver": "乡镇（街道）与区职能部门之间的移送，另一方须为区职能部门。"})


def transfer_create(
    *,
    actor,
    kind: str,
    sender: Organization,
    receiver: Organization,
    subject: str,
    reason: str,
    case=None,
    basic_facts: str = "",
    discovered_at: dt.datetime | None = None,
    is_urgent: bool = False,
) -> Transfer:
    """Prepare a transfer (a draft the sender completes with its materials)."""
    policy.require(actor, "transfer.prepare", sender)
    _check_parties(kind=kind, sender=sender, receiver=receiver)
    if kind != K.TOWNSHIP and case is None:
        raise ValidationError({"case": "请选择移送的案件。"})
    if case is not None and case.department_id != sender.pk:
        raise ValidationError({"case": "只能移送本单位登记的案件。"})
    if kind == K.TOWNSHIP:
        if discovered_at is None:
            raise ValidationError({"discovered_at": "请填写发现违法行为的时间。"})
        if discovered_at > timezone.now():
            raise ValidationError({"discovered_at": "发现时间不能晚于现在。"})
        if not deadline_calendar.in_range(discovered_at):
            raise ValidationError({"discovered_at": f"发现时间不能早于{deadline_calendar.FIRST_YEAR}年，请核对日期。"})
        if not basic_facts.strip():
            raise ValidationError({"basic_facts": "乡镇（街道）与区职能部门之间的移送须附基本事实的书面说明。"})
    order = None
    if case is not None:
        order = (TransferOrder.objects.filter(case=case, department=sender, complied_at__isnull=True)
                 .order_by("-created_at").first())
    transfer = Transfer(
        kind=kind, sender=sender, receiver=receiver, case=case, subject=subject.strip(),
        reason=reason.strip(), basic_facts=basic_facts.strip(), discovered_at=discovered_at,
        is_urgent=is_urgent, created_by=actor, order=order,
        # M4.4: a decision made before the transfer travels with it.
        decision_travels=bool(case is not None and case.decision_date),
    )
    with transaction.atomic():
        transfer.save()
        audit_record(actor=actor, verb="transfer.create", target=transfer, organization=sender,
                     changes={"kind": [None, transfer.get_kind_display()],
                              "receiver": [None, receiver.name],
                              "case": [None, str(case) if case else None]})
        if kind == K.TOWNSHIP:
            # M15.1: 3 working days from discovery, 24 clock hours when urgent.
            deadline_services.deadline_open(
                target=transfer, rule="township_transfer_urgent" if is_urgent else "township_transfer",
                responsible=sender, start=discovered_at, actor=actor,
            )
    return transfer


def _require_editable(actor, transfer: Transfer) -> None:
    policy.require(actor, "transfer.prepare", transfer.sender)
    if transfer.status not in (S.DRAFT, S.APPROVED):
        raise ValidationError("移送已发出或已撤销，不能再修改材料。")


def transfer_material_add(
    *,
    actor,
    transfer: Transfer,
    material_type: str,
    fileobj: BinaryIO,
    name: str,
    size: int,
    description: str = "",
) -> TransferMaterial:
    """Attach an uploaded material (the transfer letter is issued, not uploaded)."""
    _require_editable(actor, transfer)
    if material_type == MaterialType.TRANSFER_LETTER:
        raise ValidationError({"material_type": "案件移送书须由系统签发，请使用“签发案件移送书”。"})
    if material_type not in MaterialType.values:
        raise ValidationError({"material_type": "请选择材料类别。"})
    with transaction.atomic():
        attachment = attachment_store(actor=actor, organization=transfer.sender, fileobj=fileobj,
                                      name=name, size=size, target=transfer,
                                      description=description)
        material = TransferMaterial.objects.create(
            transfer=transfer, material_type=material_type, attachment=attachment,
            description=description, added_by=actor,
        )
        audit_record(actor=actor, verb="transfer.material_add", target=transfer,
                     organization=transfer.sender,
                     changes={"material": [None, material.get_material_type_display()]},
                     note=name)
    return material


def transfer_letter_issue(*, actor, transfer: Transfer) -> TransferMaterial:
    """Issue the 案件移送书 as a numbered PDF (北市监移〔2026〕3号) and file it as a material."""
    _require_editable(actor, transfer)
    if transfer.materials.filter(material_type=MaterialType.TRANSFER_LETTER).exists():
        raise ValidationError("案件移送书已签发；如需更正，请作废原文书后重新签发。")
    case = transfer.case
    data = {
        "kind": transfer.get_kind_display(),
        "sender": transfer.sender.name,
        "receiver": transfer.receiver.name,
        "subject": transfer.subject,
        "case_number": case.number if case else "",
        "case_summary": case.summary if case else "",
        "reason": transfer.reason,
        "basic_facts": transfer.basic_facts,
        "materials": [str(MaterialType(m).label) for m in transfer.materials
                      .exclude(material_type=MaterialType.TRANSFER_LETTER)
                      .values_list("material_type", flat=True)],
        "decision_travels": transfer.decision_travels,
    }
    with transaction.atomic():
        document = document_services.document_issue(
            kind="case_transfer_letter", issuer=transfer.sender, data=data, target=transfer,
            actor=actor, title=f"案件移送书（{transfer.subject}）", addressee=transfer.receiver,
        )
        material = TransferMaterial.objects.create(
            transfer=transfer, material_type=MaterialType.TRANSFER_LETTER, document=document,
            description=str(document), added_by=actor,
        )
        audit_record(actor=actor, verb="transfer.material_add", target=transfer,
                     organization=transfer.sender,
                     changes={"material": [None, MaterialType.TRANSFER_LETTER.label]},
                     note=str(document))
    return material


def transfer_material_remove(*, actor, material: TransferMaterial) -> None:
    transfer = material.transfer
    _require_editable(actor, transfer)
    if material.document_id:
        raise ValidationError("已签发的案件移送书不能删除，只能作废。")
    with transaction.atomic():
        audit_record(actor=actor, verb="transfer.material_remove", target=transfer,
                     organization=transfer.sender,
                     changes={"material": [material.get_material_type_display(), None]})
        material.delete()


def transfer_transition(*, actor, transfer: Transfer, target: str, note: str = "") -> Transfer:
    """Move a transfer along TRANSFER_WORKFLOW (send, approve, accept, return, file …)."""
    if target == S.CONCLUDED:
        raise ValidationError("登记司法处理结果请选择处理结果。")
    now = timezone.now()
    updates: dict = {}
    if target == S.SENT:
        updates["sent_at"] = now
    elif target in (S.ACCEPTED, S.RETURNED, S.FILED, S.NOT_FILED):
        updates["answered_at"] = now
    if target == S.RETURNED:
        updates["return_reason"] = note.strip()
    if target == S.NOT_FILED:
        updates.update(outcome=CriminalOutcome.NOT_FILED, outcome_note=note.strip())
    elif target == S.DROPPED:
        updates.update(outcome=CriminalOutcome.DROPPED, outcome_note=note.strip())
    elif target == S.RECONSIDERATION:
        updates.update(outcome="", reconsidered=True)
    elif target == S.FILED:
        updates["outcome"] = ""
    return transition_apply(workflow=TRANSFER_WORKFLOW, obj=transfer, target=target,
                            actor=actor, note=note, updates=updates)


def transfer_record_outcome(*, actor, transfer: Transfer, outcome: str, note: str = "") -> Transfer:
    """After filing: the procuratorate's or the court's outcome (M4.4)."""
    if outcome not in (CriminalOutcome.NOT_PROSECUTED, CriminalOutcome.ACQUITTED,
                       CriminalOutcome.EXEMPTED, CriminalOutcome.CONVICTED):
        raise ValidationError({"outcome": "请选择司法处理结果：不起诉、无罪判决、免于刑事处罚或有罪判决。"})
    return transition_apply(workflow=TRANSFER_WORKFLOW, obj=transfer, target=S.CONCLUDED,
                            actor=actor, note=note or str(CriminalOutcome(outcome).label),
                            updates={"outcome": outcome, "outcome_note": note.strip()})


# --- workflow effects (called by core.workflow inside the transition's transaction) ------
def _url(transfer: Transfer) -> str:
    return reverse("transfers:detail", args=[transfer.pk])


def _copies_for(transfer: Transfer) -> list[Organization]:
    """M4.3: the procuratorate and the justice bureau for record, and the next-higher
    enforcement authority (the sender's parent)."""
    if transfer.kind != K.CRIMINAL:
        return []
    copies = list(Organization.objects.filter(
        kind__in=[OrgKind.PROCURATORATE, OrgKind.JUSTICE_BUREAU], is_active=True))
    if transfer.sender.parent_id and transfer.sender.parent.is_active:
        copies.append(transfer.sender.parent)
    return copies


def _on_sent(*, obj: Transfer, actor, transition, source) -> None:
    transfer = obj
    for rule in ("township_transfer", "township_transfer_urgent", "criminal_transfer_send"):
        deadline_services.deadline_meet(target=transfer, rule=rule, actor=actor)
    copies = _copies_for(transfer)
    transfer.copied_to.set(copies)
    rule = "police_filing_decision" if transfer.kind == K.CRIMINAL else "transfer_acceptance"
    deadline_services.deadline_open(target=transfer, rule=rule, responsible=transfer.receiver,
                                    start=transfer.sent_at or timezone.now(), actor=actor)
    if transfer.order_id:
        order = transfer.order
        TransferOrder.objects.filter(pk=order.pk, complied_at__isnull=True).update(
            complied_at=transfer.sent_at or timezone.now())
        deadline_services.deadline_meet(target=order, rule="ordered_transfer", actor=actor)
    notifications.notification_send(
        recipients=[transfer.receiver], subject=f"收到{transfer.sender.short_name}移送：{transfer.subject}",
        body=f"{transfer.sender.name}向你单位移送“{transfer.subject}”（{transfer.get_kind_display()}），请及时处理。",
        target=transfer, url=_url(transfer), actor=actor,
    )
    if copies:
        notifications.notification_send(
            recipients=copies, subject=f"涉嫌犯罪案件移送抄送备案：{transfer.subject}",
            body=f"{transfer.sender.name}已将“{transfer.subject}”移送{transfer.receiver.name}，"
                 "移送书及材料目录抄送备案（M4.3）。",
            target=transfer, url=_url(transfer), actor=actor,
        )


def _on_reported(*, obj: Transfer, actor, transition, source) -> None:
    # Decree 310: the head decides within 3 days of the report.
    deadline_services.deadline_open(target=obj, rule="criminal_transfer_decision",
                                    responsible=obj.sender, start=timezone.now(), actor=actor)


def _on_approved(*, obj: Transfer, actor, transition, source) -> None:
    deadline_services.deadline_meet(target=obj, rule="criminal_transfer_decision", actor=actor)
    # Decree 310: an approved transfer reaches the police within 24 hours.
    deadline_services.deadline_open(target=obj, rule="criminal_transfer_send",
                                    responsible=obj.sender, start=timezone.now(), actor=actor)


def _on_cancelled(*, obj: Transfer, actor, transition, source) -> None:
    deadline_services.deadline_meet(target=obj, rule="criminal_transfer_decision", actor=actor)
    open_rows = Deadline.objects.filter(
        target_type=ContentType.objects.get_for_model(Transfer), target_id=str(obj.pk),
        state__in=[DeadlineState.OPEN, DeadlineState.OVERDUE])
    for deadline in open_rows:
        deadline_services.deadline_cancel(deadline=deadline, actor=actor,
                                          reason=f"移送已撤销：{transition.label}")


def _on_answered(*, obj: Transfer, actor, transition, source) -> None:
    deadline_services.deadline_meet(target=obj, rule="transfer_acceptance", actor=actor)
    notifications.notification_send(
        recipients=[obj.sender], subject=f"{obj.receiver.short_name}已{transition.label}：{obj.subject}",
        body=obj.return_reason, target=obj, url=_url(obj), actor=actor,
    )


def _on_filing_decided(*, obj: Transfer, actor, transition, source) -> None:
    deadline_services.deadline_meet(target=obj, rule="police_filing_decision", actor=actor)
    notifications.notification_send(
        recipients=[obj.sender, *obj.copied_to.all()],
        subject=f"{obj.receiver.short_name}{transition.label}：{obj.subject}",
        body=obj.outcome_note, target=obj, url=_url(obj), actor=actor,
    )


def _on_reconsideration(*, obj: Transfer, actor, transition, source) -> None:
    # Decree 310: the police answer a reconsideration request within 3 days.
    deadline_services.deadline_open(target=obj, rule="reconsideration_answer",
                                    responsible=obj.receiver, start=timezone.now(), actor=actor)
    notifications.notification_send(
        recipients=[obj.receiver], subject=f"{obj.sender.short_name}申请复议：{obj.subject}",
        target=obj, url=_url(obj), actor=actor,
    )


def _on_reconsideration_answered(*, obj: Transfer, actor, transition, source) -> None:
    deadline_services.deadline_meet(target=obj, rule="reconsideration_answer", actor=actor)
    _on_filing_decided(obj=obj, actor=actor, transition=transition, source=source)


# --- M4.5 ordered transfers -------------------------------------------------------------
def _cn_datetime(value: dt.datetime) -> str:
    return f"{value.year}年{value.month}月{value.day}日{value.hour}时{value.minute:02d}分"


def transfer_order_issue(
    *,
    actor,
    issuer: Organization,
    department: Organization,
    case,
    receiver: Organization,
    reason: str,
    due: dt.datetime,
    kind: str = K.CRIMINAL,
) -> TransferOrder:
    """Order a department to transfer a case by ``due``: issue the 责令限期移送通知书 and
    open the ``ordered_transfer`` timer with the due written in it."""
    policy.require(actor, "transfer.order", issuer)
    if case.department_id != department.pk:
        raise ValidationError({"case": "所选案件不属于被责令单位。"})
    if due <= timezone.now():
        raise ValidationError({"due": "移送期限须晚于现在。"})
    if kind == K.TOWNSHIP:
        raise ValidationError({"kind": "责令限期移送适用于移送有管辖权的部门或涉嫌犯罪案件移送。"})
    _check_parties(kind=kind, sender=department, receiver=receiver)
    with transaction.atomic():
        order = TransferOrder.objects.create(
            issuer=issuer, department=department, case=case, receiver=receiver, kind=kind,
            reason=reason.strip(), due=due, created_by=actor,
        )
        local_due = timezone.localtime(due)
        order.notice = document_services.document_issue(
            kind="ordered_transfer_notice", issuer=issuer, target=order, actor=actor,
            title=f"责令限期移送通知书（{case.number}）", addressee=department,
            data={"department": department.name, "case_number": case.number,
                  "case_summary": case.summary, "receiver": receiver.name,
                  "reason": order.reason, "due": _cn_datetime(local_due),
                  "issuer": issuer.name},
        )
        order.save(update_fields=["notice"])
        audit_record(actor=actor, verb="transfer_order.issue", target=order, organization=issuer,
                     changes={"department": [None, department.name], "due": [None, due]})
        deadline_services.deadline_open(target=order, rule="ordered_transfer",
                                        responsible=department, start=timezone.now(),
                                        actor=actor, due=due)
        notifications.notification_send(
            recipients=[department], subject=f"责令限期移送：{case.number}",
            body=f"请于{_cn_datetime(local_due)}前将案件移送{receiver.name}。",
            target=order, url=reverse("transfers:order_detail", args=[order.pk]), actor=actor,
        )
    return order


def transfer_order_propose_sanction(*, actor, order: TransferOrder, person: str,
                                    proposal: str) -> TransferOrder:
    """M4.5: ask the government to sanction the responsible head (记过 or heavier)."""
    policy.require(actor, "transfer.order", order.issuer)
    if not person.strip() or not proposal.strip():
        raise ValidationError("请填写责任人和处分建议。")
    with transaction.atomic():
        order.sanction_target = person.strip()
        order.sanction_proposal = proposal.strip()
        order.sanction_proposed_at = timezone.now()
        order.save(update_fields=["sanction_target", "sanction_proposal", "sanction_proposed_at"])
        audit_record(actor=actor, verb="transfer_order.sanction", target=order,
                     organization=order.issuer,
                     changes={"sanction_target": [None, order.sanction_target],
                              "sanction_proposal": [None, order.sanction_proposal]})
        government = list(Organization.objects.filter(kind=OrgKind.GOVERNMENT, is_active=True))
        if government:
            notifications.notification_send(
                recipients=government, subject=f"处分建议：{order.department.name}未按期移送案件",
                body=f"责任人：{order.sanction_target}。建议：{order.sanction_proposal}",
                target=order, url=reverse("transfers:order_detail", args=[order.pk]), actor=actor,
            )
    return order
