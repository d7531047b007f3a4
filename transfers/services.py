"""Every write on transfers (M4) and transfer orders (M4.5). Township transfers (M15.1)
are made through ``transfer_create`` with kind ``township``."""
from __future__ import annotations

import datetime as dt
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import formats, policy
from core.audit import audit_record
from core.models import Organization, OrgKind
from core.services import attachment_store
from core.workflow import transition_apply
from deadlines import calendar as deadline_calendar
from deadlines import notifications
from deadlines import services as deadline_services
from documents import services as document_services

from .models import (
    CriminalOutcome,
    MaterialType,
    ResponsibleHead,
    Sanction,
    Transfer,
    TransferKind,
    TransferMaterial,
    TransferOrder,
    TransferStatus,
)
from . import effects
from .selectors import (acts_in_own_name, outcome_choices, outcome_target, procuratorates_of,
                        side, transfer_kind)
from .workflow import OUTCOME_TARGETS, TRANSFER_WORKFLOW, decision_made, required_materials

S = TransferStatus
K = TransferKind

AUDIT_VERBS = {
    "transfer.create": "新建案件移送",
    "transfer.material_add": "添加移送材料",
    "transfer.material_remove": "删除移送材料",
    "transfers.transfer.transition": "案件移送状态变更",
    "transfer_order.issue": "责令限期移送",
    "transfer_order.sanction": "提出处分建议",
}

# Who may receive each kind (M4.2 competent department, M4.3 police, M15.1 the other side).
RECEIVER_KINDS = {
    K.COMPETENT: {OrgKind.DEPARTMENT, OrgKind.TOWNSHIP},
    K.CRIMINAL: {OrgKind.POLICE},
    K.TOWNSHIP: {OrgKind.DEPARTMENT, OrgKind.TOWNSHIP},
}
def _check_parties(*, kind: str, sender: Organization, receiver: Organization) -> None:
    if not acts_in_own_name(sender):
        raise ValidationError({"sender": "移送须以行政执法部门或乡镇人民政府（街道办事处）名义作出，不能以内设机构名义移送。"})
    if sender.pk == receiver.pk:
        raise ValidationError({"receiver": "接收单位不能是移送单位本身。"})
    if receiver.kind not in RECEIVER_KINDS[kind]:
        allowed = "、".join(str(OrgKind(k).label) for k in RECEIVER_KINDS[kind])
        raise ValidationError({"receiver": f"“{K(kind).label}”的接收单位须为：{allowed}。"})
    sides = {side(sender), receiver.kind}
    if kind == K.TOWNSHIP and OrgKind.TOWNSHIP not in sides:
        raise ValidationError({"receiver": "乡镇（街道）与区职能部门之间的移送，须有一方为乡镇（街道）。"})
    if kind == K.TOWNSHIP and len(sides) == 1:
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
    """Prepare a transfer (a draft the sender completes with its materials). Between a
    township and a district department the kind is the township kind (M15.1)."""
    policy.require(actor, "transfer.prepare", sender)
    kind = transfer_kind(kind, sender, receiver)
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
        # M4.5: an order is met only by a transfer of that case to that receiver, of the
        # kind ordered.
        order = (TransferOrder.objects.filter(case=case, department=sender, receiver=receiver,
                                              kind=kind, complied_at__isnull=True)
                 .order_by("-created_at").first())
    transfer = Transfer(
        kind=kind, sender=sender, receiver=receiver, case=case, subject=subject.strip(),
        reason=reason.strip(), basic_facts=basic_facts.strip(), discovered_at=discovered_at,
        is_urgent=is_urgent, created_by=actor, order=order,
        decision_travels=decision_made(case),
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


EDITABLE = (S.DRAFT, S.APPROVED)


@policy.predicate("修改移送材料")
def may_edit_materials(user, transfer: Transfer) -> bool:
    """The sender's staff, until the transfer goes out (the page shows the upload form,
    the services add, issue and remove only then)."""
    return (transfer.status in EDITABLE
            and policy.has_capability(user, "transfer.prepare", transfer.sender))


def _require_editable(actor, transfer: Transfer) -> None:
    if transfer.status not in EDITABLE:
        raise ValidationError("移送已发出或已撤销，不能再修改材料。")
    may_edit_materials.require(actor, transfer)


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
    _require_catalogue_open(transfer)
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


def _live_letter(transfer: Transfer) -> TransferMaterial | None:
    """The issued 案件移送书 in force (a voided one no longer counts)."""
    return (transfer.materials.filter(material_type=MaterialType.TRANSFER_LETTER)
            .exclude(document__status="voided").first())


def _require_catalogue_open(transfer: Transfer) -> None:
    """Item 8: the letter lists the materials sent with it, so once it is issued the
    materials are fixed; the catalogue the supervisors receive is the one at sending."""
    if _live_letter(transfer) is not None:
        raise ValidationError("案件移送书已签发，随案移送材料目录已确定；如需增补或删除材料，"
                              "请先作废案件移送书，再重新签发。")


def transfer_letter_issue(*, actor, transfer: Transfer) -> TransferMaterial:
    """Issue the 案件移送书 as a numbered PDF (北市监移〔2026〕3号) and file it as a material.
    Its catalogue lists every material then attached, and none can be added or removed
    after it: the other required materials come first."""
    _require_editable(actor, transfer)
    if _live_letter(transfer) is not None:
        raise ValidationError("案件移送书已签发；如需更正，请作废原文书后重新签发。")
    materials = list(transfer.materials.exclude(material_type=MaterialType.TRANSFER_LETTER))
    present = {m.material_type for m in materials}
    lacking = [str(MaterialType(m).label) for m in required_materials(transfer)
               if m != MaterialType.TRANSFER_LETTER and m not in present]
    if lacking:
        raise ValidationError(f"请先上传{'、'.join(lacking)}，再签发案件移送书"
                              "（移送书载明随案移送的材料目录）。")
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
        "materials": [m.description or str(m.get_material_type_display()) for m in materials],
        "decision_travels": decision_made(case),
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
    _require_catalogue_open(transfer)
    with transaction.atomic():
        audit_record(actor=actor, verb="transfer.material_remove", target=transfer,
                     organization=transfer.sender,
                     changes={"material": [material.get_material_type_display(), None]})
        material.delete()


def transfer_transition(*, actor, transfer: Transfer, target: str, note: str = "") -> Transfer:
    """Move a transfer along TRANSFER_WORKFLOW (send, approve, accept, return, file …).
    Another organ's decision (不予立案, 撤销案件, 不起诉, a judgment) is recorded with its
    document through ``transfer_record_outcome``."""
    if target in OUTCOME_TARGETS:
        raise ValidationError("请登记处理结果并上传决定书。")
    now = timezone.now()
    updates: dict = {}
    if target == S.SENT:
        updates.update(sent_at=now, decision_travels=decision_made(transfer.case))
        if transfer.kind == K.CRIMINAL:
            updates["reported_to"] = effects.higher_authority(transfer.sender)
    elif target in (S.ACCEPTED, S.RETURNED, S.FILED):
        updates["answered_at"] = now
    if target == S.RETURNED:
        updates["return_reason"] = note.strip()
    elif target == S.RECONSIDERATION:
        updates.update(outcome="", reconsidered=True)
    elif target == S.FILING_SUPERVISION:
        updates["supervision_requested"] = True
    elif target == S.FILED:
        updates["outcome"] = ""
    return transition_apply(workflow=TRANSFER_WORKFLOW, obj=transfer, target=target,
                            actor=actor, note=note, updates=updates)


may_record_outcome = policy.Predicate(
    "登记该处理结果", lambda user, transfer, outcome: outcome in dict(outcome_choices(user, transfer)))


def _outcome_recorder(actor, transfer: Transfer, target: str) -> Organization:
    if target in (S.REFUSED, S.DROPPED) or transfer.status in (S.SENT, S.RECONSIDERATION):
        return transfer.receiver
    return (procuratorates_of(actor).first()
            or policy.organizations_with(actor, "transfer.supervise").first())


def transfer_record_outcome(*, actor, transfer: Transfer, outcome: str, fileobj: BinaryIO,
                            name: str, size: int, note: str = "") -> Transfer:
    """M4.4: record another organ's decision with its document: the receiver's or the
    police's 不予立案, the police's 撤销案件, the procuratorate's 不起诉 or its filing
    supervision, a court's judgment. Only a conviction keeps the department from deciding
    (selectors.transfer_blocks_decision)."""
    if outcome not in CriminalOutcome.values:
        raise ValidationError({"outcome": "请选择处理结果。"})
    may_record_outcome.require(actor, transfer, outcome)
    if outcome == CriminalOutcome.NOT_FILED and not note.strip():
        raise ValidationError({"note": "请填写不予立案的理由。"})
    target = outcome_target(transfer, outcome)
    recorder = _outcome_recorder(actor, transfer, target)
    label = dict(outcome_choices(actor, transfer))[outcome]
    with transaction.atomic():
        document = attachment_store(actor=actor, organization=recorder, fileobj=fileobj,
                                    name=name, size=size, target=transfer,
                                    description=f"{label}决定书")
        updates = {"outcome": outcome, "outcome_note": note.strip(), "outcome_document": document,
                   "outcome_by": recorder}
        if transfer.status in (S.SENT, S.RECONSIDERATION):
            updates["answered_at"] = timezone.now()
        return transition_apply(workflow=TRANSFER_WORKFLOW, obj=transfer, target=target,
                                actor=actor, note=note.strip() or label, updates=updates)


# --- M4.5 ordered transfers -------------------------------------------------------------
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
    kind = transfer_kind(kind, department, receiver)  # M15.1, as the transfer will be
    _check_parties(kind=kind, sender=department, receiver=receiver)
    with transaction.atomic():
        order = TransferOrder.objects.create(
            issuer=issuer, department=department, case=case, receiver=receiver, kind=kind,
            reason=reason.strip(), due=due, created_by=actor,
        )
        order.notice = document_services.document_issue(
            kind="ordered_transfer_notice", issuer=issuer, target=order, actor=actor,
            title=f"责令限期移送通知书（{case.number}）", addressee=department,
            data={"department": department.name, "case_number": case.number,
                  "case_summary": case.summary, "receiver": receiver.name,
                  "reason": order.reason, "due": formats.due_text(due),
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
            body=f"请于{formats.due_text(due)}前将案件移送{receiver.name}。",
            target=order, actor=actor,
        )
    return order


@policy.predicate("提出处分建议")
def may_propose_sanction(user, order: TransferOrder) -> bool:
    """M4.5: the unit that ordered the transfer, once."""
    return (order.sanction_proposed_at is None
            and policy.has_capability(user, "transfer.order", order.issuer))


def transfer_order_propose_sanction(*, actor, order: TransferOrder, person: str, post: str,
                                    sanction: str, proposal: str) -> TransferOrder:
    """M4.5: ask the government to sanction the responsible head — the 正职负责人 or the
    主持工作的负责人, by name — with 记过 or heavier."""
    policy.require(actor, "transfer.order", order.issuer)
    if order.sanction_proposed_at is not None:
        raise ValidationError("已提出过处分建议。")
    may_propose_sanction.require(actor, order)
    errors = {}
    if not person.strip():
        errors["person"] = "请填写责任人姓名。"
    if post not in ResponsibleHead.values:
        errors["post"] = "责任人须为被责令单位的正职负责人或主持工作的负责人。"
    if sanction not in Sanction.values:
        errors["sanction"] = "建议的处分须为记过或者更重的处分。"
    if not proposal.strip():
        errors["proposal"] = "请填写提出处分建议的理由。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        order.sanction_target = person.strip()
        order.sanction_post = post
        order.sanction = sanction
        order.sanction_proposal = proposal.strip()
        order.sanction_proposed_at = timezone.now()
        order.save(update_fields=["sanction_target", "sanction_post", "sanction",
                                  "sanction_proposal", "sanction_proposed_at"])
        audit_record(actor=actor, verb="transfer_order.sanction", target=order,
                     organization=order.issuer,
                     changes={"sanction_target": [None, order.sanction_target],
                              "sanction_post": [None, order.get_sanction_post_display()],
                              "sanction": [None, order.get_sanction_display()],
                              "sanction_proposal": [None, order.sanction_proposal]})
        government = list(Organization.objects.filter(kind=OrgKind.GOVERNMENT, is_active=True))
        if government:
            notifications.notification_send(
                recipients=government, subject=f"处分建议：{order.department.name}未按期移送案件",
                body=(f"建议对{order.department.name}{order.get_sanction_post_display()}"
                      f"{order.sanction_target}给予{order.get_sanction_display()}处分。"
                      f"理由：{order.sanction_proposal}"),
                target=order, actor=actor,
            )
    return order
