"""The dispute pages, lists, API and dashboard panel: what each user sees and can do."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from core.models import Role
from core.testing import member
from core.links import url_for
from dashboard.forms import year_period
from deadlines.models import Deadline
from dashboard.selectors import dashboard_scope
from disputes import services
from disputes.dashboard import disputes_panel
from disputes.models import Dispute, DisputeKind, DisputeStatus

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def test_m2_3_the_filing_form_keeps_what_was_typed_and_the_filing_names_what_is_missing(client, district):
    client.force_login(district.market_head)
    data = {"applicant": district.market.pk, "kind": DisputeKind.DUTY, "others": [district.market.pk],
            "subject": "流动摊贩监管", "facts": "职责交叉。"}
    page = _text(client.post(reverse("disputes:new"), data))
    assert "其他当事单位不能包括申请单位本身" in page and "流动摊贩监管" in page
    response = client.post(reverse("disputes:new"), {**data, "others": [district.urban.pk]})
    dispute = Dispute.objects.get()
    assert response.url == dispute.get_absolute_url()
    page = _text(client.get(dispute.get_absolute_url()))
    assert "尚不能提交协调申请" in page and "缺少先行协商记录" in page
    transition = reverse("disputes:transition", args=[dispute.pk])
    page = _text(client.post(transition, {"target": DisputeStatus.FILED}, follow=True))
    assert "尚未记录区市场监督管理局、区城市管理综合行政执法局在协商中的意见" in page
    add = reverse("disputes:negotiation_add", args=[dispute.pk])
    for party in dispute.parties.all():
        page = _text(client.post(add, {"party": party.pk, "negotiated_on": "", "representatives": "科长",
                                       "position": "不属本单位。"}))
        assert "不属本单位。" in page  # refused: the date is missing, the text kept
        client.post(add, {"party": party.pk, "negotiated_on": timezone.localdate().isoformat(),
                          "representatives": "法制科科长", "position": "不属本单位。"})
    page = _text(client.post(transition, {"target": DisputeStatus.FILED}, follow=True))
    assert "协调申请已提交区司法局" in page
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.FILED
    assert "待北戴河区司法局监督员受理或不予受理" in page


def test_m2_1_the_bureau_coordinates_on_the_dispute_page(client, district):
    dispute = district.filed()
    client.force_login(district.supervisor)
    client.post(reverse("disputes:transition", args=[dispute.pk]), {"target": DisputeStatus.COORDINATING})
    due = timezone.localdate() + dt.timedelta(days=3)
    page = _text(client.post(reverse("disputes:opinion_request", args=[dispute.pk]),
                             {"due_on": due.isoformat()}, follow=True))
    assert "已征求各当事单位的书面意见" in page and f"{due.month}月{due.day}日24时" in page
    page = _text(client.post(reverse("disputes:meeting_add", args=[dispute.pk]),
                             {"held_at": "", "place": "司法局会议室", "attendees": "双方", "summary": "未一致"}))
    assert "司法局会议室" in page  # kept on error
    client.post(reverse("disputes:meeting_add", args=[dispute.pk]),
                {"held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "place": "司法局会议室",
                 "attendees": "双方法制科长", "summary": "双方同意分工查处。"})
    client.post(reverse("disputes:agreement", args=[dispute.pk]), {"agreement": "按行为性质分工查处。"})
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.AGREEMENT and dispute.meetings.count() == 1
    page = _text(client.get(dispute.get_absolute_url()))
    assert "待区市场监督管理局、区城市管理综合行政执法局确认协调意见" in page
    # Each party confirms on its own part of the page.
    client.force_login(district.urban_head)
    urban = dispute.parties.get(organization=district.urban)
    client.post(reverse("disputes:confirm", args=[urban.pk]))
    client.force_login(district.market_head)
    assert client.post(reverse("disputes:confirm", args=[urban.pk]), follow=True).status_code == 403
    market = dispute.parties.get(organization=district.market)
    client.post(reverse("disputes:confirm", args=[market.pk]))
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.SETTLED
    # A party's deadline leads to its part of the dispute's page; a stranger finds nothing.
    deadline = Deadline.objects.get(target_id=str(urban.pk), rule="dispute_confirmation")
    assert url_for(deadline.target_type_id, deadline.target_id) == urban.get_absolute_url()
    assert client.get(urban.get_absolute_url()).url == f"{dispute.get_absolute_url()}#party-{urban.pk}"
    client.force_login(district.stranger)
    assert client.get(urban.get_absolute_url()).status_code == 404


def test_m15_6_the_governments_menu_entry_lists_the_disputes_awaiting_its_ruling(client, district):
    """The district government's entry (moved from townships): the disputes brought to it
    and not ruled on, of every kind — a jurisdiction dispute among them."""
    jurisdiction = district.submitted(kind=DisputeKind.JURISDICTION, applicant=district.township,
                                      others=[district.urban], actor=district.township_head)
    ruled = district.submitted()
    district.rule(ruled)
    district.coordinating()
    client.force_login(district.ruler)
    home = _text(client.get("/"))
    assert "争议裁决" in home and reverse("disputes:rulings") in home
    assert "乡镇街道协作" not in home
    assert list(client.get(reverse("disputes:rulings")).context["page"]) == [jurisdiction]
    page = _text(client.get(jurisdiction.get_absolute_url()))
    assert "登记区政府裁决" in page and "待北戴河区人民政府作出裁决" in page
    form = _text(client.get(reverse("disputes:ruling", args=[jurisdiction.pk])))
    assert "确定的管辖单位" in form and "流动食品摊贩监管职责</a>（管辖争议" in form
    client.force_login(district.township_head)
    assert reverse("disputes:rulings") not in _text(client.get("/"))
    assert client.get(reverse("disputes:rulings")).status_code == 403


def test_lists_filter_search_and_export(client, district):
    dispute = district.coordinating()
    district.draft()
    client.force_login(district.supervisor)
    url = reverse("disputes:list")
    assert "流动食品摊贩监管职责" in _text(client.get(url))
    assert not list(client.get(url, {"q": "没有这个词"}).context["page"])
    assert list(client.get(url, {"status": DisputeStatus.COORDINATING}).context["page"]) == [dispute]
    assert list(client.get(url, {"age": "30"}).context["page"]) == [dispute]
    assert not list(client.get(url, {"age": "older"}).context["page"])
    assert list(client.get(url, {"party": district.urban.pk, "open": "on"}).context["page"]) == [dispute]
    response = client.get(url, {"kind": "nonsense"})
    assert 'id="filter-unreadable"' in _text(response)
    response = client.get(url, {"status": DisputeStatus.COORDINATING, "export": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "争议事项" and [r[0] for r in rows[1:]] == ["流动食品摊贩监管职责"]


def test_api_shows_what_the_pages_show(district):
    brought = district.submitted()
    other = district.coordinating(actor=district.urban_head, applicant=district.urban,
                                  others=[district.market])
    api = APIClient()
    api.force_authenticate(district.urban_head)
    assert {r["id"] for r in api.get("/api/v1/disputes/").json()["results"]} == {brought.pk, other.pk}
    api.force_authenticate(district.ruler)
    rows = api.get("/api/v1/disputes/").json()["results"]
    assert [r["id"] for r in rows] == [brought.pk]
    assert rows[0]["status_display"] == "报请区政府裁决" and len(rows[0]["negotiations"]) == 2
    assert api.get(f"/api/v1/disputes/{other.pk}/").status_code == 404
    api.force_authenticate(district.stranger)
    assert api.get("/api/v1/disputes/").json()["results"] == []
    api.force_authenticate(member(Role.POLICE))  # no dispute role: the pages' capability
    assert api.get("/api/v1/disputes/").status_code == 403
    assert api.get("/api/v1/townships/disputes/").status_code == 404  # moved here


def test_dashboard_panel_in_two_statements_with_figures_linking_to_their_rows(client, district):
    district.filed()
    district.submitted()
    district.coordinating()
    old = district.coordinating()
    Dispute.objects.filter(pk=old.pk).update(filed_at=timezone.now() - dt.timedelta(days=120))
    scope = dashboard_scope(district.supervisor, period=year_period(timezone.localdate().year))
    with CaptureQueriesContext(connection) as queries:
        panel = disputes_panel(scope)
    assert len(queries) <= 2
    figures = {m.label: m.figure for m in panel.metrics}
    assert figures["未办结争议"].value == 4 and figures["待受理"].value == 1
    assert figures["协调中"].value == 2 and figures["待区政府裁决"].value == 1
    assert figures["超过90日未办结"].value == 1
    client.force_login(district.supervisor)
    for figure in figures.values():
        assert client.get(figure.url).context["page"].paginator.count == figure.value
    ages = {r.label: r.cells[0] for r in panel.tables[1].rows}
    assert ages["30日以内"].value == 3
    assert client.get(ages["30日以内"].url).context["page"].paginator.count == 3
    # The government's dashboard counts the rulings asked of it.
    panel = disputes_panel(dashboard_scope(district.ruler, period=year_period(timezone.localdate().year)))
    pending = {m.label: m.figure for m in panel.metrics}["待区政府裁决"]
    assert pending.value == 1
    client.force_login(district.ruler)
    assert client.get(pending.url).context["page"].paginator.count == 1
