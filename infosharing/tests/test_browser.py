"""Issue 20's browser flow for the quarterly web inspection (M5.3): the justice bureau's
supervisor starts the quarter's inspection, walks each unit's checklist with a screenshot,
reports to the 区委全面依法治区委员会, records its review and circulates the numbered
bulletin; the unit with problems reads the bulletin and its rectification notice."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from evidence.tests.factories import PNG
from infosharing.models import InspectionStatus, WebInspection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_m5_3_quarterly_inspection_from_checklist_to_bulletin(page, browser_login, district):
    browser_login("jdy1")
    page.goto("/infosharing/inspections/")
    page.get_by_role("link", name="开展网上巡查").click()
    page.get_by_role("button", name="开始巡查").click()
    page.wait_for_url(re.compile(r"/infosharing/inspections/\d+/$"))
    inspection = WebInspection.objects.get()
    for unit in (district.market, district.urban, district.township):
        result = inspection.results.get(unit=unit)
        page.locator(f"#result-{result.pk}").get_by_role("link", name="巡查").click()
        if unit == district.urban:
            page.select_option("#id_f_department_website__results", label="未公示")
            page.fill("#id_note", "部门网站未公示行政处罚决定。")
        page.set_input_files("#id_screenshot", files=[{"name": "截图.png", "mimeType": "image/png", "buffer": PNG}])
        page.get_by_role("button", name="保存巡查结果").click()
        page.wait_for_url(inspection.get_absolute_url())
    assert page.locator(f"#result-{inspection.results.get(unit=district.urban).pk}").inner_text().count("1") >= 1
    page.get_by_role("button", name="报区委全面依法治区委员会审议").click()
    page.wait_for_selector("#inspection-status:has-text('已报区委依法治区委员会')")
    page.get_by_role("link", name="登记委员会审议意见").click()
    page.fill("#id_review_body", "区委全面依法治区委员会第四次会议")
    page.fill("#id_reviewed_on", timezone.localdate().isoformat())
    page.fill("#id_remarks", "同意巡查报告，存在问题的单位限期整改。")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("#inspection-status:has-text('委员会已审议')")
    page.get_by_role("link", name="签发通报").click()
    page.fill("#id_rectify_by", (timezone.localdate() + dt.timedelta(days=15)).isoformat())
    page.get_by_role("button", name="签发通报").click()
    page.wait_for_selector("#inspection-status:has-text('已通报')")
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CIRCULATED
    assert page.locator("#documents-box").get_by_text(inspection.bulletin.number).is_visible()

    # The unit with problems reads the bulletin and the notice with its rectification due.
    page.context.clear_cookies()
    browser_login("cgfzr1")
    page.goto(inspection.get_absolute_url())
    page.locator("#documents-box").get_by_role("link", name=inspection.bulletin.number).click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    notice = inspection.results.get(unit=district.urban).notice
    page.goto(inspection.get_absolute_url())
    page.get_by_role("link", name=notice.number).click()
    page.wait_for_url(notice.get_absolute_url())
    assert "24时" in page.locator("#deadline-box").inner_text()
