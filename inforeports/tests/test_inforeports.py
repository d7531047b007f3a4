"""Information reports (W3): a unit reports items with attachments; the month's duty is
met by its second report, not the first; the bureau adopts; the monthly table per unit;
the indicators; pages, export, API, dashboard and demo."""
from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core import demo, policy
from core.models import Attachment, OrgKind, Role
from core.testing import OrganizationFactory, assert_audited, justice_bureau, member
from dashboard.registry import Period, Scope
from deadlines.models import Deadline, DeadlineState
from deadlines.services import deadlines_open_recurring
from evidence.tests.factories import PNG
from inforeports import indicators, selectors, services
from inforeports.dashboard import inforeports_panel
from inforeports.models import InfoReport, ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):
    market = OrganizationFactory(name="区市场监督管理局")
    township = OrganizationFactory(name="海滨镇", kind=OrgKind.TOWNSHIP)
    bureau = justice_bureau()
    return {"market": market, "township": township, "bureau": bureau,
            "supervisor": member(Role.SUPERVISOR, bureau, username="jdy1"),
            "liaison": member(Role.LIAISON, market, username="scjlly"),
            "town_officer": member(Role.OFFICER, township, username="hbz1")}


def report(town, unit=None, actor=None, **kw):
    return services.info_report_submit(actor=actor or town["liaison"], unit=unit or town["market"],
                                       title=kw.get("title", "开展专项检查"), text="检查餐饮单位 20 家。",
                                       files=kw.get("files", ()))


def _duty(org, period):
    return Deadline.objects.get(rule="info_reports", target_id=str(org.pk), period=period)


def test_w3_monthly_duty_is_met_by_the_second_report_not_the_first(town):
    with time_machine.travel(dt.datetime(2026, 4, 10, 10, tzinfo=dt.timezone.utc)):
        deadlines_open_recurring()
        with assert_audited("inforeports.report.submit"):
            first = services.info_report_submit(actor=town["liaison"], unit=town["market"], title="开展专项检查",
                                                text="检查餐饮单位 20 家。",
                                                files=[(io.BytesIO(PNG), "现场照片.png", len(PNG))])
        assert _duty(town["market"], "2026-04").state == DeadlineState.OPEN
        assert Attachment.objects.filter(target_id=str(first.pk)).count() == 1
        report(town, title="第二篇")
        duty = _duty(town["market"], "2026-04")
        assert duty.state == DeadlineState.MET and not duty.is_late
        assert _duty(town["township"], "2026-04").state == DeadlineState.OPEN


def test_w3_a_report_meets_its_own_months_duty_never_an_earlier_overdue_one(town):
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, tzinfo=dt.timezone.utc)):
        deadlines_open_recurring()
    with time_machine.travel(dt.datetime(2026, 4, 10, 10, tzinfo=dt.timezone.utc)):
        deadlines_open_recurring()
        report(town)
        report(town)
        assert _duty(town["market"], "2026-04").state == DeadlineState.MET
        assert _duty(town["market"], "2026-03").state != DeadlineState.MET


def test_w3_only_a_units_own_staff_report_and_only_the_bureau_adopts(town):
    with pytest.raises(PermissionDenied):
        report(town, unit=town["township"])
    r = report(town)
    with pytest.raises(PermissionDenied):
        services.info_report_adopt(actor=town["liaison"], report=r)
    with assert_audited("inforeports.inforeport.transition", r):
        services.info_report_adopt(actor=town["supervisor"], report=r)
    assert r.status == ReportStatus.ADOPTED and r.adopted_by == town["supervisor"]


def test_w3_monthly_table_and_indicators_count_per_unit(town, django_assert_max_num_queries):
    report(town)
    services.info_report_adopt(actor=town["supervisor"], report=report(town))
    today = timezone.localdate()
    month = today.replace(day=1)
    rows = {u.name: (u.submitted, u.adopted) for u in selectors.monthly_table(town["supervisor"], month)}
    assert rows == {"区市场监督管理局": (2, 1), "海滨镇": (0, 0)}
    short = [u.name for u in selectors.monthly_table(town["supervisor"], month, {"short": True})]
    assert short == ["海滨镇"]
    with django_assert_max_num_queries(1):
        assert indicators.reports_by_unit(today.year) == {town["market"].pk: (2, 1)}
    with django_assert_max_num_queries(1):
        assert list(indicators.units_without_report(today.year, today.month)) == [town["township"]]


def test_w3_pages_form_list_monthly_export_and_api_scope(town, client):
    client.force_login(town["liaison"])
    response = client.post(reverse("inforeports:new"), {
        "unit": town["market"].pk, "title": "开展夜市专项整治", "text": "",
        "file": SimpleUploadedFile("照片.png", PNG, content_type="image/png")})
    assert response.status_code == 200 and "开展夜市专项整治" in response.content.decode()  # kept
    response = client.post(reverse("inforeports:new"), {
        "unit": town["market"].pk, "title": "开展夜市专项整治", "text": "整治摊点 30 个。"})
    r = InfoReport.objects.get()
    assert response.status_code == 302 and response["Location"] == r.get_absolute_url()
    assert client.get("/api/v1/info-reports/").json()["count"] == 1
    client.force_login(town["town_officer"])
    assert client.get(r.get_absolute_url()).status_code == 404
    assert client.get("/api/v1/info-reports/").json()["count"] == 0
    client.force_login(town["supervisor"])
    page = client.get(reverse("inforeports:monthly"), {"short": "on"}).content.decode()
    table = page[page.index('id="list-table"'):]
    assert "海滨镇" in table and "尚差 2 篇" in table and "尚差 1 篇" in table  # one report of two
    report(town)
    table = client.get(reverse("inforeports:monthly"), {"short": "on"}).content.decode()
    assert "区市场监督管理局" not in table[table.index('id="list-table"'):]
    client.post(reverse("inforeports:transition", args=[r.pk]), {"target": "adopted"})
    assert InfoReport.objects.get(pk=r.pk).status == ReportStatus.ADOPTED
    for url in (reverse("inforeports:list"), reverse("inforeports:monthly")):
        assert client.get(url, {"export": "xlsx"})["Content-Type"].startswith("application/vnd.openxml")


def test_w3_dashboard_panel_in_two_statements(town, django_assert_max_num_queries):
    report(town)
    today = timezone.localdate()
    user = town["supervisor"]
    scope = Scope(user=user, viewer=policy.viewer(user), now=timezone.now(),
                  period=Period("month", today.replace(day=1), today, "本月"), organizations=(), org_ids=None)
    with django_assert_max_num_queries(2):
        panel = inforeports_panel(scope)
    figures = {m.label: m.figure for m in panel.metrics}
    assert figures["本月报送"].value == 1 and figures["未达标单位"].value == 2
    assert "short=on" in figures["未达标单位"].url


def test_w3_demo_month_with_two_units_short():
    demo.seed()
    demo.seed()
    today = timezone.localdate()
    short = {u.name for u in indicators.units_without_report(today.year, today.month)}
    assert short == {"北戴河区牛头崖镇人民政府"}
    from core.models import User

    rows = {u.name: u.submitted for u in selectors.monthly_table(
        User.objects.get(username="jdy"), today.replace(day=1), {"short": True})}
    assert rows == {"北戴河区商务局": 1, "北戴河区牛头崖镇人民政府": 0}
    assert InfoReport.objects.filter(status=ReportStatus.ADOPTED).exists()
