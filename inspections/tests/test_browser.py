"""Issue 19's browser flow for a supervision check (M7.4–M7.5): the department provides its
materials; the bureau records a finding, finishes the check, circulates the numbered
问题通报, issues the 行政执法监督通知书; the department reports its rectification and the
bureau accepts it — the rectification deadline is met and the check can be closed."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from deadlines.models import Deadline, DeadlineState
from evidence.tests.factories import PNG
from inspections.models import CheckStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, browser_login, username: str) -> None:
    page.context.clear_cookies()
    browser_login(username)


def test_m7_5_check_to_bulletin_notice_rectification_report_and_acceptance(page, browser_login, district):
    check = district.check()
    # M7.4: the department provides what was asked.
    browser_login("scjfz1")
    page.goto(check.get_absolute_url())
    page.get_by_role("link", name="报送检查材料").click()
    page.fill("#id_note", "近三个月办结案卷目录已上传。")
    page.set_input_files("#id_files", files=[{"name": "案卷目录.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="报送").click()
    page.get_by_text("检查材料已报送。").wait_for()

    # The bureau records a finding with its evidence and finishes the check.
    switch_user(page, browser_login, "jdy1")
    page.goto(check.get_absolute_url())
    page.get_by_role("link", name="登记检查发现的问题").click()
    page.select_option("#id_unit", label="区市场监督管理局")
    page.select_option("#id_item", value="three_systems")
    page.fill("#id_description", "2件行政处罚决定未在7个工作日内公示。")
    page.set_input_files("#id_files", files=[{"name": "公示台账.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已登记检查发现的问题。").wait_for()
    page.get_by_role("button", name="结束检查").click()
    page.get_by_text("检查已结束，请印发问题通报。").wait_for()

    # The numbered bulletin, circulated to every unit.
    page.get_by_role("link", name="印发问题通报").click()
    page.fill("#id_summary", "区司法局对区市场监督管理局开展了行政处罚专项监督检查。")
    page.fill("#id_requirements", "各单位对照通报问题举一反三，开展自查自纠。")
    page.get_by_role("button", name="签发并印发").click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    assert "关于市场监管领域行政处罚专项监督检查发现问题的通报" in page.inner_text("h1")

    # The supervision notice to the department, with its rectification deadline.
    page.goto(check.get_absolute_url())
    page.get_by_role("link", name="签发监督文书").click()
    assert "处罚决定未在7个工作日内公示" in page.input_value("#id_facts")
    page.select_option("#id_kind", value="supervision_notice")
    page.fill("#id_legal_basis", "《行政执法监督条例》，国办发〔2018〕118号。")
    page.fill("#id_rectification", "对未公示的处罚决定立即公示，建立公示台账。")
    page.fill("#id_deadline", (timezone.localdate() + dt.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="签发").click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    notice_url = page.url
    assert "行政执法监督通知书" in page.inner_text("h1")

    # The department reports its rectification …
    switch_user(page, browser_login, "scjfzr1")
    page.goto(notice_url)
    page.fill("#id_body", "已对2件处罚决定完成公示，并建立公示台账。")
    page.get_by_role("button", name="报告整改情况").click()
    page.get_by_text("整改情况报告已提交，等待司法局审核。").wait_for()

    # … and the bureau accepts it; the check can then be closed.
    switch_user(page, browser_login, "jdy1")
    page.goto(notice_url)
    page.get_by_role("button", name="验收通过").click()
    page.get_by_text("整改情况已验收，整改期限已完成。").wait_for()
    assert Deadline.objects.get(rule="rectification").state == DeadlineState.MET
    page.goto(check.get_absolute_url())
    page.get_by_role("button", name="办结").click()
    page.get_by_text("检查已办结。").wait_for()
    check.refresh_from_db()
    assert check.status == CheckStatus.CLOSED
