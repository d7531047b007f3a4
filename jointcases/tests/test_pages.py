"""Joint case handling pages and API (M6.1, M6.2): lists with filters and exports, an
operation's page with its steps, the task pages, the API's scopes and the dashboard panel."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cases.testing import make_case
from jointcases import services
from jointcases.models import GuidanceTask, JointOperation, OperationStatus

pytestmark = pytest.mark.django_db


def test_m6_1_operation_from_its_form_to_its_results_through_the_pages(client, district):
    client.force_login(district.urban_head)
    today = timezone.localdate()
    response = client.post("/joint/new/", {
        "lead": district.urban.pk, "title": "海滨路联合整治", "field": "food_drug", "scope": "整治摊贩",
        "starts_on": today.isoformat(), "ends_on": (today - dt.timedelta(days=1)).isoformat(),
        "participants": [district.market.pk]})
    assert "计划结束日期不能早于开始日期" in response.content.decode()
    assert "海滨路联合整治" in response.content.decode()  # kept
    client.post("/joint/new/", {
        "lead": district.urban.pk, "title": "海滨路联合整治", "field": "food_drug", "scope": "整治摊贩",
        "starts_on": today.isoformat(), "ends_on": today.isoformat(), "participants": [district.market.pk]})
    op = JointOperation.objects.get()
    page = client.get(op.get_absolute_url()).content.decode()
    assert "尚不能启动联合执法" in page and "尚待区市场监督管理局确认参加" in page
    from evidence.tests.factories import PNG
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(f"/joint/{op.pk}/plans/", {
        "work_plan": "分工", "emergency_plan": "处置",
        "work_plan_file": SimpleUploadedFile("方案.png", PNG, "image/png"),
        "emergency_plan_file": SimpleUploadedFile("预案.png", PNG, "image/png")})
    client.force_login(district.market_head)
    client.post(f"/joint/participants/{op.participants.get().pk}/confirm/")
    client.force_login(district.urban_head)
    client.post(f"/joint/{op.pk}/transition/", {"target": OperationStatus.UNDER_WAY})
    op.refresh_from_db()
    assert op.status == OperationStatus.UNDER_WAY
    case = make_case(district.market, actor=district.market_officer)
    client.force_login(district.market_officer)
    assert case.number in client.get(op.get_absolute_url()).content.decode()  # offered to link
    client.post(f"/joint/{op.pk}/cases/", {"case": case.pk})
    assert op.cases.get().case == case
    client.force_login(district.urban_head)
    client.post(f"/joint/{op.pk}/close/", {"results": "取缔无证摊贩 35 处。"})
    op.refresh_from_db()
    assert op.status == OperationStatus.CLOSED
    listing = client.get("/joint/?status=closed&q=海滨路").content.decode()
    assert "海滨路联合整治" in listing
    assert client.get("/joint/?export=xlsx").status_code == 200
    client.force_login(district.health_officer)
    assert client.get(op.get_absolute_url()).status_code == 404


def test_m6_2_task_pages_assign_report_and_show_overdue(client, district):
    client.force_login(district.market_head)
    page = client.get("/joint/tasks/new/").content.decode()
    assert "海滨镇人民政府" in page
    client.post("/joint/tasks/new/", {
        "giver": district.market.pk, "receiver": district.township.pk, "kind": "unified",
        "title": "集市统一检查", "content": "检查并报送台账", "due_on": timezone.localdate().isoformat()})
    task = GuidanceTask.objects.get()
    client.force_login(district.township_officer)
    assert "反馈落实情况" in client.get(task.get_absolute_url()).content.decode()
    client.post(f"/joint/tasks/{task.pk}/report/", {"report": "已检查。"})
    client.force_login(district.market_head)
    client.post(f"/joint/tasks/{task.pk}/transition/", {"target": "accepted"})
    task.refresh_from_db()
    assert task.status == "accepted"
    assert "集市统一检查" in client.get("/joint/tasks/?state=accepted").content.decode()
    assert client.get("/joint/tasks/?export=xlsx").status_code == 200


def test_m6_api_reads_through_the_pages_scopes(district):
    op = district.operation()
    task = services.guidance_task_assign(actor=district.market_head, giver=district.market,
                                         receiver=district.township, kind="focus", title="分工",
                                         content="日常巡查", due_on=timezone.localdate())
    api = APIClient()
    api.force_authenticate(district.health_officer)
    assert api.get("/api/v1/joint-operations/").json()["count"] == 0
    assert api.get("/api/v1/guidance-tasks/").json()["count"] == 0
    api.force_authenticate(district.township_officer)
    body = api.get(f"/api/v1/joint-operations/{op.pk}/").json()
    assert {p["unit_name"] for p in body["participants"]} == {"区市场监督管理局", "海滨镇人民政府"}
    assert api.get("/api/v1/guidance-tasks/").json()["results"][0]["id"] == task.pk
    assert api.post("/api/v1/joint-operations/", {}).status_code == 405


def test_m6_dashboard_panel_in_two_statements(district):
    from core import policy
    from dashboard.registry import Period, Scope
    from jointcases.dashboard import jointcases_panel

    district.operation()
    today = timezone.localdate()
    scope = Scope(user=district.supervisor, viewer=policy.viewer(district.supervisor),
                  period=Period("year", dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), "本年"),
                  now=timezone.now(), organizations=(), org_ids=None)
    with CaptureQueriesContext(connection) as queries:
        panel = jointcases_panel(scope)
    assert len(queries) <= 2
    figures = {m.label: m.figure for m in panel.metrics}
    assert figures["联合执法筹备中"].value == 1
    assert figures["联合执法筹备中"].url == "/joint/?status=preparing"
