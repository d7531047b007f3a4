"""The accountability pages (list with filters and Excel, sources, opening, determination,
outcome, reservation), the API's scope and the dashboard panel."""
from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accountability import services
from accountability.dashboard import accountability_panel
from accountability.models import Proceeding, ProceedingStatus, Route
from accountability.tests.test_proceedings import _referral_failure
from dashboard.registry import Period
from dashboard.selectors import dashboard_scope
from evidence.tests.factories import PNG

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_m8_1_the_supervision_list_shows_age_deadline_and_outcome_filtered_and_exported(client, district):
    open_one = district.proceeding(subject="甲事项")
    done = district.proceeding(subject="乙事项")
    services.proceeding_determine(actor=district.head, proceeding=done, liable=True,
                                  fault_determination="逾期。", route=Route.ADMINISTRATIVE)
    services.proceeding_conclude(actor=district.head, proceeding=done, outcome="诫勉谈话。",
                                 outcome_organ="", document=io.BytesIO(PNG),
                                 document_name="决定.png", document_size=len(PNG))
    client.force_login(district.supervisor)
    url = reverse("accountability:list")
    html = client.get(url).content.decode()
    assert "甲事项" in html and "行政处理（由本机关按管理权限实施）：诫勉谈话。" in html
    assert "日24时" in html  # the time to determine, as the bureau writes it
    page = client.get(url, {"state": "concluded"}).context["page"]
    assert [p.pk for p in page] == [done.pk]
    page = client.get(url, {"q": "市监执法员甲", "state": "open"}).context["page"]
    assert [p.pk for p in page] == [open_one.pk]
    response = client.get(url, {"state": "concluded", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "问责事项" and [r[0] for r in rows[1:]] == ["乙事项"]
    assert client.get(url, {"since": "not-a-date"}).context["page"].paginator.count == 0


def test_m8_1_opening_from_a_source_through_the_form(client, district):
    referral = _referral_failure(district)
    client.force_login(district.legal)
    sources_html = client.get(reverse("accountability:sources")).content.decode()
    assert referral.case.number in sources_html and "启动责任追究" in sources_html
    url = reverse("accountability:new")
    query = f"?source_kind=discipline_referral&source_id={referral.pk}"
    form = client.get(url + query).context["form"]
    assert form.initial["officers"] == [district.officer.pk]
    data = {"agency": district.market.pk, "subject": "违纪线索未移送", "officers": [district.officer.pk],
            "ground": "improper", "facts": "", "source_kind": "discipline_referral",
            "source_id": referral.pk}
    response = client.post(url + query, data)
    assert response.status_code == 200 and "违纪线索未移送" in response.content.decode()  # kept
    data["facts"] = "未核实即认定无违纪线索。"
    response = client.post(url + query, data, follow=True)
    p = Proceeding.objects.get()
    assert response.redirect_chain[-1][0] == p.get_absolute_url()
    html = response.content.decode()
    assert referral.get_absolute_url() in html and "待本单位部门负责人" in html
    assert "已启动" in client.get(reverse("accountability:sources")).content.decode()
    assert client.get(url + "?source_kind=discipline_referral&source_id=999999").status_code == 404


def test_m8_3_determination_and_outcome_through_the_forms(client, district):
    p = district.proceeding()
    client.force_login(district.legal)
    assert client.get(reverse("accountability:determine", args=[p.pk])).status_code == 403
    client.force_login(district.head)
    url = reverse("accountability:determine", args=[p.pk])
    response = client.post(url, {"liable": "1", "fault_determination": "未按期核查。", "route": ""})
    assert "认定有过错责任的，请选择处理方式" in response.content.decode()
    assert "未按期核查。" in response.content.decode()  # what was typed is kept
    client.post(url, {"liable": "1", "fault_determination": "未按期核查。", "route": "sanction"})
    p.refresh_from_db()
    assert p.status == ProceedingStatus.DETERMINED
    client.force_login(district.legal)
    response = client.post(reverse("accountability:conclude", args=[p.pk]), {
        "outcome": "记过处分。", "outcome_organ": "区纪委监委",
        "document": SimpleUploadedFile("处分决定.png", PNG, content_type="image/png")}, follow=True)
    assert "已登记处理结果，责任追究办结。" in _messages(response)
    assert 'id="outcome-document"' in response.content.decode()


def test_m8_4_reservation_through_the_form(client, district):
    p = district.proceeding()
    client.force_login(district.legal)
    client.post(reverse("accountability:reserve", args=[p.pk]),
                {"reserved_to": "appointing", "reason": "依法由人事任免机关处理。"})
    p.refresh_from_db()
    assert p.status == ProceedingStatus.RESERVED
    html = client.get(p.get_absolute_url()).content.decode()
    assert "依法由<strong>人事任免机关</strong>处理" in html


def test_m8_1_the_api_reads_what_the_pages_show(district):
    p = district.proceeding()
    api = APIClient()
    api.force_authenticate(district.urban_head)
    assert api.get("/api/v1/accountability/").json()["results"] == []
    assert api.get(f"/api/v1/accountability/{p.pk}/").status_code == 404
    api.force_authenticate(district.supervisor)
    row = api.get(f"/api/v1/accountability/{p.pk}/").json()
    assert row["ground_display"] == "未履行法定职责" and row["determination_state"] == "open"
    assert api.patch(f"/api/v1/accountability/{p.pk}/", {"subject": "x"}, format="json").status_code == 405


def test_m8_1_dashboard_panel_in_two_statements_each_figure_its_list(client, district):
    district.proceeding()
    done = district.proceeding()
    services.proceeding_determine(actor=district.head, proceeding=done, liable=False,
                                  fault_determination="无过错。")
    today = timezone.localdate()
    scope = dashboard_scope(district.supervisor, period=Period("year", today.replace(month=1, day=1),
                                                                today, "本年"))
    with CaptureQueriesContext(connection) as queries:
        panel = accountability_panel(scope)
    assert len(queries) <= 2
    figures = {m.label: m.figure for m in panel.metrics}
    assert figures["办理中"].value == 1 and figures["已办结"].value == 1
    client.force_login(district.supervisor)
    for label in ("办理中", "已办结"):
        assert client.get(figures[label].url).context["page"].paginator.count == figures[label].value
    row = panel.tables[0].rows[0]
    assert row.label == district.market.name
