"""A person registers a case through the form, finds it in the list and moves it along
the procedure with the case page's buttons."""
from __future__ import annotations

import pytest
from django.utils import timezone

from cases.models import EnforcementCase
from cases.testing import certified_officer
from core.testing import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_case_and_move_it_through_the_procedure(page, browser_login):
    dept = OrganizationFactory(name="北戴河区市场监督管理局", short_name="北市监")
    certified_officer(dept, username="zf1", real_name="王执法")
    certified_officer(dept, real_name="李执法")
    browser_login("zf1")
    page.goto("/cases/")
    page.get_by_role("link", name="登记案件").click()
    page.select_option("#id_department", label="北戴河区市场监督管理局")
    page.fill("#id_number", "北市监罚〔2026〕101号")
    page.select_option("#id_act_type", label="行政处罚")
    page.select_option("#id_field", label="食品药品")
    page.fill("#id_summary", "销售超过保质期的食品。")
    today = timezone.localdate().isoformat()
    page.fill("#id_discovered_at", f"{today}T09:30")
    page.fill("#id_filed_on", today)
    page.select_option("#id_officers", index=[0, 1])
    page.select_option("#id_party-kind", label="自然人")
    page.fill("#id_party-name", "赵六")
    page.fill("#id_party-id_number", "130304198805061234")
    page.check("#id_party-is_party_member")
    page.get_by_role("button", name="保存").click()

    page.wait_for_url("**/cases/*/")
    case = EnforcementCase.objects.get(number="北市监罚〔2026〕101号")
    assert page.get_by_text("案件“北市监罚〔2026〕101号”已登记。").is_visible()
    assert page.locator("#case-status").inner_text() == "立案"
    assert page.locator(".party-id").inner_text() == "130304198805061234"
    assert page.get_by_text("中共党员").first.is_visible()
    assert page.get_by_role("button", name="开始调查取证").is_visible()

    page.goto("/cases/")
    page.fill("#id_q", "赵六")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name="北市监罚〔2026〕101号").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    page.get_by_role("button", name="开始调查取证").click()
    page.get_by_text("已开始调查取证。").wait_for()
    assert page.locator("#case-status").inner_text() == "调查取证"
    # The head decides: the officer reads who acts next, and moves the case to review.
    assert page.locator(".waiting").inner_text() == "待本单位部门负责人作出决定"
    page.get_by_role("button", name="提交法制审核").click()
    page.get_by_text("已提交法制审核。").wait_for()
    assert page.locator("#case-status").inner_text() == "法制审核"
    assert page.locator("#timeline").get_by_text("案件状态变更").count() == 2
