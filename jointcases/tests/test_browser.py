"""Issue 20's browser flow for M6.1: the lead department opens a joint operation with its
participants; starting is refused until both plans are written and every participant has
confirmed; once under way a consultation is recorded, a participant links a case of its
own, and the lead closes the operation with its results."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.testing import make_case
from jointcases.models import JointOperation, OperationStatus

from .conftest import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png(name: str) -> dict:
    return {"name": name, "mimeType": "image/png", "buffer": PNG}


def _status(page) -> str:
    return page.locator("#operation-status").inner_text()


def test_m6_1_joint_operation_from_creation_through_plans_confirmation_cases_to_results(page, browser_login, district):
    case = make_case(district.market, actor=district.market_officer)
    today = timezone.localdate()
    browser_login("cgfzr1")
    page.goto(reverse("jointcases:new"))
    page.fill("#id_title", "海滨路食品摊点联合整治")
    page.select_option("#id_field", value="food_drug")
    page.fill("#id_scope", "整治海滨路无证食品摊贩，市场监管局查处无证经营，海滨镇负责摊点清理。")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", (today + dt.timedelta(days=30)).isoformat())
    page.get_by_label(district.market.name).check()
    page.get_by_label(district.township.name).check()
    page.get_by_role("button", name="保存").click()
    page.get_by_text("联合执法已登记").wait_for()
    op = JointOperation.objects.get()
    assert page.url.endswith(op.get_absolute_url()) and "筹备中" in _status(page)
    # Not startable yet: the plans are missing and nobody has confirmed.
    blockers = page.locator("#workflow-actions .blockers").inner_text()
    assert "工作方案" in blockers and "应急预案" in blockers and "确认参加" in blockers
    assert page.get_by_role("button", name="启动联合执法").is_disabled()

    page.get_by_role("link", name="填写方案和预案").click()
    page.fill("#id_work_plan", "一、整治目标；二、分工：城管局牵头，市场监管局查处，海滨镇清理；三、步骤。")
    page.set_input_files("#id_work_plan_file", files=[_png("工作方案.png")])
    page.fill("#id_emergency_plan", "遇暴力抗法立即报警，联络人城管局长。")
    page.set_input_files("#id_emergency_plan_file", files=[_png("应急预案.png")])
    page.get_by_role("button", name="保存").click()
    page.get_by_text("工作方案和应急预案已保存").wait_for()
    assert "工作方案.png" in page.locator("#plans").inner_text()
    assert "尚待" in page.locator("#workflow-actions .blockers").inner_text()

    for username, unit in (("scjfzr1", district.market), ("hbz1", district.township)):
        page.context.clear_cookies()
        browser_login(username)
        page.goto(op.get_absolute_url())
        row = page.locator(f"#participant-{op.participants.get(unit=unit).pk}")
        row.get_by_role("button", name="确认参加").click()
        page.get_by_text("已确认参加").wait_for()
        assert "已确认" in page.locator(f"#participant-{op.participants.get(unit=unit).pk}").inner_text()

    page.context.clear_cookies()
    browser_login("cgfzr1")
    page.goto(op.get_absolute_url())
    page.get_by_role("button", name="启动联合执法").click()
    page.wait_for_selector("#operation-status:has-text('实施中')")
    page.get_by_role("link", name="登记会商情况").click()
    page.fill("#id_held_on", today.isoformat())
    page.fill("#id_subject", "摊点清理与查处的衔接")
    page.fill("#id_conclusion", "海滨镇清理后移交市场监管局立案查处无证经营。")
    page.get_by_label(district.market.name).check()
    page.get_by_label(district.township.name).check()
    page.get_by_role("button", name="保存").click()
    page.get_by_text("会商情况已登记").wait_for()
    assert "摊点清理与查处的衔接" in page.locator("#consultations").inner_text()

    page.context.clear_cookies()
    browser_login("scj1")
    page.goto(op.get_absolute_url())
    page.select_option("#link-case", value=str(case.pk))
    page.get_by_role("button", name="关联本单位案件").click()
    page.get_by_text("案件已关联").wait_for()
    assert case.number in page.locator("#cases").inner_text()

    page.context.clear_cookies()
    browser_login("cgfzr1")
    page.goto(op.get_absolute_url())
    page.get_by_role("link", name="结束并形成成果").click()
    page.fill("#id_results", "清理无证摊点12处，市场监管局立案查处3件。")
    page.get_by_role("button", name="结束并保存成果").click()
    page.wait_for_selector("#operation-status:has-text('已结束')")
    assert "清理无证摊点12处" in page.locator("#results").inner_text()
    op.refresh_from_db()
    assert op.status == OperationStatus.CLOSED and op.cases.filter(case=case).exists()
