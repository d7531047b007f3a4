"""Every POST action of the transfer pages, each carried out and refused (the refusal as
one message on the page, the form keeping what was typed), and every list filtered,
exported at its own address and free of clause codes."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from core.models import Role
from core.testing import member
from transfers.models import (
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

from .helpers import PDF, World, complete, send_criminal, upload

pytestmark = pytest.mark.django_db
S = TransferStatus
CLAUSE = re.compile(r"(?<![A-Za-z0-9])M\d{1,2}(\.\d+)?(?![0-9])")


@pytest.fixture
def world():
    return World()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_create_makes_a_draft_and_a_refusal_keeps_what_was_typed(client, world):
    client.force_login(world.head)
    data = {"kind": TransferKind.COMPETENT, "sender": world.sender.pk, "case": world.case.pk,
            "receiver": world.receiver.pk, "subject": "网页新建的移送", "reason": "超出管辖"}
    response = client.post("/transfers/new/", data)
    transfer = Transfer.objects.get(subject="网页新建的移送")
    assert response.status_code == 302 and response["Location"] == transfer.get_absolute_url()
    # Refused by the service (the sender sends to itself): the form, with what was typed.
    response = client.post("/transfers/new/", {**data, "receiver": world.sender.pk,
                                               "subject": "移送给自己"})
    body = response.content.decode()
    assert response.status_code == 200 and "接收单位不能是移送单位本身" in body
    assert "移送给自己" in body and Transfer.objects.count() == 1
    client.force_login(world.police_user)
    assert client.get("/transfers/new/").status_code == 403


def test_material_upload_and_remove_and_their_refusals(client, world):
    transfer = world.transfer()
    client.force_login(world.head)
    url = transfer.get_absolute_url()
    response = client.post(f"/transfers/{transfer.pk}/materials/", {
        "material_type": MaterialType.ITEM_LIST, "file": _pdf("清单.pdf")}, follow=True)
    assert "材料已添加。" in _messages(response)
    material = TransferMaterial.objects.get(transfer=transfer)
    # The row links to the file itself.
    assert material.get_absolute_url() == material.attachment.get_absolute_url()
    assert material.get_absolute_url() in response.content.decode()
    # Refused: the letter is issued, never uploaded.
    response = client.post(f"/transfers/{transfer.pk}/materials/", {
        "material_type": MaterialType.TRANSFER_LETTER, "file": _pdf()}, follow=True)
    assert response.redirect_chain[-1][0] == url and _messages(response)
    assert TransferMaterial.objects.filter(transfer=transfer).count() == 1
    response = client.post(f"/transfers/{transfer.pk}/materials/{material.pk}/remove/", follow=True)
    assert "材料已删除。" in _messages(response)
    assert not TransferMaterial.objects.filter(pk=material.pk).exists()
    # A stranger neither sees nor removes.
    upload(world.head, transfer, MaterialType.ITEM_LIST)
    material = TransferMaterial.objects.get(transfer=transfer)
    client.force_login(world.stranger)
    assert client.post(f"/transfers/{transfer.pk}/materials/{material.pk}/remove/").status_code == 404


def test_letter_issue_and_its_refusal(client, world):
    transfer = world.transfer()
    client.force_login(world.head)
    response = client.post(f"/transfers/{transfer.pk}/letter/", follow=True)
    assert any("请先上传案件调查报告、涉案物品清单、检验报告或鉴定结论" in m for m in _messages(response))
    for m in (MaterialType.INVESTIGATION_REPORT, MaterialType.ITEM_LIST, MaterialType.INSPECTION_REPORT):
        upload(world.head, transfer, m)
    response = client.post(f"/transfers/{transfer.pk}/letter/", follow=True)
    assert "案件移送书已签发。" in _messages(response)
    letter = TransferMaterial.objects.get(transfer=transfer, material_type=MaterialType.TRANSFER_LETTER)
    # The letter's row links to the document's page.
    assert letter.get_absolute_url() == letter.document.get_absolute_url()
    assert letter.get_absolute_url() in response.content.decode()


def test_transition_sends_and_a_blocked_step_is_refused_with_its_reason(client, world):
    transfer = world.transfer()
    client.force_login(world.head)
    response = client.post(f"/transfers/{transfer.pk}/transition/", {"target": S.SENT}, follow=True)
    assert any("缺少移送材料：案件移送书" in m for m in _messages(response))
    assert Transfer.objects.get(pk=transfer.pk).status == S.DRAFT
    complete(world.head, transfer)
    response = client.post(f"/transfers/{transfer.pk}/transition/", {"target": S.SENT}, follow=True)
    assert "已移送。" in _messages(response)
    assert Transfer.objects.get(pk=transfer.pk).status == S.SENT
    # The receiver sees its buttons; the sender sees who acts next.
    page = client.get(transfer.get_absolute_url()).content.decode()
    assert f"待{world.receiver}" in page and ">接收<" not in page


def test_a_step_of_another_kind_is_neither_shown_nor_allowed(client, world):
    """The kind keeps each transfer on its own path: a criminal transfer has no 发送移送
    (it goes to the head first), and posting it is refused."""
    transfer = world.transfer(TransferKind.CRIMINAL)
    complete(world.head, transfer)
    client.force_login(world.head)
    page = client.get(transfer.get_absolute_url()).content.decode()
    assert "报请负责人审批" in page and "发送移送" not in page
    response = client.post(f"/transfers/{transfer.pk}/transition/", {"target": S.SENT}, follow=True)
    assert any("不能变更为“已移送”" in m for m in _messages(response))


def _sent_criminal(world) -> Transfer:
    transfer = world.transfer(TransferKind.CRIMINAL)
    complete(world.head, transfer)
    return send_criminal(world.head, transfer)


def test_outcome_is_recorded_with_its_document_and_refused_without_it(client, world):
    transfer = _sent_criminal(world)
    client.force_login(world.police_user)
    page = client.get(transfer.get_absolute_url()).content.decode()
    assert 'id="outcome-form"' in page and "不予立案" in page
    response = client.post(f"/transfers/{transfer.pk}/outcome/", {
        "outcome": CriminalOutcome.NOT_FILED, "note": "未达追诉标准"}, follow=True)
    assert any("决定书" in m for m in _messages(response))
    assert Transfer.objects.get(pk=transfer.pk).status == S.SENT
    response = client.post(f"/transfers/{transfer.pk}/outcome/", {
        "outcome": CriminalOutcome.NOT_FILED, "note": "未达追诉标准",
        "document": _pdf("不予立案决定书.pdf")}, follow=True)
    assert "已登记处理结果：不予立案。" in _messages(response)
    transfer.refresh_from_db()
    assert transfer.status == S.NOT_FILED and transfer.outcome_by == world.police
    assert transfer.outcome_document.get_absolute_url() in response.content.decode()
    # The sender may not record an outcome at all.
    client.force_login(world.head)
    response = client.post(f"/transfers/{transfer.pk}/outcome/", {
        "outcome": CriminalOutcome.DROPPED, "document": _pdf()})
    assert response.status_code == 403


def test_order_create_and_sanction_and_their_refusals(client, world):
    client.force_login(world.supervisor)
    due = timezone.localtime(timezone.now() + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    data = {"issuer": world.bureau.pk, "case": world.case.pk, "kind": TransferKind.CRIMINAL,
            "receiver": world.police.pk, "reason": "涉嫌犯罪未移送", "due": due}
    response = client.post("/transfers/orders/new/", {**data, "due": "2020-01-01T09:00"})
    assert response.status_code == 200 and "移送期限须晚于现在" in response.content.decode()
    assert "涉嫌犯罪未移送" in response.content.decode()
    response = client.post("/transfers/orders/new/", data)
    order = TransferOrder.objects.get()
    assert response["Location"] == order.get_absolute_url()
    detail = client.get(order.get_absolute_url()).content.decode()
    assert order.notice.get_absolute_url() in detail and "提出处分建议" in detail
    sanction = {"person": "张某", "post": ResponsibleHead.PRINCIPAL, "proposal": "逾期未移送"}
    response = client.post(f"/transfers/orders/{order.pk}/sanction/", {**sanction, "sanction": "warning"})
    assert response.status_code == 200 and "张某" in response.content.decode()
    response = client.post(f"/transfers/orders/{order.pk}/sanction/",
                           {**sanction, "sanction": Sanction.DEMERIT})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.sanction == Sanction.DEMERIT and order.sanction_post == ResponsibleHead.PRINCIPAL
    # Once proposed, no second proposal; the ordered department never proposes.
    assert client.post(f"/transfers/orders/{order.pk}/sanction/",
                       {**sanction, "sanction": Sanction.DEMERIT}).status_code == 403
    client.force_login(world.head)
    assert client.post("/transfers/orders/new/", data).status_code == 403


def _sheet(response) -> list[list]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return [list(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def test_every_list_is_filtered_and_exported_at_its_own_address(client, world):
    transfer = world.transfer()
    complete(world.head, transfer)
    from transfers import services

    services.transfer_transition(actor=world.head, transfer=transfer, target=S.SENT)
    services.transfer_order_issue(actor=world.supervisor, issuer=world.bureau, department=world.sender,
                                  case=world.case, receiver=world.police, reason="涉嫌犯罪未移送",
                                  due=timezone.now() + dt.timedelta(days=3))
    for user, url in ((world.head, "/transfers/"), (world.receiver_officer, "/transfers/inbox/"),
                      (world.prosecutor, "/transfers/supervision/"),
                      (world.supervisor, "/transfers/orders/")):
        client.force_login(user)
        page = client.get(url, {"q": "销售假冒" if "orders" not in url else world.case.number})
        body = page.content.decode()
        assert page.status_code == 200 and 'id="export-xlsx"' in body
        text = re.sub(r"<[^>]+>", "", re.sub(r"<script.*?</script>", "", body, flags=re.S))
        assert not CLAUSE.search(text), url
        rows = _sheet(client.get(url, {"export": "xlsx"}))
        assert len(rows) == 2, url
        assert all(isinstance(c, str) for c in rows[1][:4] if c is not None)
        # An unreadable filter: its error and no rows, in the page and the file.
        assert len(_sheet(client.get(url, {"state": "nonsense", "export": "xlsx"}))) == 1
    client.force_login(world.head)
    assert client.get("/transfers/supervision/", {"export": "xlsx"}).status_code == 403
