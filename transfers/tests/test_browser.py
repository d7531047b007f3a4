"""Browser: a township sends a transfer, the department accepts it (M15.1, M4.2); a
criminal transfer from the head to the police (M4.3); an ordered transfer met by
transferring (M4.5); the supervision list's export (M4.1)."""
from __future__ import annotations

import pytest

from core.models import OrgKind, Role
from core.testing import OrganizationFactory, justice_bureau, member
from transfers import services
from transfers.models import Transfer, TransferKind, TransferOrder, TransferStatus

from .helpers import PDF, case_of, complete, send_criminal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_township_sends_and_the_department_accepts(page, browser_login):
    township = OrganizationFactory(kind=OrgKind.TOWNSHIP, name="浏览器测试镇人民政府", short_name="浏镇")
    department = OrganizationFactory(name="浏览器测试市场监管局", short_name="浏市监")
    member(Role.DEPARTMENT_HEAD, township, username="town_head")
    member(Role.OFFICER, department, username="dept_officer")
    # An internal unit of the township, whose name the form must never offer (M15.1).
    unit = OrganizationFactory(kind=OrgKind.INTERNAL_UNIT, name="浏览器测试镇综合执法队",
                               short_name="浏执法队", parent=township)
    member(Role.DEPARTMENT_HEAD, unit, username="town_head2")

    browser_login("town_head")
    page.goto("/townships/")
    page.click("text=相互移送案件")
    sender_options = page.locator("#id_sender option").all_inner_texts()
    assert "浏览器测试镇人民政府" in sender_options
    assert not any("综合执法队" in o for o in sender_options)
    page.select_option("#id_receiver", label="浏览器测试市场监管局")
    page.fill("#id_subject", "沙滩无证经营")
    page.fill("#id_discovered_at", "2026-03-02T09:30")
    page.fill("#id_basic_facts", "某商户在沙滩无照经营饮品。")
    page.fill("#id_reason", "属市场监管部门管辖。")
    page.click("main button:has-text('提交')")
    page.wait_for_url("**/transfers/*/")
    assert "缺少移送材料：案件移送书" in page.content()
    with page.expect_navigation(timeout=60000):  # the PDF is rendered on the way
        page.click("button:has-text('签发案件移送书')")
    assert "案件移送书已签发" in page.inner_text("main"), page.inner_text("main")
    page.click("button:has-text('发送移送')")
    page.wait_for_selector("#transfer-status:has-text('已移送')")
    transfer = Transfer.objects.get(subject="沙滩无证经营")
    page.context.clear_cookies()

    browser_login("dept_officer")
    page.goto("/transfers/inbox/")
    page.click("text=沙滩无证经营")
    page.click("button:has-text('接收')")
    page.wait_for_selector("#transfer-status:has-text('已接收')")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED


def _criminal_world():
    """A department (with its higher authority) whose head prepares and approves, the
    police, the procuratorate and the justice bureau, each with a login."""
    higher = OrganizationFactory(kind=OrgKind.HIGHER_AUTHORITY, name="浏览器测试市级局", short_name="浏市局")
    department = OrganizationFactory(name="浏览器测试区市场监管局", short_name="浏区市监",
                                     higher_authority=higher)
    head = member(Role.DEPARTMENT_HEAD, department, username="dept_head")
    police = OrganizationFactory(kind=OrgKind.POLICE, name="浏览器测试公安分局", short_name="浏公")
    member(Role.POLICE, police, username="police")
    procuratorate = OrganizationFactory(kind=OrgKind.PROCURATORATE, name="浏览器测试检察院", short_name="浏检")
    member(Role.PROSECUTOR, procuratorate, username="prosecutor")
    member(Role.SUPERVISOR, justice_bureau(), username="bureau")
    return department, head, police


def _prepared(head, department, police, case) -> Transfer:
    transfer = services.transfer_create(actor=head, kind=TransferKind.CRIMINAL, sender=department,
                                        receiver=police, case=case, subject="销售伪劣产品案",
                                        reason="涉案金额已达刑事追诉标准。")
    complete(head, transfer)
    return transfer


def _click(page, label: str) -> None:
    with page.expect_navigation():
        page.click(f"#workflow-actions button:has-text('{label}')")


def test_m4_3_criminal_transfer_from_the_head_to_the_police(page, browser_login, tmp_path):
    """M4.3: reported to the head, approved, sent to the police with copies for record;
    the police refuse with their decision attached (M4.4), then the sender sees it."""
    department, head, police = _criminal_world()
    transfer = _prepared(head, department, police, case_of(department))
    browser_login("dept_head")
    page.goto(transfer.get_absolute_url())
    _click(page, "报请负责人审批")
    assert "已报请负责人审批。" in page.inner_text("main")
    _click(page, "批准移送")
    assert "24小时内移送公安机关" in page.inner_text("main")
    _click(page, "移送公安机关")
    page.wait_for_selector("#transfer-status:has-text('已移送')")
    assert "浏览器测试市级局" in page.inner_text("#copies")
    assert "待浏览器测试公安分局公安" in page.inner_text("#workflow-actions")
    page.context.clear_cookies()

    browser_login("police")
    page.goto("/transfers/inbox/")
    page.click("text=销售伪劣产品案")
    assert page.locator("#workflow-actions button:has-text('立案')").count() == 1
    decision = tmp_path / "不予立案决定书.pdf"
    decision.write_bytes(PDF)
    page.select_option("#id_outcome", label="不予立案")
    page.set_input_files("#id_document", str(decision))
    page.fill("#id_note", "涉案金额未达追诉标准。")
    with page.expect_navigation():
        page.click("#outcome-form button[type=submit]")
    page.wait_for_selector("#transfer-status:has-text('不予立案')")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.NOT_FILED and transfer.outcome_by == police
    page.context.clear_cookies()

    browser_login("dept_head")
    page.goto(transfer.get_absolute_url())
    assert "提请公安机关复议" in page.inner_text("#reconsideration-due")
    assert page.locator("#workflow-actions button:has-text('申请复议')").count() == 1


def test_m4_3_police_file_the_case(page, browser_login):
    department, head, police = _criminal_world()
    transfer = _prepared(head, department, police, case_of(department))
    send_criminal(head, transfer)
    browser_login("police")
    page.goto(transfer.get_absolute_url())
    _click(page, "立案")
    page.wait_for_selector("#transfer-status:has-text('公安已立案')")
    assert "已立案。" in page.inner_text("main")


def test_m4_5_an_ordered_transfer_is_met_by_transferring(page, browser_login):
    """M4.5: the justice bureau orders the transfer by a deadline; the department transfers
    the case to the police, which meets the order."""
    department, head, police = _criminal_world()
    case = case_of(department)
    browser_login("bureau")
    page.goto("/transfers/orders/")
    with page.expect_navigation():
        page.click("main a:has-text('责令限期移送')")
    page.select_option("#id_case", value=str(case.pk))
    page.select_option("#id_receiver", label="浏览器测试公安分局")
    page.fill("#id_reason", "涉嫌犯罪应当移送而未移送。")
    page.fill("#id_due", "2099-03-20T17:00")
    with page.expect_navigation(timeout=60000):  # the notice's PDF is rendered on the way
        page.click("main button[type=submit]")
    assert "责令限期移送通知书已签发。" in page.inner_text("main")
    order = TransferOrder.objects.get(case=case)
    assert "2099年3月20日17:00" in page.inner_text("#order-due")
    page.context.clear_cookies()

    browser_login("dept_head")
    page.goto(f"/transfers/new/?case={case.pk}")
    page.select_option("#id_kind", value=TransferKind.CRIMINAL)
    page.select_option("#id_receiver", label="浏览器测试公安分局")
    page.fill("#id_subject", "销售伪劣产品案")
    page.fill("#id_reason", "涉案金额已达刑事追诉标准。")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    transfer = Transfer.objects.get(case=case)
    assert transfer.order == order
    complete(head, transfer)
    page.goto(transfer.get_absolute_url())
    for label in ("报请负责人审批", "批准移送", "移送公安机关"):
        _click(page, label)
    page.wait_for_selector("#transfer-status:has-text('已移送')")
    page.goto(order.get_absolute_url())
    assert "销售伪劣产品案" in page.inner_text("#order-transfers")
    assert "按期完成" in page.inner_text("#deadline-box")
    order.refresh_from_db()
    assert order.complied_at is not None


def test_m4_1_the_supervision_list_exports_what_it_shows(page, browser_login):
    """M4.1: the procuratorate filters the supervision list and downloads it as Excel."""
    import io

    from openpyxl import load_workbook

    department, head, police = _criminal_world()
    transfer = _prepared(head, department, police, case_of(department))
    send_criminal(head, transfer)
    browser_login("prosecutor")
    page.goto("/transfers/supervision/")
    page.select_option("#id_kind", value=TransferKind.CRIMINAL)
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "销售伪劣产品案" in page.inner_text("#list-table")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    rows = list(load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
                .iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "类别", "事由")
    assert [r[2] for r in rows[1:]] == ["销售伪劣产品案"]
