"""Browser: each township section (M15) — create, find it in its list, open it, and take
the next step where there is one."""
from __future__ import annotations

import pytest

from core.models import OrgKind, Role
from core.testing import OrganizationFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sides():
    township = OrganizationFactory(kind=OrgKind.TOWNSHIP, name="浏览器测试镇人民政府", short_name="浏镇")
    department = OrganizationFactory(name="浏览器测试住建局", short_name="浏住建")
    government = OrganizationFactory(kind=OrgKind.GOVERNMENT, name="浏览器测试区政府", short_name="浏区府")
    member(Role.DEPARTMENT_HEAD, township, username="town_head")
    member(Role.OFFICER, department, username="dept_officer")
    member(Role.GOVERNMENT, government, username="ruler")
    return township, department


def open_section(page, section: str, new: str) -> None:
    page.goto("/townships/")
    page.click(f"nav >> text={section}")
    page.click(f"text={new}")


def submit(page) -> str:
    page.click("main button:has-text('提交')")
    page.wait_for_selector(".alert-success")
    return page.inner_text("main")


def find_in_list(page, section: str, text: str) -> None:
    """The record is in its section's list; its page opens from there."""
    page.goto("/townships/")
    page.click(f"nav >> text={section}")
    page.click(f"#list-table >> text={text}")
    page.wait_for_selector(f"h1:has-text('{text}')")


def test_m15_1_township_transfer_with_an_ongoing_violation(page, browser_login, sides):
    browser_login("town_head")
    page.goto("/townships/")
    page.click("text=相互移送案件")
    page.select_option("#id_receiver", label="浏览器测试住建局")
    page.fill("#id_subject", "屋顶违规搭建")
    page.fill("#id_discovered_at", "2026-03-02T09:30")
    page.fill("#id_basic_facts", "某户在屋顶搭建彩钢房。")
    page.fill("#id_reason", "属住建部门管辖。")
    page.check("#id_ongoing")
    page.fill("#id_location", "海滨路 8 号")
    page.fill("#id_measures", "现场劝阻，已停工。")
    assert "已立即告知接收单位现场劝阻情况" in submit(page)
    assert "签发案件移送书" in page.inner_text("main")  # the next step, on the transfer's page
    page.goto("/townships/")
    page.click("#list-table >> text=屋顶违规搭建")
    page.wait_for_url("**/transfers/*/")
    find_in_list(page, "现场劝阻", "海滨路 8 号")
    assert "屋顶违规搭建" in page.inner_text("main")  # the transfer it led to


def test_m15_1_dissuasion(page, browser_login, sides):
    browser_login("town_head")
    open_section(page, "现场劝阻", "记录现场劝阻")
    page.select_option("#id_competent", label="浏览器测试住建局")
    page.fill("#id_location", "联峰路口")
    page.fill("#id_violation", "占道经营")
    page.fill("#id_measures", "当场劝离")
    page.fill("#id_dissuaded_at", "2026-03-02T10:00")
    assert "已告知主管部门" in submit(page)
    find_in_list(page, "现场劝阻", "联峰路口")






def test_m15_4_consultation_concluded(page, browser_login, sides):
    browser_login("town_head")
    open_section(page, "会商与联合处置", "发起会商或联合处置")
    page.select_option("#id_topic", label="难点问题")
    page.select_option("#id_participants", label=["浏览器测试住建局"])
    page.fill("#id_subject", "违建治理会商")
    page.fill("#id_content", "旺季违建集中治理。")
    page.fill("#id_meeting_at", "2026-03-05T09:00")
    submit(page)
    find_in_list(page, "会商与联合处置", "违建治理会商")
    page.fill("#id_conclusion", "分片包干，联合巡查。")
    page.click("button:has-text('办结')")
    page.wait_for_selector(".alert-success")
    assert "分片包干，联合巡查。" in page.inner_text("main")


def test_m15_3_information_notice(page, browser_login, sides):
    browser_login("town_head")
    open_section(page, "信息通报", "发布信息通报")
    page.select_option("#id_recipients", label=["浏览器测试住建局"])
    page.fill("#id_title", "三月执法信息")
    page.fill("#id_body", "本月巡查 12 次。")
    submit(page)
    page.context.clear_cookies()
    browser_login("dept_officer")
    find_in_list(page, "信息通报", "三月执法信息")
    assert "本月巡查 12 次。" in page.inner_text("main")
