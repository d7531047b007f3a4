"""The interference-record pages (list with filters and Excel, record with files, read,
correct), the claim panel and forms on a proceeding, and the dashboard panel."""
from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accountability.models import ProceedingStatus
from dashboard.registry import Period
from dashboard.selectors import dashboard_scope
from evidence.tests.factories import PNG
from exemption.dashboard import exemption_panel
from exemption.models import InterferenceRecord
from exemption.tests.test_interference import record

pytestmark = pytest.mark.django_db


def _form(district, **extra):
    data = {"unit": district.market.pk, "kind": "case_meddling", "interferer_name": "赵某",
            "interferer_unit": "某商贸公司", "interferer_position": "当事人亲属", "interferer_org": "",
            "method": "phone", "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "demand": "要求不予立案。", "refused": "yes", "response": "当场拒绝。", "case_number": ""}
    data.update(extra)
    return data


def test_m12_2_recording_and_correcting_through_the_forms(client, district):
    client.force_login(district.officer)
    url = reverse("exemption:new")
    response = client.post(url, _form(district, case_number="不存在的案号"))
    assert "未找到该编号的案件" in response.content.decode() and "要求不予立案。" in response.content.decode()
    response = client.post(url, {**_form(district), "files": [
        SimpleUploadedFile("短信截图.png", PNG, content_type="image/png")]}, follow=True)
    original = InterferenceRecord.objects.get()
    assert response.redirect_chain[-1][0] == original.get_absolute_url()
    assert "短信截图.png" in response.content.decode()
    form = client.get(reverse("exemption:correct", args=[original.pk])).context["form"]
    assert form.initial["interferer_name"] == "赵某"
    client.post(reverse("exemption:correct", args=[original.pk]),
                _form(district, interferer_name="赵某某", correction_reason="姓名有误。"))
    fixed = InterferenceRecord.objects.get(corrects=original)
    html = client.get(original.get_absolute_url()).content.decode()
    assert 'id="corrected-badge"' in html and fixed.get_absolute_url() in html
    client.force_login(district.colleague)
    assert client.get(original.get_absolute_url()).status_code == 404
    assert client.get(reverse("exemption:correct", args=[original.pk])).status_code == 404


def test_m12_2_the_list_filters_and_exports_what_the_reader_may_see(client, district):
    record(district, refused=True, demand="甲要求")
    record(district, refused=False, response="未拒绝。", demand="乙要求")
    record(district, actor=district.urban_officer, unit=district.urban, demand="丙要求")
    client.force_login(district.head)
    url = reverse("exemption:list")
    assert client.get(url).context["page"].paginator.count == 2  # his unit's only
    assert [r.demand for r in client.get(url, {"refused": "no"}).context["page"]] == ["乙要求"]
    assert [r.demand for r in client.get(url, {"q": "甲"}).context["page"]] == ["甲要求"]
    response = client.get(url, {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and sorted(r[7] for r in rows[1:]) == ["乙要求", "甲要求"]
    client.force_login(district.discipline)
    assert client.get(url).context["page"].paginator.count == 3


def test_m12_3_the_claim_and_its_decision_on_the_proceeding_page(client, district):
    p = district.proceeding()
    client.force_login(district.officer)
    assert "提出依法履职免责申请" in client.get(p.get_absolute_url()).content.decode()
    client.post(reverse("exemption:claim", args=[p.pk]),
                {"ground": "no_direct_link", "statement": "事故与检查行为无直接关系。"})
    claim = p.exemption_claims.get()
    html = client.get(p.get_absolute_url()).content.decode()
    assert "待本单位部门负责人予以免责或不予免责" in html
    client.force_login(district.head)
    url = reverse("exemption:claim_decide", args=[claim.pk])
    assert "不存在直接关系的，不予追究相关责任" in client.get(url).content.decode()
    response = client.post(url, {"accept": "1", "reason": "经核查，无直接关系。"}, follow=True)
    assert "已决定。责任追究状态：依法履职免责。" in [str(m) for m in response.context["messages"]]
    p.refresh_from_db()
    assert p.status == ProceedingStatus.EXEMPTED
    assert "经核查，无直接关系。" in response.content.decode()


def test_m12_2_dashboard_panel_in_one_statement_each_figure_its_list(client, district):
    r = record(district)
    record(district, refused=False, response="未拒绝。")
    record(district, corrects=r, correction_reason="时间有误。")
    today = timezone.localdate()
    scope = dashboard_scope(district.supervisor, period=Period("year", today.replace(month=1, day=1),
                                                                today, "本年"))
    with CaptureQueriesContext(connection) as queries:
        panel = exemption_panel(scope)
    assert len(queries) <= 2
    figures = {m.label: m.figure for m in panel.metrics}
    assert [figures[k].value for k in ("干预记录", "已拒绝", "未拒绝", "已被更正")] == [3, 2, 1, 1]
    client.force_login(district.supervisor)
    for figure in figures.values():
        assert client.get(figure.url).context["page"].paginator.count == figure.value
