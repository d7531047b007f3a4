"""W3 in the browser: a unit's liaison reports an item with a photo; the justice bureau sees
the unit short on the month's table, follows the figure to the report and adopts it."""
from __future__ import annotations

import pytest

from evidence.tests.factories import PNG
from inforeports.models import InfoReport, ReportStatus
from inforeports.tests.test_inforeports import town  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_w3_report_submitted_seen_short_on_the_monthly_table_and_adopted(page, browser_login, town):  # noqa: F811
    browser_login("scjlly")
    page.goto("/info-reports/new/")
    page.fill("#id_title", "开展夜市食品安全专项整治")
    page.fill("#id_text", "检查夜市摊点 30 个，责令整改 4 个。")
    page.set_input_files("#id_file", files=[{"name": "现场照片.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="报送").click()
    page.wait_for_selector("#report-status")
    report = InfoReport.objects.get()
    assert "现场照片.png" in page.locator("main").inner_text()
    assert "采用" not in [b.inner_text() for b in page.locator("form button").all()]  # only the bureau adopts

    page.context.clear_cookies()
    browser_login("jdy1")
    page.goto("/info-reports/monthly/")
    row = page.locator("#list-table tr", has_text="区市场监督管理局")
    assert "未达标，尚差 1 篇" in row.inner_text()
    row.locator("td").nth(1).get_by_role("link").click()
    page.get_by_role("link", name="开展夜市食品安全专项整治").click()
    page.get_by_role("button", name="采用").click()
    page.wait_for_selector("#report-status:has-text('已采用')")
    assert InfoReport.objects.get(pk=report.pk).status == ReportStatus.ADOPTED
