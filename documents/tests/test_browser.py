"""The supervision notice end to end in a real browser (M7.5)."""
import datetime as dt

import pytest
from django.utils import timezone

from core.testing import justice_bureau

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_m7_5_supervisor_issues_a_notice_and_the_department_reads_it(
        page, browser_login, bureau_supervisor, department, department_head):
    justice_bureau()
    deadline = timezone.localdate() + dt.timedelta(days=15)
    browser_login(bureau_supervisor.username)
    page.goto("/documents/")
    page.click("text=签发行政执法监督通知书")
    page.select_option("#id_addressee", label=department.name)
    page.fill("#id_title", "关于行政处罚案卷问题整改的监督通知书")
    page.fill("#id_facts", "抽查案卷10件，3件未告知当事人陈述、申辩的权利。")
    page.fill("#id_legal_basis", "《中华人民共和国行政处罚法》第四十四条。")
    page.fill("#id_rectification", "逐件复查，依法纠正。")
    page.fill("#id_deadline", deadline.isoformat())
    page.fill("#id_report_method", "整改完成后书面报告区司法局。")
    page.click("button:has-text('签发')")
    page.wait_for_selector("#document-number")
    number = page.inner_text("#document-number")
    assert number == f"北司监〔{timezone.localdate().year}〕1号"
    assert "已签发" in page.inner_text("main")
    frame = page.locator("iframe")
    assert frame.get_attribute("src").endswith("/pdf/")
    # The PDF the iframe shows is served to this page (same origin, inline).
    response = page.request.get(frame.get_attribute("src"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"

    page.context.clear_cookies()
    browser_login(department_head.username)
    page.goto("/documents/")
    page.click(f"text={number}")
    assert "关于行政处罚案卷问题整改的监督通知书" in page.inner_text("h1")
    with page.expect_download() as download:
        page.click("text=下载 Word（.docx）")
    assert download.value.suggested_filename.endswith(".docx")


def test_the_issuer_voids_a_notice_with_its_reason_and_the_voided_state_shows(
        page, browser_login, bureau_supervisor, issue_notice):
    notice = issue_notice()
    browser_login(bureau_supervisor.username)
    page.goto(notice.get_absolute_url())
    page.fill("#note-voided", "主送单位填写错误，重新签发。")
    page.get_by_role("button", name="作废").click()
    page.get_by_text(f"{notice.number}已作废，该文号不再使用。").wait_for()
    assert page.inner_text("#document-status") == "已作废"
    assert "理由：主送单位填写错误，重新签发。" in page.inner_text("#voided")
    assert page.locator("#note-voided").count() == 0  # nothing more to void


def test_m7_5_the_unit_reports_the_bureau_sends_back_then_accepts(
        page, browser_login, bureau_supervisor, department, issue_notice):
    """M7.5's loop in the browser: report with a file, sent back with a new deadline,
    reported again and accepted — the rectification deadline is then met."""
    from core.models import Role
    from core.testing import member
    from deadlines.models import Deadline, DeadlineState
    from evidence.tests.factories import PNG

    member(Role.OFFICER, department, username="scj")
    notice = issue_notice()
    browser_login("scj")
    page.goto(notice.get_absolute_url())
    page.fill("#id_body", "已对3件案件逐件复查并补正程序。")
    page.set_input_files("#id_files", files=[{"name": "整改报告.png", "mimeType": "image/png",
                                              "buffer": PNG}])
    page.get_by_role("button", name="报告整改情况").click()
    page.get_by_text("整改情况报告已提交，等待司法局审核。").wait_for()
    assert page.get_by_role("link", name="整改报告.png").is_visible()

    page.context.clear_cookies()
    browser_login(bureau_supervisor.username)
    page.goto(notice.get_absolute_url())
    new_day = timezone.localdate() + dt.timedelta(days=20)
    page.locator("textarea[id$='-returned']").fill("补正材料不全，请补充询问笔录。")
    page.locator("input[name=new_deadline]").fill(new_day.isoformat())
    page.get_by_role("button", name="退回重新整改").click()
    page.get_by_text("已退回重新整改，新的整改期限已登记督办。").wait_for()
    assert f"{new_day.month}月{new_day.day}日24时" in page.inner_text("#deadline-box")

    page.context.clear_cookies()
    browser_login("scj")
    page.goto(notice.get_absolute_url())
    page.fill("#id_body", "已补充询问笔录。")
    page.get_by_role("button", name="报告整改情况").click()
    page.get_by_text("整改情况报告已提交，等待司法局审核。").wait_for()

    page.context.clear_cookies()
    browser_login(bureau_supervisor.username)
    page.goto(notice.get_absolute_url())
    page.get_by_role("button", name="验收通过").click()
    page.get_by_text("整改情况已验收，整改期限已完成。").wait_for()
    assert "按期完成" in page.inner_text("#deadline-box")
    assert Deadline.objects.filter(target_id=str(notice.pk), rule="rectification",
                                   state=DeadlineState.MET).count() == 1
