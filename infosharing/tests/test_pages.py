"""The information-sharing pages, their filters and Excel exports, the forms (what was
typed kept on a refusal), the API's scopes and the dashboard panel."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cases.models import PublicityChannel
from core.models import Role
from core.testing import member
from deadlines.models import Deadline
from infosharing import services
from infosharing.models import (FindingState, InfoQuery, PublicityItem, QueryStatus, RefusalGround,
                                ReportStatus)

from .conftest import this_quarter

pytestmark = pytest.mark.django_db


def _xlsx(response) -> list[tuple]:
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)


def test_m5_2_channels_list_filters_exports_and_the_form(client, district):
    services.channel_save(actor=district.market_legal, unit=district.market,
                          kind=PublicityChannel.DEPARTMENT_WEBSITE, address="https://scj.example.cn/")
    client.force_login(district.market_legal)
    page = client.get(reverse("infosharing:channels"))
    html = page.content.decode()
    assert "区市场监督管理局" in html and "执法结果" in html and "登记公示渠道" in html
    assert "未登记全部四个公示渠道的单位" in html
    assert client.get(reverse("infosharing:channels"), {"q": "没有"}).context["page"].paginator.count == 0
    rows = _xlsx(client.get(reverse("infosharing:channels"), {"export": "xlsx"}))
    assert rows[1][:3] == ("区市场监督管理局", "部门网站", "https://scj.example.cn/")
    url = reverse("infosharing:channel_save")
    form = client.get(url).context["form"]
    assert list(form.fields["unit"].queryset) == [district.market]
    response = client.post(url, {"unit": district.market.pk, "kind": PublicityChannel.PROVINCE_PLATFORM,
                                 "address": "不是网址"})
    assert response.status_code == 200 and response.context["form"]["address"].value() == "不是网址"
    response = client.post(url, {"unit": district.market.pk, "kind": PublicityChannel.PROVINCE_PLATFORM,
                                 "address": "https://www.hbzwfw.gov.cn/scj"})
    assert response.status_code == 302
    client.force_login(district.market_officer)
    assert client.get(url).status_code == 403


def test_m5_3_inspection_pages_follow_the_steps_and_units_see_only_the_circulated(client, district):
    problems = {district.urban.pk: {(PublicityChannel.DEPARTMENT_WEBSITE, PublicityItem.RESULTS): FindingState.MISSING}}
    inspection = district.checked(problems)
    client.force_login(district.urban_head)
    assert client.get(inspection.get_absolute_url()).status_code == 404
    assert client.get(reverse("infosharing:inspections")).context["page"].paginator.count == 0
    client.force_login(district.supervisor)
    html = client.get(inspection.get_absolute_url()).content.decode()
    assert "报区委全面依法治区委员会审议" in html and "区城市管理综合行政执法局" in html
    result = inspection.results.get(unit=district.urban)
    html = client.get(result.get_absolute_url()).content.decode()
    assert "未公示" in html and "截图" in html
    check = client.get(reverse("infosharing:result_check", args=[result.pk]))
    assert check.status_code == 200 and "checklist" in check.content.decode()
    client.post(reverse("infosharing:inspection_transition", args=[inspection.pk]), {"target": "reported"})
    inspection.refresh_from_db()
    assert inspection.status == "reported"
    review = reverse("infosharing:inspection_review", args=[inspection.pk])
    response = client.post(review, {"review_body": "第四次会议", "reviewed_on": timezone.localdate().isoformat(),
                                    "remarks": " "})
    assert response.status_code == 200 and response.context["form"]["review_body"].value() == "第四次会议"
    client.post(review, {"review_body": "第四次会议", "reviewed_on": timezone.localdate().isoformat(),
                         "remarks": "同意"})
    circulate = reverse("infosharing:inspection_circulate", args=[inspection.pk])
    assert "发现存在问题的单位1个" in client.get(circulate).content.decode()
    response = client.post(circulate, {"summary": "总体良好。", "rectify_by": ""})
    assert "整改期限" in response.content.decode()
    rectify_by = (timezone.localdate() + dt.timedelta(days=15)).isoformat()
    assert client.post(circulate, {"summary": "总体良好。", "rectify_by": rectify_by}).status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == "circulated"
    rows = _xlsx(client.get(reverse("infosharing:inspections"), {"export": "xlsx"}))
    assert rows[1][0].endswith("季度") and rows[1][7] == inspection.bulletin.number
    # Circulated: every unit sees the inspection and the bulletin, and its own result only.
    client.force_login(district.market_legal)
    html = client.get(inspection.get_absolute_url()).content.decode()
    assert inspection.bulletin.number in html and "区城市管理综合行政执法局" not in html
    assert client.get(result.get_absolute_url()).status_code == 404
    client.force_login(district.urban_head)
    html = client.get(result.get_absolute_url()).content.decode()
    assert result.__class__.objects.get(pk=result.pk).notice.number in html


def test_m5_4_district_table_with_totals_export_and_the_unit_form(client, district):
    from .test_services import _cases, _request

    _cases(district)
    request = _request(district)
    client.force_login(district.supervisor)
    page = client.get(request.get_absolute_url())
    assert page.context["page"].paginator.count == 3
    assert page.context["totals"][:2] == [2, 4]  # 行政许可, 行政处罚
    rows = _xlsx(client.get(request.get_absolute_url(), {"export": "xlsx"}))
    assert rows[0][:3] == ("报送单位", "状态", "行政许可")
    assert rows[-1][0] == "合计" and rows[-1][3] == 4 and len(rows) == 5
    assert client.get(request.get_absolute_url(), {"status": "submitted"}).context["page"].paginator.count == 0
    report = request.reports.get(unit=district.market)
    client.force_login(district.market_legal)
    page = client.get(request.get_absolute_url())
    assert page.context["page"].paginator.count == 1  # its own row only
    url = reverse("infosharing:report_submit", args=[report.pk])
    form = client.get(url).context["form"]
    assert form["penalty"].value() == 4 and "平台统计数：4" in form.fields["penalty"].help_text
    data = {c: getattr(report, c) for c in ("licensing", "penalty", "coercion", "levy", "charge", "inspection", "major")}
    response = client.post(url, {**data, "penalty": 6, "note": ""})
    assert response.status_code == 200 and response.context["form"]["penalty"].value() == "6"
    assert client.post(url, {**data, "penalty": 6, "note": "2件简易程序未登记"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.penalty == 6
    client.force_login(district.urban_head)
    assert client.get(url).status_code == 404
    assert client.get(reverse("infosharing:requests")).context["page"].paginator.count == 1


def test_m5_5_query_pages_answer_form_and_refusals_list(client, district):
    client.force_login(district.urban_head)
    response = client.post(reverse("infosharing:query_new"), {
        "requester": district.urban.pk, "addressee": district.market.pk, "subject": "营业执照登记情况",
        "purpose": "核实经营主体。"})
    assert response.status_code == 302
    query = InfoQuery.objects.get()
    assert "待区市场监督管理局答复" in client.get(query.get_absolute_url()).content.decode()
    client.force_login(district.market_legal)
    url = reverse("infosharing:query_answer", args=[query.pk])
    response = client.post(url, {"decision": "refuse", "ground": "", "law": "", "answer": "不便提供"})
    assert response.status_code == 200 and "不予提供须说明理由" in response.content.decode()
    assert response.context["form"]["answer"].value() == "不便提供"
    response = client.post(url, {"decision": "refuse", "ground": RefusalGround.OTHER_LEGAL, "law": "", "answer": ""})
    assert "须写明法律依据" in response.content.decode()
    assert client.post(url, {"decision": "refuse", "ground": RefusalGround.PRIVACY, "law": "", "answer": ""}).status_code == 302
    query.refresh_from_db()
    assert query.status == QueryStatus.REFUSED
    client.force_login(district.supervisor)
    listed = client.get(reverse("infosharing:queries"), {"status": "refused"})
    assert listed.context["page"].paginator.count == 1
    rows = _xlsx(client.get(reverse("infosharing:queries"), {"status": "refused", "export": "xlsx"}))
    assert rows[1][7] == "涉及个人隐私"
    client.force_login(district.township_head)  # neither party
    assert client.get(query.get_absolute_url()).status_code == 404


def test_m5_api_reads_through_the_pages_scopes(district):
    from .test_services import _query, _request

    query = _query(district)
    request = _request(district)
    inspection = district.checked()
    api = APIClient()
    api.force_authenticate(district.township_head)
    assert api.get("/api/v1/info-queries/").json()["results"] == []
    assert api.get(f"/api/v1/info-queries/{query.pk}/").status_code == 404
    assert api.get("/api/v1/web-inspections/").json()["results"] == []
    reports = api.get(f"/api/v1/statistics-requests/{request.pk}/").json()["reports"]
    assert [r["unit_name"] for r in reports] == ["海滨镇人民政府"]
    api.force_authenticate(district.market_legal)
    assert api.get(f"/api/v1/info-queries/{query.pk}/").json()["status_display"] == "待答复"
    api.force_authenticate(district.supervisor)
    body = api.get(f"/api/v1/web-inspections/{inspection.pk}/").json()
    assert body["period"] == this_quarter() and len(body["results"]) == 3
    assert len(api.get(f"/api/v1/statistics-requests/{request.pk}/").json()["reports"]) == 3
    api.force_authenticate(member(Role.EXPERT))  # the pages' capability: experts have none
    assert api.get("/api/v1/info-queries/").status_code == 403


def test_m5_dashboard_panel_in_two_statements_links_to_its_rows(client, district, django_assert_max_num_queries):
    from infosharing.dashboard import infosharing_panel
    from dashboard.registry import Period, Scope
    from core import policy

    from .test_services import _query

    waiting, overdue, refused = _query(district), _query(district), _query(district)
    Deadline.objects.filter(target_id=str(overdue.pk), rule="info_query_answer").update(state="overdue")
    services.query_refuse(actor=district.market_legal, query=refused, ground=RefusalGround.STATE_SECRET)
    district.checked()
    client.force_login(district.supervisor)
    panel = next(p for p in client.get(reverse("dashboard:index")).context["panels"] if p.key == "infosharing")
    figures = {m.label: m.figure for m in panel.metrics}
    assert figures["待答复的执法信息查询"].value == 2 and figures["逾期未答复"].value == 1
    assert figures["不予提供"].value == 1 and figures["本期网上巡查"].value == 1
    for label in ("待答复的执法信息查询", "逾期未答复", "不予提供"):
        assert client.get(figures[label].url).context["page"].paginator.count == figures[label].value
    assert panel.tables[0].rows[0].cells[0].value == 3
    today = timezone.localdate()
    scope = Scope(user=district.supervisor, viewer=policy.viewer(district.supervisor),
                  period=Period("year", dt.date(today.year, 1, 1), dt.date(today.year, 12, 31), f"{today.year}年"),
                  now=timezone.now(), organizations=(), org_ids=None)
    for _ in range(5):
        _query(district)
    with django_assert_max_num_queries(2):
        infosharing_panel(scope)
    assert waiting.status == QueryStatus.ASKED
