"""Issue 21's browser flow for the appraisal: the bureau draws up the scheme (a scored and a
computed indicator), opens it, scores every unit, proposes; the district government
approves with its opinion; the bureau records a commendation and publishes: the numbered
考核结果通报 is an A4 PDF with its fonts embedded, and the results are on the public portal."""
from __future__ import annotations

import re
import subprocess

import pytest

from assessment.models import Appraisal, AppraisalStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, browser_login, username: str) -> None:
    page.context.clear_cookies()
    browser_login(username)


def test_m9_from_scheme_to_published_result_with_the_report_pdf(page, browser_login, district, tmp_path):
    browser_login("jdy1")
    page.goto("/assessment/")
    page.get_by_role("link", name="建立年度考核").click()
    page.fill("#id_year", "2026")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/assessment/\d+/$"))
    appraisal = Appraisal.objects.get()
    for area, title, weight, method, source in (
            ("依法、科学、民主决策", "重大执法决定法制审核", "60", "司法局评分", ""),
            ("规范行政执法", "行政处罚决定按期公示", "40", "平台计算", "行政许可、行政处罚决定公示按期率")):
        page.get_by_role("link", name="添加考核指标").click()
        page.select_option("#id_area", label=area)
        page.fill("#id_title", title)
        page.fill("#id_weight", weight)
        page.select_option("#id_method", label=method)
        if source:
            page.select_option("#id_indicator", label=source)
        page.get_by_role("button", name="保存").click()
        page.locator("#scheme").get_by_text(title).wait_for()
    page.get_by_role("button", name="开始考核").click()
    page.wait_for_selector("#appraisal-status:has-text('考核中')")

    # Score each unit on the scored indicator; the computed one reads the deadlines.
    for unit, points in ((district.market, "57"), (district.urban, "45"), (district.township, "10")):
        page.goto(f"/assessment/{appraisal.pk}/units/{unit.pk}/")
        assert "无数据" in page.locator("#sheet").inner_text()
        page.get_by_role("link", name="评分").click()
        page.fill("#id_points", points)
        page.select_option("#id_basis", label="年度集中考核")
        page.fill("#id_note", "查阅案卷20件。")
        page.get_by_role("button", name="保存").click()
        page.wait_for_selector(f"#unit-total:has-text('{int(points) + 40}')")
    page.goto(appraisal.get_absolute_url())
    page.get_by_role("button", name="提请区政府审定").click()
    page.wait_for_selector("#appraisal-status:has-text('待区政府审定')")

    # The district government approves, with its opinion.
    switch_user(page, browser_login, "zf1")
    page.goto(appraisal.get_absolute_url())
    page.fill("#note-approved", "经区政府常务会议研究，同意。")
    page.get_by_role("button", name="审定考核结果").click()
    page.wait_for_selector("#appraisal-status:has-text('已审定')")

    # The bureau commends the best and publishes.
    switch_user(page, browser_login, "jdy1")
    page.goto(appraisal.get_absolute_url())
    best = appraisal.results.get(unit=district.market)
    row = page.locator(f"#result-{best.pk}")
    row.locator("select[name=honour]").select_option(label="表彰奖励")
    row.locator("input[name=note]").fill("三项制度落实到位")
    row.get_by_role("button", name="记录").click()
    page.locator(f"#result-{best.pk}").get_by_text("表彰奖励：三项制度落实到位").wait_for()
    page.get_by_role("button", name="公布考核结果").click()
    page.wait_for_selector("#appraisal-status:has-text('已公布')")
    appraisal.refresh_from_db()
    assert appraisal.status == AppraisalStatus.PUBLISHED
    number = f"北司考〔{appraisal.report.year}〕1号"
    assert page.locator("#report-link").inner_text() == number

    # The 考核结果通报: A4, every font embedded (subset), its 文号 and the results in the text.
    path = tmp_path / "report.pdf"
    path.write_bytes(appraisal.report.file.read())
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    for font in subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]:
        assert font.split()[-5:-3] == ["yes", "yes"], font
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                             text=True, check=True).stdout)
    assert number in text
    assert "优秀等次：区市场监督管理局（97.0分）" in text
    assert "对推进依法行政、建设法治政府成绩突出的区市场监督管理局：三项制度落实到位，给予表彰奖励" in text

    # Published on the public portal, no sign-in.
    page.context.clear_cookies()
    page.goto("/public/")
    page.get_by_role("link", name="考核结果").first.click()
    assert "区城市管理综合行政执法局" in page.locator(f"#appraisal-{appraisal.year}").inner_text()
    assert "良好" in page.locator(f"#appraisal-{appraisal.year}").inner_text()
