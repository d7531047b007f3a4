"""What a transfer's workflow step does besides moving its status and its declared
deadlines (transfers.workflow): the copies for record, the ordered transfer it answers,
the notifications. Called by core.workflow inside the transition's transaction; a module
of its own so the workflow imports the functions themselves (services import the
workflow)."""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.models import Organization, OrgKind
from deadlines import notifications
from deadlines import services as deadline_services
from deadlines.models import Deadline, DeadlineState

from .models import Transfer, TransferKind, TransferOrder


def higher_authority(sender: Organization) -> Organization | None:
    """M4.3: the next-higher enforcement authority a criminal transfer is reported to
    (``Organization.higher_authority``, set by an administrator); None when none is set."""
    authority = sender.higher_authority
    return authority if authority is not None and authority.is_active else None


def copies_for(transfer: Transfer) -> list[Organization]:
    """M4.3: a criminal transfer goes to the procuratorate and the justice bureau for
    record and is reported to the next-higher authority (``reported_to``, fixed when
    sent); M4.4: a decision already made is copied to the procuratorate and the justice
    bureau with any transfer (决定书一并抄送)."""
    copies: list[Organization] = []
    if transfer.kind == TransferKind.CRIMINAL or transfer.decision_travels:
        copies = list(Organization.objects.filter(
            kind__in=[OrgKind.PROCURATORATE, OrgKind.JUSTICE_BUREAU], is_active=True))
    if transfer.kind == TransferKind.CRIMINAL and transfer.reported_to_id:
        copies.append(transfer.reported_to)
    return copies


def on_sent(*, obj: Transfer, actor, transition, source) -> None:
    """The copies for record, the order this transfer answers, and the receiver told."""
    transfer = obj
    copies = copies_for(transfer)
    transfer.copied_to.set(copies)
    if transfer.order_id:
        order = transfer.order
        TransferOrder.objects.filter(pk=order.pk, complied_at__isnull=True).update(
            complied_at=transfer.sent_at or timezone.now())
        deadline_services.deadline_meet(target=order, rule="ordered_transfer", actor=actor)
    notifications.notification_send(
        recipients=[transfer.receiver], subject=f"收到{transfer.sender.short_name}移送：{transfer.subject}",
        body=f"{transfer.sender.name}向你单位移送“{transfer.subject}”（{transfer.get_kind_display()}），请及时处理。",
        target=transfer, actor=actor,
    )
    if copies:
        what = ("案件移送书及材料目录抄送备案" if transfer.kind == TransferKind.CRIMINAL
                else "行政执法决定书一并抄送")
        notifications.notification_send(
            recipients=copies, subject=f"案件移送抄送：{transfer.subject}",
            body=f"{transfer.sender.name}已将“{transfer.subject}”移送{transfer.receiver.name}，{what}。",
            target=transfer, actor=actor,
        )


def on_cancelled(*, obj: Transfer, actor, transition, source) -> None:
    """A dropped transfer owes nothing: its open time limits are cancelled."""
    open_rows = Deadline.objects.filter(
        target_type=ContentType.objects.get_for_model(Transfer), target_id=str(obj.pk),
        state__in=[DeadlineState.OPEN, DeadlineState.OVERDUE])
    for deadline in open_rows:
        deadline_services.deadline_cancel(deadline=deadline, actor=actor,
                                          reason=f"移送已撤销：{transition.label}")


def tell_sender(*, obj: Transfer, actor, transition, source) -> None:
    """The receiver answered (accepted, returned, decided on filing …): the sender and
    the units copied learn it."""
    notifications.notification_send(
        recipients=[obj.sender, *obj.copied_to.all()],
        subject=f"{obj.receiver.short_name}{transition.done_text.rstrip('。')}：{obj.subject}",
        body=obj.return_reason or obj.outcome_note, target=obj, actor=actor,
    )


def tell_procuratorate(*, obj: Transfer, actor, transition, source) -> None:
    notifications.notification_send(
        recipients=Organization.objects.filter(kind=OrgKind.PROCURATORATE, is_active=True),
        subject=f"{obj.sender.short_name}建议立案监督：{obj.subject}", body=obj.outcome_note,
        target=obj, actor=actor,
    )


def tell_receiver(*, obj: Transfer, actor, transition, source) -> None:
    notifications.notification_send(
        recipients=[obj.receiver], subject=f"{obj.sender.short_name}{transition.label}：{obj.subject}",
        target=obj, actor=actor,
    )
