"""M12 in the browser: an officer records an attempt to interfere (with its file), corrects
it by a new linked record, claims exemption on a proceeding against him; his head decides it."""
from __future__ import annotations

import pytest
from django.utils import timezone

from accountability.models import ProceedingStatus
from evidence.tests.factories import PNG
from exemption.models import InterferenceRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_m12_interference_recorded_corrected_and_exemption_decided(page, browser_login, district):
    browser_login("scj1")
    page.goto("/exemption/new/")
    page.select_option("#id_kind", value="case_meddling")
    page.fill("#id_interferer_name", "赵某")
    page.fill("#id_interferer_unit", "某商贸公司")
    page.fill("#id_interferer_position", "当事人亲属")
    page.select_option("#id_method", value="phone")
    page.fill("#id_occurred_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_demand", "要求对其亲属经营的超市不予立案。")
    page.check("input[name=refused][value=yes]")
    page.fill("#id_response", "当场拒绝，并告知将如实记录。")
    page.set_input_files("#id_files", files=[{"name": "通话记录截图.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="存档").click()
    page.wait_for_url("**/exemption/*/")
    original = InterferenceRecord.objects.get()
    assert "通话记录截图.png" in page.locator("#files").inner_text()
    assert original.hash and original.hash in page.locator("#chain").inner_text()

    page.get_by_role("link", name="作更正记录").click()
    assert page.input_value("#id_interferer_name") == "赵某"
    page.fill("#id_interferer_name", "赵某某")
    page.fill("#id_correction_reason", "干预人姓名记录有误。")
    page.get_by_role("button", name="存档更正记录").click()
    page.wait_for_selector("#corrects")
    fixed = InterferenceRecord.objects.get(corrects=original)
    assert fixed.interferer_name == "赵某某"
    page.goto(original.get_absolute_url())
    assert page.locator("#corrected-badge").is_visible()
    assert "赵某" in page.locator("main").inner_text()  # the original stays as it was

    proceeding = district.proceeding()
    page.goto(proceeding.get_absolute_url())
    page.get_by_role("link", name="提出依法履职免责申请").click()
    page.check("input[name=ground][value=no_direct_link]")
    page.fill("#id_statement", "安全事故与本人检查行为不存在直接关系。")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_selector("#exemption .claim")
    assert "待本单位部门负责人予以免责或不予免责" in page.locator("#exemption").inner_text()

    page.context.clear_cookies()
    browser_login("scjfzr")
    page.goto(proceeding.get_absolute_url())
    page.get_by_role("link", name="决定是否免责").click()
    page.check("input[name=accept][value='1']")
    page.fill("#id_reason", "经核查，事故与检查行为无直接关系。")
    page.get_by_role("button", name="作出决定").click()
    page.get_by_text("已决定。责任追究状态：依法履职免责。").wait_for()
    assert "经核查，事故与检查行为无直接关系。" in page.locator("#exemption").inner_text()
    proceeding.refresh_from_db()
    assert proceeding.status == ProceedingStatus.EXEMPTED
