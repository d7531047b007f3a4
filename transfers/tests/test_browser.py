"""Browser: a township sends a transfer, the department accepts it (M15.1, M4.2)."""
from __future__ import annotations

import pytest

from core.models import OrgKind, Role
from core.testing import OrganizationFactory, member
from transfers.models import Transfer, TransferStatus

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
