"""Issue 5's browser flow: register a case, add evidence, see closing refused (M13),
complete the checklist, close, and see the discipline referral with its due date (M10.3)."""
from __future__ import annotations

import re

import pytest
from django.utils import timezone

from cases.models import EnforcementCase
from cases.testing import certified_officer
from core.models import Role
from core.testing import OrganizationFactory, member
from deadlines.calendar import add_working_days

from .factories import PNG, confirmed_evidence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, browser_login, username: str) -> None:
    page.context.clear_cookies()
    browser_login(username)


def test_unconfirmed_evidence_blocks_closing_then_the_referral_opens(page, browser_login):
    dept = OrganizationFactory(name="北戴河区市场监督管理局", short_name="北市监")
    officers = [certified_officer(dept, username="zf1", real_name="王执法"),
                certified_officer(dept, real_name="李执法")]
    member(Role.DEPARTMENT_HEAD, dept, username="fzr", real_name="刘局长")
    today = timezone.localdate().isoformat()

    # The officer registers the case; the party is a party member and state functionary.
    browser_login("zf1")
    page.goto("/cases/new/")
    page.select_option("#id_department", label="北戴河区市场监督管理局")
    page.fill("#id_number", "北市监罚〔2026〕201号")
    page.select_option("#id_act_type", label="行政处罚")
    page.select_option("#id_field", label="食品药品")
    page.fill("#id_summary", "销售超过保质期的食品。")
    page.fill("#id_discovered_at", f"{today}T09:30")
    page.fill("#id_filed_on", today)
    page.select_option("#id_officers", value=[str(o.pk) for o in officers])
    page.select_option("#id_party-kind", label="自然人")
    page.fill("#id_party-name", "赵六")
    page.fill("#id_party-id_number", "130304198805061234")
    page.check("#id_party-is_party_member")
    page.check("#id_party-is_state_functionary")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = EnforcementCase.objects.get(number="北市监罚〔2026〕201号")
    page.get_by_role("button", name="开始调查取证").click()
    page.wait_for_selector("#case-status:has-text('调查取证')")
    # M13: a penalty is decided only on confirmed evidence — one confirmed item first.
    confirmed_evidence(case, actor=officers[0])

    # The head records the decision.
    switch_user(page, browser_login, "fzr")
    page.goto(f"/cases/{case.pk}/decision/")
    page.fill("#id_decision_date", today)
    page.fill("#id_decision_summary", "没收违法所得，罚款五千元。")
    page.fill("#id_penalty_amount", "5000")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_selector("#case-status:has-text('决定')")

    # The officer adds an inquiry record whose alteration is not yet confirmed (M13.2).
    switch_user(page, browser_login, "zf1")
    page.goto(f"/cases/{case.pk}/")
    page.locator("#evidence-table").wait_for()
    page.get_by_role("link", name="询问笔录", exact=True).click()
    page.fill("#id_title", "询问笔录（赵六）")
    page.fill("#id_proves", "当事人销售过期食品的事实")
    page.fill("#id_source", "执法人员询问当事人")
    page.fill("#id_obtained_on", today)
    page.check("#id_verified")
    page.check("#id_has_alterations")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/evidence/\d+/$"))
    page.set_input_files("#id_file", files=[{"name": "笔录.png", "mimeType": "image/png",
                                             "buffer": PNG}])
    page.get_by_role("button", name="上传").click()
    page.get_by_text("笔录.png").first.wait_for()
    assert page.locator("#confirmation").inner_text() == "未确认"

    # The head cannot close: the refusal names the item and what it lacks.
    switch_user(page, browser_login, "fzr")
    page.goto(f"/cases/{case.pk}/")
    blockers = page.locator(".blockers").first.inner_text()
    assert "询问笔录（赵六）" in blockers and "涂改处未经被询问人签名" in blockers
    assert page.get_by_role("button", name="结案").is_disabled()

    # The officer completes the checklist; the item becomes confirmed.
    switch_user(page, browser_login, "zf1")
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="询问笔录（赵六）").click()
    page.get_by_role("link", name="修改证据信息").click()
    page.check("#id_alterations_confirmed")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/evidence/\d+/$"))
    assert page.locator("#confirmation").inner_text() == "已确认"

    # The head closes; the discipline referral opens with its due date (M10.3).
    switch_user(page, browser_login, "fzr")
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("button", name="结案").click()
    page.wait_for_selector("#case-status:has-text('结案')")
    due = add_working_days(timezone.localdate(), 10).date
    assert page.locator("#referral-due").inner_text() == f"{due.year}年{due.month}月{due.day}日24时"
    page.locator("#discipline-panel").get_by_role("link", name="违纪线索移送").click()
    assert page.locator("#referral-status").inner_text() == "待撰写线索"
    assert page.get_by_text("赵六").first.is_visible()
