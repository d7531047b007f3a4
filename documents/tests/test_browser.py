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
