"""The supervision-check pages and their POSTs (done and refused), lists with filters and
Excel export, the API's scopes, and the dashboard panel in two statements."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cases.testing import CaseFactory
from dashboard.forms import year_period
from dashboard.selectors import dashboard_scope
from deadlines.services import deadline_open
from evidence.tests.factories import PNG
from inspections import services
from inspections.dashboard import inspections_panel
from inspections.models import Check, CheckItem, CheckStatus, Finding, Lead, LeadStatus

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _sheet(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def test_m7_1_planning_a_check_through_the_form_keeps_what_was_typed_on_error(client, district):
    client.force_login(district.supervisor)
    url = reverse("inspections:new")
    today = timezone.localdate()
    data = {"organizer": district.bureau.pk, "title": "市场监管专项检查", "kind": "special", "field_note": "",
            "method": "spot_check", "items": ["three_systems", "case_files"], "units": [district.market.pk],
            "team": [district.supervisor.pk], "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=5)).isoformat(), "materials_request": "案卷目录。",
            "materials_due_on": (today + dt.timedelta(days=2)).isoformat()}
    response = client.post(url, data)
    assert response.status_code == 200 and "专项检查请写明重点领域" in _text(response)
    assert 'value="市场监管专项检查"' in _text(response)
    response = client.post(url, {**data, "field_note": "食品安全"})
    check = Check.objects.get()
    assert response.status_code == 302 and response["Location"] == check.get_absolute_url()
    # A department head plans nothing; a department's legal unit offers only its own units.
    client.force_login(district.market_head)
    assert client.get(url).status_code == 403
    client.force_login(district.market_legal)
    form = client.get(url).context["form"]
    assert set(form.fields["units"].queryset) == {district.market, district.brigade}


def test_m7_1_a_planned_check_is_edited_on_its_page_and_refused_once_started(client, district):
    check = district.check(started=False)
    client.force_login(district.supervisor)
    page = _text(client.get(check.get_absolute_url()))
    assert reverse("inspections:edit", args=[check.pk]) in page and "修改检查方案" in page
    url = reverse("inspections:edit", args=[check.pk])
    form = client.get(url).context["form"]
    assert form["title"].value() == check.title and form.fields["organizer"].disabled
    today = timezone.localdate()
    data = {"organizer": district.market.pk,  # ignored: the organizer stays
            "title": "市场监管专项检查（调整）", "kind": "special", "field_note": "",
            "method": "spot_check", "items": ["three_systems"], "units": [district.market.pk, district.urban.pk],
            "team": [district.supervisor.pk], "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=5)).isoformat(), "materials_request": "案卷目录。",
            "materials_due_on": (today + dt.timedelta(days=2)).isoformat()}
    response = client.post(url, data)
    assert response.status_code == 200 and "专项检查请写明重点领域" in _text(response)
    assert 'value="市场监管专项检查（调整）"' in _text(response)
    response = client.post(url, {**data, "field_note": "食品安全"})
    assert response.status_code == 302 and response["Location"] == check.get_absolute_url()
    check.refresh_from_db()
    assert check.title == "市场监管专项检查（调整）" and check.organizer == district.bureau
    assert check.unit_rows.count() == 2
    page = _text(client.get(check.get_absolute_url()))
    assert "检查方案已修改" in page and "修改检查方案" in page  # the timeline's verb
    # A head of a unit checked cannot edit; once started nobody can, and the page says why.
    client.force_login(district.market_head)
    assert client.get(url).status_code in (403, 404)
    client.force_login(district.supervisor)
    services.check_start(actor=district.supervisor, check=check)
    assert reverse("inspections:edit", args=[check.pk]) not in _text(client.get(check.get_absolute_url()))
    response = client.get(url)
    assert response.status_code == 403 and "检查方案只能在拟定阶段修改" in _text(response)
    assert client.post(url, {**data, "field_note": "食品安全", "title": "再改"}).status_code == 403
    assert Check.objects.get(pk=check.pk).title == "市场监管专项检查（调整）"


def test_m7_4_the_unit_provides_its_materials_on_the_check_page(client, district):
    check = district.check()
    row = check.unit_rows.get()
    client.force_login(district.market_head)
    page = _text(client.get(check.get_absolute_url()))
    assert "报送检查材料" in page and "届满" in page and "24时" in page
    response = client.post(reverse("inspections:materials", args=[row.pk]),
                           {"note": "目录已上传。", "files": SimpleUploadedFile("目录.png", PNG, "image/png")})
    assert response.status_code == 302
    assert "按期报送" in _text(client.get(check.get_absolute_url()))
    client.force_login(district.urban_head)
    assert client.get(check.get_absolute_url()).status_code == 404


def test_m7_5_findings_bulletin_and_instrument_through_the_pages(client, district):
    check = district.check()
    client.force_login(district.supervisor)
    response = client.post(reverse("inspections:finding_add", args=[check.pk]), {
        "unit": district.market.pk, "item": CheckItem.THREE_SYSTEMS, "description": "处罚决定未按时公示。",
        "files": SimpleUploadedFile("截图.png", PNG, "image/png")})
    assert response.status_code == 302
    client.post(reverse("inspections:transition", args=[check.pk]), {"target": CheckStatus.FINISHED})
    page = _text(client.get(check.get_absolute_url()))
    assert "印发问题通报" in page and "截图.png" in page
    response = client.post(reverse("inspections:bulletin", args=[check.pk]),
                           {"summary": "开展了专项检查。", "requirements": "举一反三。"})
    check.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == check.bulletin.get_absolute_url()
    row = check.unit_rows.get()
    form = client.get(reverse("inspections:instrument", args=[row.pk])).context["form"]
    assert "处罚决定未按时公示" in form.initial["facts"]
    response = client.post(reverse("inspections:instrument", args=[row.pk]), {
        "kind": "supervision_opinion", "facts": form.initial["facts"], "legal_basis": "《行政执法监督条例》。",
        "rectification": "立即公示。", "deadline": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        "report_method": form.initial["report_method"], "contact": ""})
    row.refresh_from_db()
    assert response.status_code == 302 and row.instrument.title == "行政执法监督意见书"
    assert row.instrument.number in _text(client.get(check.get_absolute_url()))
    # The unit reads the opinion and reports on its page (the notice's loop).
    client.force_login(district.market_head)
    assert "报告整改情况" in _text(client.get(row.instrument.get_absolute_url()))


def test_check_list_filters_and_exports(client, district):
    district.check(title="城管文明执法检查", units=[district.urban])
    district.check(title="市场监管专项检查")
    client.force_login(district.supervisor)
    url = reverse("inspections:list")
    assert client.get(url, {"q": "城管"}).context["page"].paginator.count == 1
    assert client.get(url, {"unit": district.market.pk}).context["page"].paginator.count == 1
    assert client.get(url, {"since": "2026-13-01"}).context["page"].paginator.count == 0
    response = client.get(url, {"q": "市场", "export": "xlsx"})
    rows = _sheet(response)
    assert rows[1][0] == "市场监管专项检查" and rows[1][6] == "区市场监督管理局"
    assert reverse("inspections:leads") in _text(client.get(url))
    # The menu's rule on the page: a department head is not sent to lists it cannot open.
    client.force_login(district.market_head)
    page = _text(client.get(url))
    assert reverse("inspections:leads") not in page and reverse("inspections:reviews") not in page


def test_m7_3_leads_list_detail_dismiss_and_to_finding_pages(client, district):
    for n in (1, 2):
        case = CaseFactory(department=district.market, number=f"北市监罚〔2026〕{n}号")
        deadline_open(target=case, rule="publicity_licensing_penalty", responsible=district.market,
                      start=timezone.now() - dt.timedelta(days=60), actor=None)
    services.leads_compute()
    client.force_login(district.supervisor)
    url = reverse("inspections:leads")
    listed = client.get(url, {"rule": "publicity_late"})
    assert listed.context["page"].paginator.count == 2 and "执法决定未按时公示" in _text(listed)
    export = client.get(url, {"export": "xlsx", "rule": "publicity_late"})
    assert _sheet(export)[1][1] == "执法决定未按时公示"
    first, second = Lead.objects.filter(rule="publicity_late").order_by("subject")
    page = _text(client.get(first.get_absolute_url()))
    assert "排除线索" in page and "转为检查发现" in page and first.target.get_absolute_url() in page
    client.post(reverse("inspections:lead_transition", args=[first.pk]),
                {"target": LeadStatus.DISMISSED, "note": "已公示。"})
    assert Lead.objects.get(pk=first.pk).status == LeadStatus.DISMISSED
    check = district.check()
    response = client.post(reverse("inspections:lead_finding", args=[second.pk]), {
        "check": check.pk, "item": CheckItem.THREE_SYSTEMS, "description": "处罚决定逾期未公示。"})
    assert response.status_code == 302 and Finding.objects.get().check_record == check
    # The leads are the bureau's: a department sees neither the list nor the API.
    client.force_login(district.market_legal)
    assert client.get(url).status_code == 403
    api = APIClient()
    api.force_authenticate(district.market_legal)
    assert api.get("/api/v1/leads/").status_code == 403


def test_m7_3_the_leads_list_reads_a_window_of_keys_no_count_and_the_same_queries_whatever_the_page_size(
        client, district, monkeypatch):
    from cases.selectors import CasePaginator
    from inspections import views

    for n in range(7):
        case = CaseFactory(department=district.market, number=f"北市监罚〔2026〕{n + 1}号")
        deadline_open(target=case, rule="publicity_licensing_penalty", responsible=district.market,
                      start=timezone.now() - dt.timedelta(days=60), actor=None)
    services.leads_compute()
    client.force_login(district.supervisor)
    url = reverse("inspections:leads")

    def read(page_size: int, **params) -> tuple[int, str]:
        monkeypatch.setattr(views.LeadList, "page_size", page_size)
        with CaptureQueriesContext(connection) as queries:
            body = _text(client.get(url, params))
        counts = [q for q in queries if "COUNT(" in q["sql"].upper() and "inspections_lead" in q["sql"]]
        assert not counts or params.get("page") == 99  # only a link past the end counts, once
        return len(queries), body

    assert read(2)[0] == read(5)[0] == read(2, page=3)[0] == read(2, rule="publicity_late", page=2)[0]
    monkeypatch.setattr(CasePaginator, "LOOK_AHEAD_PAGES", 2)
    _n, body = read(2)
    assert "第 1 页，超过 4 条" in body
    total = Lead.objects.count()  # the seven late publications and the other rules' leads
    pages = -(-total // 2)
    _n, body = read(2, page=pages)
    assert f"第 {pages} / {pages} 页，共 {total} 条" in body  # exact once the list ends in the window
    assert Lead.objects.order_by("observed_on", "id").first().get_absolute_url() in body  # the oldest last
    _n, body = read(2, page=99)  # an old link past the end: the last page
    assert f"第 {pages} / {pages} 页" in body


def test_m7_3_computing_leads_refreshes_the_planners_statistics(district):
    """The night's rows arrive in one go: the list's plan must see them (ANALYZE)."""
    case = CaseFactory(department=district.market)
    deadline_open(target=case, rule="publicity_licensing_penalty", responsible=district.market,
                  start=timezone.now() - dt.timedelta(days=60), actor=None)
    with CaptureQueriesContext(connection) as queries:
        services.leads_compute()
    assert [q for q in queries if q["sql"].startswith("ANALYZE")]


def test_the_case_review_pages_draw_score_and_show_results(client, district):
    today = timezone.localdate()
    for n in range(1, 4):
        CaseFactory(department=district.market, number=f"北市监罚〔2026〕{n}号", status="closed",
                    closed_on=today, filed_on=today - dt.timedelta(days=3))
    check = district.check()
    client.force_login(district.supervisor)
    response = client.post(reverse("inspections:review_draw", args=[check.pk]), {
        "department": district.market.pk, "closed_from": (today - dt.timedelta(days=30)).isoformat(),
        "closed_to": today.isoformat(), "sample_size": 2, "seed": 42})
    review = check.reviews.get()
    assert response.status_code == 302 and review.seed == 42 and review.files.count() == 2
    file = review.files.first()
    form = client.get(reverse("inspections:review_file", args=[file.pk])).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    response = client.post(reverse("inspections:review_file", args=[file.pk]), {**data, "comment": "规范。"})
    assert response.status_code == 302
    page = _text(client.get(review.get_absolute_url()))
    assert "合格" in page and "未评分" in page
    assert client.get(reverse("inspections:reviews")).status_code == 200


def test_api_reads_what_the_pages_show(district):
    check = district.check()
    hidden = district.check(units=[district.urban], title="城管检查")
    api = APIClient()
    api.force_authenticate(district.market_head)
    data = api.get("/api/v1/inspections/").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [r["id"] for r in rows] == [check.pk] and hidden.pk not in [r["id"] for r in rows]
    assert rows[0]["units"][0]["unit_name"] == "区市场监督管理局"
    assert api.get("/api/v1/case-reviews/").status_code == 403  # a department head reviews nothing
    api.force_authenticate(district.supervisor)
    assert api.get(f"/api/v1/inspections/{hidden.pk}/").status_code == 200
    assert api.get("/api/v1/case-reviews/").status_code == 200


def test_dashboard_panel_is_two_statements_and_links_to_its_rows(client, district):
    district.check()
    district.circulated(district.check(title="第二项检查"))
    case = CaseFactory(department=district.market, number="北市监罚〔2026〕9号")
    deadline_open(target=case, rule="publicity_licensing_penalty", responsible=district.market,
                  start=timezone.now() - dt.timedelta(days=60), actor=None)
    services.leads_compute()
    scope = dashboard_scope(district.supervisor, period=year_period(timezone.localdate().year))
    inspections_panel(scope)  # warm the content-type cache and the viewer
    with CaptureQueriesContext(connection) as queries:
        panel = inspections_panel(scope)
    assert len(queries) <= 2
    figures = {m.label: m.figure for m in panel.metrics}
    assert figures["检查中"].value == 1 and figures["已通报待整改办结"].value == 1
    # (with the units without this month's information report, inforeports' rule)
    assert figures["待处理监测线索"].value == Lead.objects.filter(status=LeadStatus.OPEN).count() >= 1
    client.force_login(district.supervisor)
    for label in ("检查中", "已通报待整改办结", "本期开展的检查", "待处理监测线索"):
        assert client.get(figures[label].url).context["page"].paginator.count == figures[label].value
