"""Reads of transfers, their visibility scopes, and the M4.4 guard on the case workflow."""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models import EnforcementCase
from core import formats, policy
from core.models import Organization, OrgKind, Role
from deadlines import calendar

from .models import (
    RELEASING_OUTCOMES,
    UNSENT,
    CriminalOutcome,
    Transfer,
    TransferKind,
    TransferMaterial,
    TransferOrder,
    TransferStatus,
)
from .workflow import TRANSFER_WORKFLOW, reconsideration_due

K = TransferKind
S = TransferStatus
SENDER_KINDS = {OrgKind.DEPARTMENT, OrgKind.TOWNSHIP}
SUPERVISING_ROLES = {Role.PROSECUTOR}  # M4.1 (the justice bureau sees all anyway)


def _supervises(viewer: policy.Viewer) -> bool:
    return any(role in SUPERVISING_ROLES for _org, role in viewer.roles)


@policy.register_scope(Transfer)
def _transfers(viewer: policy.Viewer) -> Q:
    """The sender always; the receiver and the copied units once it is sent; the
    procuratorate every sent transfer (M4.1)."""
    sent = ~Q(status__in=UNSENT)
    if _supervises(viewer):
        return Q(sender_id__in=viewer.org_ids) | sent
    return Q(sender_id__in=viewer.org_ids) | (
        sent & (Q(receiver_id__in=viewer.org_ids)
                | Q(pk__in=Transfer.copied_to.through.objects
                    .filter(organization_id__in=viewer.org_ids).values("transfer_id"))))


@policy.register_scope(TransferMaterial)
def _materials(viewer: policy.Viewer) -> Q:
    return Q(transfer_id__in=policy.visible_pks(viewer, Transfer))


@policy.register_scope(TransferOrder)
def _orders(viewer: policy.Viewer) -> Q:
    return Q(issuer_id__in=viewer.org_ids) | Q(department_id__in=viewer.org_ids)


@policy.register_scope(EnforcementCase)
def _cases_transferred_to_viewer(viewer: policy.Viewer) -> Q:
    """The receiver of a sent transfer (and the units copied) see the case itself."""
    received = Transfer.objects.exclude(status__in=UNSENT).filter(
        Q(receiver_id__in=viewer.org_ids)
        | Q(pk__in=Transfer.copied_to.through.objects
            .filter(organization_id__in=viewer.org_ids).values("transfer_id"))
    ).filter(case__isnull=False)
    return Q(pk__in=received.values("case_id"))


def acts_in_own_name(org: Organization) -> bool:
    """M15.1: a transfer is made in the name of the department or the township government,
    never of an internal or dispatched unit — unless a law, regulation or rule empowers
    that unit to act in its own name (法律法规规章明确规定的除外), which an administrator
    records on the unit with its legal basis."""
    if org.kind == OrgKind.INTERNAL_UNIT:
        return bool(org.empowered_basis.strip()) and org.parent_id is not None
    return org.kind in SENDER_KINDS


def side(org: Organization) -> str:
    """Which side of M15.1 a unit stands on: an empowered unit on its parent's."""
    if org.kind == OrgKind.INTERNAL_UNIT and org.parent_id:
        return org.parent.kind
    return org.kind


def transfer_kind(kind: str, sender: Organization, receiver: Organization) -> str:
    """M15.1 cannot be avoided: a transfer between a township (subdistrict) and a district
    department is always of the township kind — its timer, discovery time and statement
    of basic facts — whatever kind the sender picked."""
    if {side(sender), side(receiver)} == {OrgKind.TOWNSHIP, OrgKind.DEPARTMENT}:
        return K.TOWNSHIP
    return kind


def outcome_target(transfer: Transfer, outcome: str) -> str:
    if outcome == CriminalOutcome.NOT_FILED:
        return S.REFUSED if transfer.kind == K.COMPETENT else S.NOT_FILED
    if outcome == CriminalOutcome.DROPPED:
        return S.DROPPED
    return S.CONCLUDED


def procuratorates_of(user):
    return policy.organizations_with(user, "transfer.supervise").filter(kind=OrgKind.PROCURATORATE)


def outcome_choices(user, transfer: Transfer) -> list[tuple[str, str]]:
    """M4.4: the decisions ``user`` may record on ``transfer`` now, each by the organ that
    made it — the receiving department (不予立案), the police (不予立案, 撤销案件), the
    procuratorate (不起诉, its filing supervision), and a court's judgment recorded by
    the procuratorate or the justice bureau on its behalf."""
    choices = []
    for value, label in CriminalOutcome.choices:
        step = TRANSFER_WORKFLOW.find(transfer.status, outcome_target(transfer, value))
        if step is None or not step.applies_to(transfer):
            continue
        if not policy.has_capability(user, step.capability, TRANSFER_WORKFLOW.org_for(transfer, step)):
            continue
        by_procuratorate = (value == CriminalOutcome.NOT_PROSECUTED
                            or transfer.status == S.FILING_SUPERVISION)
        if by_procuratorate and not procuratorates_of(user).exists():
            continue
        choices.append((value, step.label if step.target != S.CONCLUDED else str(label)))
    return choices


def _decision_blocker(t: Transfer) -> str | None:
    """Why transfer ``t`` keeps its sender from deciding the case (M4.4), or None."""
    if t.status in (S.CANCELLED, S.REFUSED, S.DROPPED):
        return None
    if t.status == S.CONCLUDED and t.outcome in RELEASING_OUTCOMES:
        return None
    if t.status == S.NOT_FILED:
        # Still open to reconsideration: the request window, until it is used.
        due = None if t.reconsidered else reconsideration_due(t)
        if due is None or timezone.now() > due:
            return None
        return (f"公安机关决定不予立案，移送单位可于{formats.due_text(due)}前提请复议，"
                "期满前不能作出决定。")
    if t.kind == TransferKind.COMPETENT:
        return (f"该案已移送{t.receiver.short_name}（{t.get_status_display()}），"
                "须待接收部门决定不予立案后方可作出决定。")
    if t.status == S.CONCLUDED:
        return "该案涉嫌犯罪已作有罪判决，不再作出行政处罚决定。"
    return (f"该案已作为涉嫌犯罪案件移送（{t.receiver.short_name}，{t.get_status_display()}），"
            "须待不予立案、撤销案件、不起诉、无罪判决或免于刑事处罚的结果登记后方可作出决定。")


def transfer_blocks_decision(case: EnforcementCase) -> list[str]:
    """M4.4 entry guard on 决定: a case transferred to the police or to the competent
    department before any decision waits for the other organ's outcome — 接收部门或公安
    机关不予立案 (once it can no longer be reconsidered), 撤销案件, 不起诉, 无罪判决 or
    免于刑事处罚. A conviction keeps the block; a decision made before the transfer
    travelled with it and is not blocked."""
    transfers = (Transfer.objects.filter(case=case, decision_travels=False,
                                         kind__in=(TransferKind.CRIMINAL, TransferKind.COMPETENT))
                 .select_related("receiver"))
    return [reason for reason in map(_decision_blocker, transfers) if reason]


# The "办理情况" buckets of the transfer list, which the dashboard's figures count too.
# 待办理: someone has still to act — the head (approval), the sender (send), the receiver
# or the police (accept, decide, answer).
WAITING = (TransferStatus.PENDING_APPROVAL, TransferStatus.APPROVED, TransferStatus.SENT,
           TransferStatus.RECONSIDERATION, TransferStatus.FILING_SUPERVISION)
# 退回或不予立案: the receiver sent it back, or the police declined to open a criminal case.
RETURNED = (TransferStatus.RETURNED, TransferStatus.NOT_FILED, TransferStatus.REFUSED)
# M4.3: criminal transfers sent without a report to a next-higher authority (none was
# configured for the sender) — never skipped silently: the supervision page counts them.
UNREPORTED = (Q(kind=TransferKind.CRIMINAL, reported_to__isnull=True)
              & ~Q(status__in=UNSENT))


def transfer_list(user, filters: dict | None = None) -> models.QuerySet[Transfer]:
    """Transfers visible to ``user``, narrowed by ``filters`` (TransferFilterForm): q, kind,
    status, outcome, sender, receiver, organization (sender or receiver), state (pending,
    overdue, returned, outcome) and since/until (the local date of creation, both ends
    included). No filter widens the visibility scope."""
    filters = filters or {}
    qs = policy.visible_to(user, Transfer).select_related("sender", "receiver", "case")
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(subject__icontains=q) | Q(case__number__icontains=q)
                       | Q(sender__name__icontains=q) | Q(receiver__name__icontains=q))
    for name in ("kind", "status", "sender", "receiver", "outcome"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("organization"):
        org = filters["organization"]
        qs = qs.filter(Q(sender=org) | Q(receiver=org))
    # Local days as instants (not created_at__date) so the created_at index serves them.
    if filters.get("since"):
        qs = qs.filter(created_at__gte=calendar.start_of_day(filters["since"]))
    if filters.get("until"):
        qs = qs.filter(created_at__lt=calendar.end_of_day(filters["until"]))
    state = filters.get("state")
    if state == "pending":
        qs = qs.filter(status__in=WAITING)
    elif state == "overdue":
        qs = qs.filter(pk__in=overdue_transfer_ids())
    elif state == "returned":
        qs = qs.filter(status__in=RETURNED)
    elif state == "outcome":
        qs = qs.exclude(outcome="")
    elif state == "unreported":
        qs = qs.filter(UNREPORTED)
    return qs


def overdue_transfer_ids() -> models.QuerySet:
    """Transfers with an overdue deadline (as turned overdue by the deadlines sweep)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models.functions import Cast

    from deadlines.models import Deadline, DeadlineState

    ids = Deadline.objects.filter(
        target_type=ContentType.objects.get_for_model(Transfer), state=DeadlineState.OVERDUE,
    ).values("target_id")
    return (Transfer.objects.annotate(_pk_text=Cast("pk", models.CharField()))
            .filter(_pk_text__in=ids).values("pk"))


def inbox(user, filters: dict | None = None) -> models.QuerySet[Transfer]:
    """What was sent to the user's organisations."""
    v = policy.viewer(user)
    return transfer_list(user, filters).filter(receiver_id__in=v.org_ids).exclude(status__in=UNSENT)


def supervision_list(user, filters: dict | None = None) -> models.QuerySet[Transfer]:
    """M4.1: every sent transfer, for the justice bureau and the procuratorate."""
    policy.require(user, "transfer.supervise")
    return transfer_list(user, filters).exclude(status__in=UNSENT)


def supervision_counts(user) -> dict[str, int]:
    qs = supervision_list(user)
    return {
        "pending": transfer_list(user, {"state": "pending"}).exclude(status__in=UNSENT).count(),
        "overdue": qs.filter(pk__in=overdue_transfer_ids()).count(),
        "returned": qs.filter(status__in=RETURNED).count(),
        "outcome": qs.exclude(outcome="").count(),
        "unreported": qs.filter(UNREPORTED).count(),
        "total": qs.count(),
    }


def orders_for(user, filters: dict | None = None) -> models.QuerySet[TransferOrder]:
    """M4.5 orders the user's organisations issued or received, narrowed by ``filters``
    (OrderFilterForm): q (case number, either unit), state (open, overdue, complied,
    sanction)."""
    filters = filters or {}
    qs = policy.visible_to(user, TransferOrder).select_related("issuer", "department", "case",
                                                               "notice")
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(case__number__icontains=q) | Q(department__name__icontains=q)
                       | Q(issuer__name__icontains=q))
    state = filters.get("state")
    if state == "open":
        qs = qs.filter(complied_at__isnull=True)
    elif state == "overdue":
        qs = qs.filter(complied_at__isnull=True, due__lt=timezone.now())
    elif state == "complied":
        qs = qs.filter(complied_at__isnull=False)
    elif state == "sanction":
        qs = qs.filter(sanction_proposed_at__isnull=False)
    return qs


def order_is_overdue(order: TransferOrder) -> bool:
    return order.complied_at is None and order.due < timezone.now()
