"""Issue 20's browser flow for M14.2: the approval bureau imports a decision, it is pushed
to the supervising department by the routing table; the department claims it and records
its supervision with the penalty case; the bureau sees the record on the decision."""
from __future__ import annotations

import re

import pytest
from django.utils import timezone

from approvals.models import Decision, DecisionStatus
from cases.testing import make_case

from .conftest import csv_file, decision_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_m14_2_imported_decision_claimed_and_its_supervision_seen_by_the_approval_bureau(page, browser_login, district):
    district.route()
    case = make_case(district.market, actor=district.market_officer)
    today = timezone.localdate().isoformat()
    browser_login("spj1")
    page.goto("/approvals/import/")
    page.set_input_files("#id_file", files=[{"name": "审批决定.csv", "mimeType": "text/csv",
                                             "buffer": csv_file([decision_data(7, decided_on=today)]).getvalue()}])
    page.get_by_role("button", name="校验并导入").click()
    page.get_by_text("已导入审批决定 1 件").wait_for()
    decision = Decision.objects.get()
    assert decision.status == DecisionStatus.PUSHED

    page.context.clear_cookies()
    browser_login("scj1")
    page.goto(decision.get_absolute_url())
    assert "待认领" in page.locator("#decision-status").inner_text()
    page.get_by_role("button", name="认领").click()
    page.wait_for_selector("#decision-status:has-text('监管中')")
    page.get_by_role("link", name="登记监管情况").click()
    page.fill("#id_inspected_on", today)
    page.fill("#id_inspection", "现场检查经营场所，核查许可条件")
    page.select_option("#id_result", label="立案查处")
    page.fill("#id_findings", "超范围经营，已立案查处")
    page.select_option("#id_case", value=str(case.pk))
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("#decision-status:has-text('已反馈监管情况')")

    page.context.clear_cookies()
    browser_login("spj1")
    page.goto(decision.get_absolute_url())
    records = page.locator("#records").inner_text()
    assert "立案查处" in records and "超范围经营，已立案查处" in records
    assert page.get_by_role("link", name=case.number).is_visible()
    assert re.search(r"认领审批推送事项.*按期完成", page.locator("#deadline-box").inner_text())
