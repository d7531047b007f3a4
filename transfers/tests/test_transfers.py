"""Case transfer (M4): materials, the criminal chain, the M4.4 decision block, ordered
transfers (M4.5), visibility, the supervision view and the API."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from cases import services as case_services
from cases.models import CaseStatus, EnforcementCase
from cases.workflow import CASE_WORKFLOW
from core import policy
from core.models import OrgKind, Role
from core.testing import assert_audited, member
from deadlines.models import Deadline, DeadlineState, Notification
from transfers import selectors, services
from transfers.models import (
    CriminalOutcome,
    MaterialType,
    ResponsibleHead,
    Sanction,
    Transfer,
    TransferKind,
    TransferMaterial,
    TransferStatus,
)

from .helpers import PDF, World, complete, record, send_criminal, upload

pytestmark = pytest.mark.django_db
S = TransferStatus


@pytest.fixture
def world():
    return World()


def deadline(transfer, rule):
    return Deadline.objects.get(target_id=str(transfer.pk), target_type__model=transfer._meta.model_name,
                                rule=rule)


def test_m4_2_transfer_with_a_missing_material_cannot_be_sent(world):
    with assert_audited("transfer.create"):
        transfer = services.transfer_create(
            actor=world.head, kind=TransferKind.COMPETENT, sender=world.sender,
            receiver=world.receiver, case=world.case, subject="缺材料的移送", reason="超出管辖")
    with assert_audited("transfer.material_add", transfer):
        services.transfer_material_add(actor=world.head, transfer=transfer,
                                       material_type=MaterialType.INVESTIGATION_REPORT,
                                       fileobj=io.BytesIO(PDF), name="调查报告.pdf", size=len(PDF))
    with pytest.raises(ValidationError) as exc:
        services.transfer_transition(actor=world.head, transfer=transfer, target=S.SENT)
    text = " ".join(exc.value.messages)
    assert "缺少移送材料：案件移送书" in text
    assert "涉案物品清单" in text and "检验报告或鉴定结论" in text
    assert "案件调查报告" not in text
    transfer.refresh_from_db()
    assert transfer.status == S.DRAFT


def test_m4_2_transfer_letter_is_issued_as_a_numbered_document_not_uploaded(world):
    transfer = world.transfer()
    with pytest.raises(ValidationError, match="系统签发"):
        upload(world.head, transfer, MaterialType.TRANSFER_LETTER)
    for m in (MaterialType.INVESTIGATION_REPORT, MaterialType.ITEM_LIST,
              MaterialType.INSPECTION_REPORT):
        upload(world.head, transfer, m)
    with assert_audited("transfer.material_add", transfer):
        material = services.transfer_letter_issue(actor=world.head, transfer=transfer)
    assert material.document.number.startswith(f"{world.sender.short_name}移〔")
    assert material.document.file.read(4) == b"%PDF"
    with pytest.raises(ValidationError, match="已签发"):
        services.transfer_letter_issue(actor=world.head, transfer=transfer)


def test_m4_2_competent_department_accepts_and_both_sides_see_the_state(world):
    transfer = world.transfer()
    upload(world.head, transfer, MaterialType.ITEM_LIST)
    other = TransferMaterial.objects.filter(transfer=transfer,
                                            material_type=MaterialType.ITEM_LIST).get()
    with assert_audited("transfer.material_remove", transfer):
        services.transfer_material_remove(actor=world.head, material=other)
    complete(world.head, transfer)
    # Before sending only the sender sees it.
    assert not policy.visible_to(world.receiver_officer, Transfer).exists()
    with assert_audited("transfers.transfer.transition", transfer):
        services.transfer_transition(actor=world.head, transfer=transfer, target=S.SENT)
    assert deadline(transfer, "transfer_acceptance").responsible == world.receiver
    # The receiver sees the transfer and the case itself (an extra scope on the case).
    assert policy.access(world.receiver_officer, Transfer, transfer.pk)
    assert policy.access(world.receiver_officer, EnforcementCase, world.case.pk)
    assert not policy.visible_to(world.stranger, EnforcementCase).filter(pk=world.case.pk).exists()
    assert Notification.objects.filter(recipient=world.receiver_officer, target_id=str(transfer.pk)).exists()
    assert selectors.inbox(world.receiver_officer).filter(pk=transfer.pk).exists()
    services.transfer_transition(actor=world.receiver_officer, transfer=transfer, target=S.ACCEPTED)
    transfer.refresh_from_db()
    assert transfer.status == S.ACCEPTED
    assert deadline(transfer, "transfer_acceptance").state == DeadlineState.MET
    assert policy.access(world.head, Transfer, transfer.pk).status == S.ACCEPTED


def test_m4_2_receiver_returns_with_reasons_and_sender_corrects(world):
    transfer = world.transfer()
    complete(world.head, transfer)
    services.transfer_transition(actor=world.head, transfer=transfer, target=S.SENT)
    with pytest.raises(ValidationError, match="理由"):
        services.transfer_transition(actor=world.receiver_officer, transfer=transfer,
                                     target=S.RETURNED)
    services.transfer_transition(actor=world.receiver_officer, transfer=transfer,
                                 target=S.RETURNED, note="检验报告不全，请补正。")
    transfer.refresh_from_db()
    assert transfer.return_reason == "检验报告不全，请补正。"
    # The sender cannot accept its own transfer; the stranger cannot touch it.
    with pytest.raises(PermissionDenied):
        services.transfer_transition(actor=world.stranger, transfer=transfer, target=S.DRAFT)
    services.transfer_transition(actor=world.head, transfer=transfer, target=S.DRAFT)
    assert Transfer.objects.get(pk=transfer.pk).status == S.DRAFT


def test_m13_unconfirmed_evidence_blocks_the_transfer(world):
    from evidence.tests.factories import EvidenceFactory

    EvidenceFactory(case=world.case, title="询问笔录甲")
    transfer = world.transfer()
    complete(world.head, transfer)
    with pytest.raises(ValidationError, match="询问笔录甲"):
        services.transfer_transition(actor=world.head, transfer=transfer, target=S.SENT)


def test_m4_3_criminal_copy_reaches_both_supervisors_and_the_higher_authority(world):
    transfer = world.transfer(TransferKind.CRIMINAL)
    complete(world.head, transfer)
    # A criminal transfer goes through the head first (decree 310), never straight out.
    with pytest.raises(ValidationError, match="不能变更为“已移送”"):
        services.transfer_transition(actor=world.head, transfer=transfer, target=S.SENT)
    services.transfer_transition(actor=world.head, transfer=transfer, target=S.PENDING_APPROVAL)
    decision = deadline(transfer, "criminal_transfer_decision")
    assert decision.due - decision.start >= dt.timedelta(days=3)
    services.transfer_transition(actor=world.head, transfer=transfer, target=S.APPROVED)
    send = deadline(transfer, "criminal_transfer_send")
    assert send.due - send.start == dt.timedelta(hours=24)
    assert deadline(transfer, "criminal_transfer_decision").state == DeadlineState.MET
    # Not visible to the supervisors before it goes out.
    assert not policy.visible_to(world.prosecutor, Transfer).exists()
    services.transfer_transition(actor=world.head, transfer=transfer, target=S.SENT)
    transfer.refresh_from_db()
    assert set(transfer.copied_to.all()) == {world.procuratorate, world.bureau, world.higher}
    for user in (world.prosecutor, world.supervisor, world.police_user):
        assert policy.access(user, Transfer, transfer.pk)
        assert Notification.objects.filter(recipient=user, target_id=str(transfer.pk)).exists()
    assert transfer.reported_to == world.higher
    higher_user = member(Role.DEPARTMENT_HEAD, world.higher)
    assert policy.access(higher_user, Transfer, transfer.pk)
    assert deadline(transfer, "criminal_transfer_send").state == DeadlineState.MET
    assert deadline(transfer, "police_filing_decision").responsible == world.police
    assert not policy.visible_to(world.stranger, Transfer).exists()


def _sent_criminal(world) -> Transfer:
    transfer = world.transfer(TransferKind.CRIMINAL)
    complete(world.head, transfer)
    return send_criminal(world.head, transfer)


def test_m4_4_decision_stays_blocked_until_the_criminal_outcome(world):
    transfer = _sent_criminal(world)
    decider = member(Role.DEPARTMENT_HEAD, world.sender)
    with pytest.raises(ValidationError, match="涉嫌犯罪案件移送"):
        case_services.case_transition(case=world.case, target=CaseStatus.DECIDED, actor=decider)
    record(world.police_user, transfer, CriminalOutcome.NOT_FILED, "未达到刑事追诉标准")
    # M4.4: while the refusal can still be reconsidered, the department may not decide.
    assert "提请复议" in " ".join(selectors.transfer_blocks_decision(world.case))
    # A reconsideration request keeps the block until it is answered.
    services.transfer_transition(actor=world.head, transfer=transfer, target=S.RECONSIDERATION,
                                 note="涉案金额已达追诉标准")
    assert deadline(transfer, "reconsideration_answer").responsible == world.police
    assert selectors.transfer_blocks_decision(world.case)
    record(world.police_user, transfer, CriminalOutcome.NOT_FILED, "复议维持")
    assert deadline(transfer, "reconsideration_answer").state == DeadlineState.MET
    assert selectors.transfer_blocks_decision(world.case) == []
    with pytest.raises(ValidationError, match="已申请过复议"):
        services.transfer_transition(actor=world.head, transfer=transfer,
                                     target=S.RECONSIDERATION, note="再次申请")
    assert not [r for r in CASE_WORKFLOW.blockers(world.case, CaseStatus.DECIDED)
                if "涉嫌犯罪" in r]


def test_m4_4_judicial_outcome_after_filing(world):
    transfer = _sent_criminal(world)
    services.transfer_transition(actor=world.police_user, transfer=transfer, target=S.FILED)
    assert deadline(transfer, "police_filing_decision").state == DeadlineState.MET
    assert selectors.transfer_blocks_decision(world.case)
    # M4.4: the sender cannot record the outcome that lifts its own block.
    with pytest.raises(PermissionDenied):
        record(world.head, transfer, CriminalOutcome.ACQUITTED)
    with assert_audited("transfers.transfer.transition", transfer):
        services.transfer_record_outcome(actor=world.prosecutor, transfer=transfer,
                                         outcome=CriminalOutcome.EXEMPTED, note="法院判决免于刑事处罚",
                                         fileobj=io.BytesIO(PDF), name="判决书.pdf", size=len(PDF))
    transfer.refresh_from_db()
    assert transfer.outcome_by == world.procuratorate and transfer.outcome_document is not None
    assert selectors.transfer_blocks_decision(world.case) == []


def test_m4_4_a_decision_made_before_the_transfer_travels_with_it(world):
    world.case.decision_date = timezone.localdate()
    world.case.save()
    transfer = world.transfer(TransferKind.CRIMINAL)
    assert transfer.decision_travels
    assert selectors.transfer_blocks_decision(world.case) == []


def test_m4_5_ordered_transfer_is_a_numbered_notice_with_a_timer_met_by_sending(world):
    due = timezone.now() + dt.timedelta(days=5)
    with assert_audited("transfer_order.issue"):
        order = services.transfer_order_issue(
            actor=world.supervisor, issuer=world.bureau, department=world.sender, case=world.case,
            receiver=world.police, reason="涉嫌犯罪未移送", due=due)
    assert order.notice.number.startswith("北司责移〔")
    timer = Deadline.objects.get(rule="ordered_transfer", target_id=str(order.pk))
    assert timer.due == due and timer.responsible == world.sender
    with pytest.raises(PermissionDenied):
        services.transfer_order_issue(
            actor=world.head, issuer=world.sender, department=world.sender, case=world.case,
            receiver=world.police, reason="x", due=due)
    transfer = _sent_criminal(world)
    assert transfer.order == order
    order.refresh_from_db()
    timer.refresh_from_db()
    assert order.complied_at is not None and timer.state == DeadlineState.MET
    with assert_audited("transfer_order.sanction", order):
        services.transfer_order_propose_sanction(actor=world.supervisor, order=order,
                                                 person="某局长", post=ResponsibleHead.PRINCIPAL,
                                                 sanction=Sanction.DEMERIT, proposal="逾期未移送")


def test_m4_1_supervision_view_lists_filters_and_exports(client, world):
    transfer = world.transfer()
    complete(world.head, transfer)
    services.transfer_transition(actor=world.head, transfer=transfer, target=S.SENT)
    services.transfer_transition(actor=world.receiver_officer, transfer=transfer,
                                 target=S.RETURNED, note="不属于本部门管辖")
    client.force_login(world.prosecutor)
    page = client.get("/transfers/supervision/?state=returned")
    assert page.status_code == 200 and "销售假冒商品案" in page.content.decode()
    assert client.get("/transfers/supervision/?state=pending").content.decode().count("销售假冒商品案") == 0
    export = client.get("/transfers/supervision/?state=returned&export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(world.stranger)
    assert client.get("/transfers/supervision/").status_code == 403
    assert client.get(f"/transfers/{transfer.pk}/").status_code == 404
    client.force_login(world.receiver_officer)
    inbox = client.get("/transfers/inbox/")
    assert "销售假冒商品案" in inbox.content.decode()


def test_pages_detail_and_actions(client, world):
    client.force_login(world.head)
    response = client.post("/transfers/new/", {
        "kind": TransferKind.COMPETENT, "sender": world.sender.pk, "case": world.case.pk,
        "receiver": world.receiver.pk, "subject": "网页新建的移送", "reason": "超出管辖"})
    assert response.status_code == 302
    transfer = Transfer.objects.get(subject="网页新建的移送")
    detail = client.get(f"/transfers/{transfer.pk}/").content.decode()
    assert "缺少移送材料：案件移送书" in detail
    client.post(f"/transfers/{transfer.pk}/transition/", {"target": S.SENT})
    assert Transfer.objects.get(pk=transfer.pk).status == S.DRAFT


def test_api_is_scoped_and_creates_through_the_service(world):
    api = APIClient()
    api.force_authenticate(world.head)
    response = api.post("/api/v1/transfers/", {
        "kind": TransferKind.COMPETENT, "sender": world.sender.pk, "receiver": world.receiver.pk,
        "case": world.case.pk, "subject": "接口移送", "reason": "超出管辖"}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = api.post(f"/api/v1/transfers/{pk}/transition/", {"target": S.SENT}, format="json")
    assert response.status_code == 400 and "缺少移送材料" in str(response.json())
    api.force_authenticate(world.stranger)
    assert api.get(f"/api/v1/transfers/{pk}/").status_code == 404
    assert api.get("/api/v1/transfers/").json()["count"] == 0


def test_m15_1_internal_unit_never_sends(world):
    unit = world.sender.__class__.objects.create(name="测试执法大队", short_name="测大队",
                                                 kind=OrgKind.INTERNAL_UNIT, parent=world.sender)
    unit_head = member(Role.DEPARTMENT_HEAD, unit)
    with pytest.raises(ValidationError, match="内设机构"):
        services.transfer_create(actor=unit_head, kind=TransferKind.COMPETENT, sender=unit,
                                 receiver=world.receiver, case=world.case, subject="x", reason="y")
    from transfers.forms import sender_choices

    assert unit not in sender_choices(unit_head)


def test_cancelled_draft_cancels_its_deadlines(world):
    transfer = world.transfer(TransferKind.CRIMINAL)
    complete(world.head, transfer)
    services.transfer_transition(actor=world.head, transfer=transfer, target=S.PENDING_APPROVAL)
    services.transfer_transition(actor=world.head, transfer=transfer, target=S.CANCELLED,
                                 note="经审查未达追诉标准")
    assert deadline(transfer, "criminal_transfer_decision").state == DeadlineState.MET
    assert selectors.transfer_blocks_decision(world.case) == []


def test_m4_3_reconsideration_only_within_3_days_of_the_refusal(world, client):
    """Decree 310 art. 9: the sender may ask the police to reconsider a refusal within 3
    days of receiving the 不予立案 notice — counted as deadlines count days (from the next
    day; an end on a rest day moves to the next working day). The detail page says until
    when; after it, the request is refused with the reason."""
    import time_machine

    from deadlines.calendar import SHANGHAI

    refused = dt.datetime(2026, 3, 4, 10, tzinfo=SHANGHAI)  # Wednesday
    with time_machine.travel(refused - dt.timedelta(hours=2), tick=False):
        transfer = _sent_criminal(world)
    with time_machine.travel(refused, tick=False):
        record(world.police_user, transfer, CriminalOutcome.NOT_FILED, "未达到刑事追诉标准")
    # 4 March + 3 days = Saturday 7 March: the window ends at 24:00 on Monday 9 March.
    client.force_login(world.head)
    page = client.get(f"/transfers/{transfer.pk}/").content.decode()
    assert "可于2026年3月9日24时前提请公安机关复议" in page
    with time_machine.travel(dt.datetime(2026, 3, 10, 0, 1, tzinfo=SHANGHAI), tick=False):
        with pytest.raises(ValidationError, match="已超过提请复议期限"):
            services.transfer_transition(actor=world.head, transfer=transfer,
                                         target=S.RECONSIDERATION, note="涉案金额已达追诉标准")
        assert "已超过提请复议期限" in client.get(f"/transfers/{transfer.pk}/").content.decode()
    with time_machine.travel(dt.datetime(2026, 3, 9, 23, 0, tzinfo=SHANGHAI), tick=False):
        services.transfer_transition(actor=world.head, transfer=transfer,
                                     target=S.RECONSIDERATION, note="涉案金额已达追诉标准")
    transfer.refresh_from_db()
    assert transfer.status == S.RECONSIDERATION
    assert "提请公安机关复议" not in client.get(f"/transfers/{transfer.pk}/").content.decode()
