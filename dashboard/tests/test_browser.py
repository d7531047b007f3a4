"""The dashboard in a real browser: the justice bureau opens it, sees the lights and the
charts, and follows a number to the list behind it (issue 7)."""
from __future__ import annotations

import re

import pytest

from . import fixtures as fx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_follows_an_overdue_figure_to_its_list(page, browser_login):
    district = fx.build_district()  # the overdue rows are overdue whatever the clock says
    browser_login(district.boss.username)
    page.click("text=监督看板")
    page.wait_for_url("**/dashboard/")
    # The first screen (总览): each unit's light, every mechanism's headline figures.
    row = page.locator("#table-deadline-orgs tbody tr", has_text="甲局")
    assert row.locator(".light-red").count() == 1
    assert row.is_visible()
    for key in ("deadlines", "cases", "transfers"):
        assert page.locator(f"#tab-overview #panel-{key} .card.metric").count() >= 1
    # Each mechanism's tables are its own tab, hidden until opened.
    assert page.locator("#tab-transfers").is_hidden()
    assert page.locator("#tab-transfers #table-transfers-monthly").count() == 1
    page.click("#panel-transfers [data-tab-link]")
    page.wait_for_url("**/dashboard/#tab-transfers")
    assert page.locator("#tab-transfers").is_visible() and page.locator("#tab-overview").is_hidden()
    page.click("#tab-cases-button")
    page.wait_for_selector("#tab-cases #table-cases-act-type", state="attached")
    assert page.locator("#tab-cases").is_visible()
    # ECharts (served from static/) draws a tab's charts when it is shown; their figures
    # are also tables. A reload returns to the open tab.
    page.click("#tab-deadlines-button")
    page.wait_for_selector("[data-chart='deadline-org-rate-chart'] canvas")
    page.reload()
    page.wait_for_selector("#table-deadline-matrix", state="visible")
    page.click("#tab-overview-button")
    assert page.url.endswith("/dashboard/")
    page.click("#tab-deadlines-button")
    # The organisation × mechanism table is drawn by the page's script from its data
    # (dashboard.registry.Grid): the same figures and links as the server's table.
    cells = page.locator("#table-deadline-matrix tbody tr", has_text="甲局").locator("td")
    # (Open and overdue by rule; the rates depend on the month the test runs in.)
    assert [cells.nth(i).inner_text() for i in (0, 1, 3, 4)] == ["2", "1", "0", "1"]
    assert cells.nth(1).locator("a").get_attribute("href") == (
        f"/deadlines/?rule=township_transfer&organization={district.a.pk}&state=overdue")
    assert cells.nth(5).inner_text() == "—" and cells.nth(5).locator("a").count() == 0
    assert page.locator("#table-deadline-matrix .light-red").count() >= 1
    page.click("#tab-overview-button")
    overdue = row.locator("td").nth(2).locator("a")
    assert overdue.inner_text() == "2"
    overdue.click()
    page.wait_for_url(re.compile(r"/deadlines/\?.*state=overdue"))
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert all("甲" in rows.nth(i).inner_text() for i in range(2))


def test_department_dashboard_shows_only_its_own_unit(page, browser_login):
    district = fx.build_district()
    browser_login(district.officer_a.username)
    page.goto("/dashboard/")
    assert page.locator("#dashboard-scope").inner_text().startswith("甲局")
    assert page.locator("#table-deadline-orgs tbody tr").count() == 1
    assert "乙局" not in page.content()
    # The period picker shows only the fields of the chosen kind.
    page.select_option("#id_period", "custom")
    assert page.locator("[data-field=month]").is_hidden()
    page.fill("#id_start", "2026-01-01")
    page.fill("#id_end", "2026-03-31")
    page.click("#dashboard-filter button[type=submit]")
    page.wait_for_url(re.compile(r"period=custom"))
    assert "2026-01-01 至 2026-03-31" in page.locator("#dashboard-scope").inner_text()
