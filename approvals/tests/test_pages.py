"""The approval–supervision pages (M14.2, M14.4): the bureau's list with what waits for a
route, the import's row-by-row report, the routing table, a decision's page, the
non-cooperation list, the exports and the dashboard panel."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.utils import timezone

from approvals.models import Decision, Route
from deadlines.sweep import sweep

from .conftest import csv_file, decision_data

pytestmark = pytest.mark.django_db


def test_m14_2_unrouted_decisions_show_on_the_approval_bureaus_page_with_a_link_to_route_them(client, district):
    district.receive(decision_data(1, item_type="公共场所卫生许可"))
    client.force_login(district.approver)
    page = client.get("/approvals/").content.decode()
    assert "未匹配监管部门的审批决定" in page and "公共场所卫生许可</a> 1 件" in page
    assert "/approvals/routes/new/?item_type=" in page
    response = client.post("/approvals/routes/new/", {"item_type": "公共场所卫生许可",
                                                       "department": district.health.pk, "note": ""})
    assert response.status_code == 302
    assert Decision.objects.get().department == district.health
    assert "未匹配监管部门的审批决定" not in client.get("/approvals/").content.decode()


def test_m14_2_import_page_reports_each_bad_row_and_column_and_keeps_nothing(client, district):
    client.force_login(district.approver)
    bad = csv_file([decision_data(1), decision_data(2, decided_on="2026/02/30")])
    bad.name = "审批决定.csv"
    page = client.post("/approvals/import/", {"file": bad}).content.decode()
    assert "校验报告：1 处错误，未导入任何记录" in page
    assert "<td>第 3 行</td><td>决定日期</td>" in page
    assert Decision.objects.count() == 0
    good = csv_file([decision_data(1)])
    good.name = "审批决定.csv"
    response = client.post("/approvals/import/", {"file": good}, follow=True)
    assert "已导入审批决定 1 件，其中 1 件未匹配监管部门" in response.content.decode()
    template = client.get("/approvals/import/template/")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(district.market_officer)
    assert client.get("/approvals/import/").status_code == 403


def test_m14_2_the_department_sees_its_own_decisions_claims_and_the_bureau_sees_the_record(client, district):
    district.route()
    district.receive(decision_data(1, decided_on=str(timezone.localdate())),
                     decision_data(2, item_type="其他类型"))
    decision = Decision.objects.get(number="北审批〔2026〕1号")
    client.force_login(district.market_officer)
    listing = client.get("/approvals/").content.decode()
    assert decision.number in listing and "北审批〔2026〕2号" not in listing
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "认领" in page and "2 个工作日" not in page
    client.post(f"/approvals/{decision.pk}/transition/", {"target": "claimed"})
    response = client.post(f"/approvals/{decision.pk}/supervision/", {
        "inspected_on": timezone.localdate().isoformat(), "inspection": "现场检查经营场所",
        "result": "rectify", "findings": ""})
    assert "请填写整改或查处情况" in response.content.decode()
    assert "现场检查经营场所" in response.content.decode()  # what was typed is kept
    client.post(f"/approvals/{decision.pk}/supervision/", {
        "inspected_on": timezone.localdate().isoformat(), "inspection": "现场检查经营场所",
        "result": "rectify", "findings": "健康证明未公示，责令整改"})
    client.force_login(district.approver)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "已反馈监管情况" in page and "健康证明未公示，责令整改" in page
    export = client.get("/approvals/?state=fed_back&export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(district.health_officer)
    assert client.get(decision.get_absolute_url()).status_code == 404


def test_m14_4_non_cooperation_page_for_the_approval_and_justice_bureaus(client, district):
    district.route()
    decision = district.receive(decision_data(1)).decisions()[0]
    with time_machine.travel(timezone.now() + dt.timedelta(days=10)):
        sweep()
        for user in (district.approver, district.supervisor):
            client.force_login(user)
            page = client.get("/approvals/non-cooperation/").content.decode()
            assert decision.number in page and "逾期未认领审批推送事项" in page
            assert client.get("/approvals/non-cooperation/?export=xlsx").status_code == 200
        assert decision.number not in client.get(
            "/approvals/non-cooperation/?kind=feedback_overdue").content.decode()
    client.force_login(district.market_officer)
    assert client.get("/approvals/non-cooperation/").status_code == 403


def test_m14_2_routing_table_page_lists_and_exports(client, district):
    route = district.route()
    client.force_login(district.market_officer)
    page = client.get("/approvals/routes/").content.decode()
    assert "食品经营许可" in page and f"/approvals/routes/{route.pk}/edit/" not in page
    client.force_login(district.approver)
    assert client.get("/approvals/routes/?q=食品&export=xlsx").status_code == 200
    client.post(f"/approvals/routes/{route.pk}/remove/")
    assert not Route.objects.exists()


def test_m14_2_dashboard_panel_in_one_statement_and_its_figures_link_to_their_rows(district):
    from dashboard.registry import Period, Scope
    from approvals.dashboard import approvals_panel
    from core import policy

    district.route()
    district.receive(decision_data(1), decision_data(2, item_type="其他"))
    today = timezone.localdate()
    scope = Scope(user=district.supervisor, viewer=policy.viewer(district.supervisor),
                  period=Period("year", dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), "本年"),
                  now=timezone.now(), organizations=(), org_ids=None)
    with CaptureQueriesContext(connection) as queries:
        panel = approvals_panel(scope)
    assert len(queries) <= 2
    figures = {m.label: m.figure for m in panel.metrics}
    assert figures["未匹配监管部门"].value == 1 and figures["待认领"].value == 1
    assert figures["未匹配监管部门"].url == "/approvals/?state=unrouted"
