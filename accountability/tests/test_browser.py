"""Issue 19's browser flow for accountability (M8) with an exemption claim (M12.3): the
agency's legal officer opens a proceeding from a discipline-referral lead; the officer
concerned claims lawful performance; the head rejects the claim with reasons, determines
the fault and its route; the legal officer records the outcome with its document."""
from __future__ import annotations

import re

import pytest

from accountability.models import Proceeding
from accountability.tests.test_proceedings import _referral_failure
from evidence.tests.factories import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, browser_login, username: str) -> None:
    page.context.clear_cookies()
    browser_login(username)


def test_m8_proceeding_from_a_lead_to_its_outcome_with_an_exemption_claim(page, browser_login, district):
    referral = _referral_failure(district)
    browser_login("scjfz")
    page.goto("/accountability/sources/")
    page.locator("#source-discipline_referral").get_by_role("link", name="启动责任追究").click()
    assert referral.case.number in page.locator("#source-label").inner_text()
    page.check("input[name=ground][value=improper]")
    page.fill("#id_facts", "未核实当事人身份即认定无违纪线索。")
    page.get_by_role("button", name="启动责任追究").click()
    page.wait_for_url(re.compile(r"/accountability/\d+/$"))
    p = Proceeding.objects.get()
    assert "待本单位部门负责人" in page.locator("#workflow-actions").inner_text()
    assert "日24时" in page.locator("#determination-due").inner_text()

    # The officer concerned claims lawful performance.
    switch_user(page, browser_login, "scj1")
    page.goto(p.get_absolute_url())
    page.get_by_role("link", name="提出依法履职免责申请").click()
    page.check("input[name=ground][value=lawful_performance]")
    page.fill("#id_statement", "已按规定核查当事人身份信息。")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_selector(".claim-status:has-text('待决定')")

    # The head rejects it with reasons, then determines the fault and its route.
    switch_user(page, browser_login, "scjfzr")
    page.goto(p.get_absolute_url())
    page.get_by_role("link", name="决定是否免责").click()
    page.check("input[name=accept][value='0']")
    page.fill("#id_reason", "核查记录缺失，不能证明已依法履职。")
    page.get_by_role("button", name="作出决定").click()
    page.wait_for_selector(".claim-status:has-text('不予免责')")
    page.get_by_role("link", name="认定过错责任").click()
    page.check("input[name=liable][value='1']")
    page.fill("#id_fault_determination", "未核实即认定无违纪线索，属不当履行职责。")
    page.select_option("#id_route", "administrative")
    page.get_by_role("button", name="作出认定").click()
    page.wait_for_selector("#proceeding-status:has-text('已认定过错责任，待处理')")

    # The legal officer records the outcome with its document.
    switch_user(page, browser_login, "scjfz")
    page.goto(p.get_absolute_url())
    page.get_by_role("link", name="登记处理结果").click()
    page.fill("#id_outcome", "通报批评，责令书面检查。")
    page.set_input_files("#id_document", files=[{"name": "处理决定.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("#proceeding-status:has-text('已办结')")
    assert page.locator("#outcome-document").inner_text() == "处理决定.png"
    assert "不予免责" in page.locator("#exemption").inner_text()
