"""Builders for the transfer tests: units, a case, and a transfer with its materials."""
from __future__ import annotations

import datetime as dt
import io
import itertools

from django.utils import timezone

from cases.models import ActType, CaseStatus, EnforcementCase, EnforcementField
from core.models import Organization, OrgKind, Role
from core.testing import OrganizationFactory, justice_bureau, member
from transfers import services
from transfers.models import MaterialType, TransferKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_numbers = itertools.count(1)


def org(kind: str = OrgKind.DEPARTMENT, **kwargs) -> Organization:
    return OrganizationFactory(kind=kind, **kwargs)


def case_of(department: Organization, **fields) -> EnforcementCase:
    creator = member(Role.OFFICER, department)
    return EnforcementCase.objects.create(
        department=department, number=f"测罚〔2026〕{next(_numbers)}号", act_type=ActType.PENALTY,
        field=EnforcementField.MARKET, summary="销售假冒注册商标的商品",
        discovered_at=timezone.now() - dt.timedelta(days=10),
        filed_on=timezone.localdate() - dt.timedelta(days=9),
        status=fields.pop("status", CaseStatus.INVESTIGATING), created_by=creator, **fields)


def upload(head, transfer, material_type: str) -> None:
    services.transfer_material_add(actor=head, transfer=transfer, material_type=material_type,
                                   fileobj=io.BytesIO(PDF), name=f"{material_type}.pdf",
                                   size=len(PDF))


def complete(head, transfer) -> None:
    """Upload every other required material, then issue the letter that lists them."""
    if transfer.kind != TransferKind.TOWNSHIP:
        for m in (MaterialType.INVESTIGATION_REPORT, MaterialType.ITEM_LIST,
                  MaterialType.INSPECTION_REPORT):
            upload(head, transfer, m)
    services.transfer_letter_issue(actor=head, transfer=transfer)


def send_criminal(head, transfer):
    """Report to the head, approve and send to the police (decree 310's three steps)."""
    from transfers.models import TransferStatus as S

    for target in (S.PENDING_APPROVAL, S.APPROVED, S.SENT):
        services.transfer_transition(actor=head, transfer=transfer, target=target)
    transfer.refresh_from_db()
    return transfer


def record(user, transfer, outcome: str, note: str = "经审查作出决定"):
    """Record another organ's decision with its document (M4.4)."""
    return services.transfer_record_outcome(actor=user, transfer=transfer, outcome=outcome,
                                            note=note, fileobj=io.BytesIO(PDF),
                                            name="决定书.pdf", size=len(PDF))


class World:
    """A sender department with its head, a competent department, the police, the
    procuratorate and the justice bureau, each with a user."""

    def __init__(self) -> None:
        self.higher = org(OrgKind.HIGHER_AUTHORITY, name="测试市级主管机关", short_name="测市级")
        self.sender = org(higher_authority=self.higher)
        self.head = member(Role.DEPARTMENT_HEAD, self.sender)
        self.receiver = org()
        self.receiver_officer = member(Role.OFFICER, self.receiver)
        self.police = org(OrgKind.POLICE, name="测试公安分局", short_name="测公")
        self.police_user = member(Role.POLICE, self.police)
        self.procuratorate = org(OrgKind.PROCURATORATE, name="测试检察院", short_name="测检")
        self.prosecutor = member(Role.PROSECUTOR, self.procuratorate)
        self.bureau = justice_bureau()
        self.supervisor = member(Role.SUPERVISOR, self.bureau)
        self.stranger = member(Role.OFFICER, org())
        self.case = case_of(self.sender)

    def transfer(self, kind: str = TransferKind.COMPETENT, **kwargs):
        receiver = kwargs.pop("receiver", self.police if kind == TransferKind.CRIMINAL else self.receiver)
        return services.transfer_create(
            actor=self.head, kind=kind, sender=self.sender, receiver=receiver, case=self.case,
            subject="销售假冒商品案", reason="涉案金额超出本部门管辖。", **kwargs)
