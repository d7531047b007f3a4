"""Issue 18's browser flow for disputes: a department files a dispute — refused until the
failed negotiation is recorded for every party (M2.3) —, the justice bureau accepts it and
asks for written opinions (M2.1), a party answers, coordination fails and the bureau
issues the numbered written recommendation (checked as a PDF: A4, fonts embedded, its
文号), and the district government records its ruling from its own menu entry (M2.4)."""
from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from django.utils import timezone

from disputes.models import Dispute, DisputeStatus
from documents.models import Document
from evidence.tests.factories import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, browser_login, username: str) -> None:
    page.context.clear_cookies()
    browser_login(username)


def _check_pdf(data: bytes, tmp_path, number: str) -> None:
    path = tmp_path / "recommendation.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                          check=True).stdout.splitlines()[2:]
    assert rows
    for row in rows:
        assert row.split()[-5:-3] == ["yes", "yes"], row  # embedded, subset
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                             text=True, check=True).stdout)
    assert number in text and "行政执法争议协调书面建议" in text and "北戴河区人民政府：" in text


def test_m2_dispute_from_filing_to_the_governments_ruling(page, browser_login, district, tmp_path):
    # The market supervision bureau files; the negotiation record is asked for first.
    browser_login("scjfzr1")
    page.goto("/disputes/")
    page.get_by_role("link", name="申请执法争议协调").click()
    page.select_option("#id_kind", label="职责")
    page.check(f"input[name=others][value='{district.urban.pk}']")
    page.fill("#id_subject", "海滨路流动食品摊贩监管职责")
    page.fill("#id_facts", "流动摊贩占道销售自制食品，双方均认为不属本单位职责。")
    page.get_by_role("button", name="下一步：记录先行协商情况").click()
    page.wait_for_url(re.compile(r"/disputes/\d+/$"))
    dispute = Dispute.objects.get()
    assert "缺少先行协商记录" in page.locator("#workflow-actions").inner_text()
    for party in dispute.parties.select_related("organization"):
        page.get_by_role("link", name="记录先行协商情况").click()
        page.select_option("#id_party", label=party.organization.name)
        page.fill("#id_negotiated_on", timezone.localdate().isoformat())
        page.fill("#id_representatives", "法制科科长")
        page.fill("#id_position", f"{party.organization.name}认为不属本单位职责。")
        page.get_by_role("button", name="保存").click()
        page.wait_for_url(re.compile(r"/disputes/\d+/$"))
    page.get_by_role("button", name="提交协调申请").click()
    page.wait_for_selector("#dispute-status:has-text('待受理')")

    # The justice bureau accepts and asks each party for its written opinion.
    switch_user(page, browser_login, "jdy1")
    page.goto(dispute.get_absolute_url())
    page.get_by_role("button", name="受理", exact=True).click()
    page.wait_for_selector("#dispute-status:has-text('协调中')")
    due = timezone.localdate() + dt.timedelta(days=5)
    page.fill("#id_due_on", due.isoformat())
    page.get_by_role("button", name="征求各当事单位书面意见").click()
    page.locator("#waiting").get_by_text("提交书面意见").wait_for()

    # The urban management bureau answers.
    switch_user(page, browser_login, "cgfzr1")
    page.goto(dispute.get_absolute_url())
    urban = dispute.parties.get(organization=district.urban)
    assert f"{due.year}年{due.month}月{due.day}日24时" in page.locator(f"#party-{urban.pk}").inner_text()
    page.locator(f"#party-{urban.pk}").get_by_role("link", name="提交书面意见").click()
    page.fill("#id_opinion", "销售自制食品涉及食品安全，应由市场监管局查处。")
    page.get_by_role("button", name="提交书面意见").click()
    page.wait_for_url(re.compile(r"/disputes/\d+/"))

    # Coordination fails: the numbered written recommendation to the district government.
    switch_user(page, browser_login, "jdy1")
    page.goto(dispute.get_absolute_url())
    page.get_by_role("link", name="协调未果，出具书面建议").click()
    page.fill("#id_process", "受理后征求了双方书面意见，双方未能达成一致。")
    page.fill("#id_disagreement", "双方对流动摊贩销售自制食品的监管主体认识不一致。")
    page.fill("#id_recommendation", "建议由城管局查处占道经营，市场监管局负责食品安全检查。")
    page.get_by_role("button", name="签发书面建议并报请区政府裁决").click()
    page.wait_for_selector("#dispute-status:has-text('报请区政府裁决')")
    document = Document.objects.get(kind="dispute_recommendation")
    assert document.number == f"北司争〔{document.year}〕1号"
    page.locator("#documents-box").get_by_role("link", name=document.number).click()
    pdf = page.request.get(f"/documents/{document.pk}/pdf/")
    assert pdf.ok
    _check_pdf(pdf.body(), tmp_path, document.number)

    # The district government rules from its own menu entry.
    switch_user(page, browser_login, "zf1")
    page.goto("/")
    page.get_by_role("link", name="争议裁决").first.click()
    page.locator("#list-table").get_by_role("link", name="海滨路流动食品摊贩监管职责").click()
    page.get_by_role("link", name="登记区政府裁决").click()
    page.fill("#id_ruling", "占道经营由城管局查处，食品安全由市场监管局监督检查。")
    page.set_input_files("#id_document", files=[{"name": "裁决文书.png", "mimeType": "image/png", "buffer": PNG}])
    page.fill("#id_implement_due", (timezone.localdate() + dt.timedelta(days=10)).isoformat())
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("#dispute-status:has-text('区政府已裁决')")
    assert page.locator("#ruling-file").inner_text() == "裁决文书.png"
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.RULED
