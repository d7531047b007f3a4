"""Core's own pages on the shared layer: the audit trail (filters, labels and Chinese
local times, the record behind each row, its Excel export for audit.view), and the
platform's own 404 and 500 pages also with DEBUG on (issue 14 parts 3 and 5)."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import override_settings
from django.urls import path
from openpyxl import load_workbook

from core.audit import audit_record
from core.models import Role
from core.testing import OrganizationFactory, justice_bureau, member
from deadlines import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    department = OrganizationFactory(name="北戴河区市场监督管理局")
    other = OrganizationFactory(name="北戴河区城市管理综合行政执法局")
    officer = member(Role.OFFICER, department, real_name="张三")
    deadline = services.deadline_open(target=department, rule="township_transfer",
                                      responsible=department, actor=officer,
                                      start=dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc))
    mine = audit_record(actor=officer, verb="deadline.waive", target=deadline,
                        organization=department, note="案件已由上级机关直接办理",
                        changes={"state": ["open", "waived"], "due": [None, "2026-03-05T16:00:00+00:00"]})
    theirs = audit_record(actor=officer, verb="notification.read", organization=other)
    return department, mine, theirs


def test_audit_trail_reads_labels_and_local_times(client, events):
    """Not raw field names and UTC ISO strings: 状态：进行中 → 已豁免, 届满时间 in Beijing time,
    a due at midnight as …日24时."""
    department, mine, theirs = events
    head = member(Role.DEPARTMENT_HEAD, department)
    client.force_login(head)
    page = client.get("/audit/").content.decode().split('id="list-table"')[1]
    assert "豁免期限" in page and "案件已由上级机关直接办理" in page
    # A time limit's end at 24:00 Beijing time reads as the bureau writes it.
    assert "届满时间：2026年3月5日24时" in page and "2026-03-05T16" not in page
    assert "状态：进行中 → 已豁免" in page
    assert f'href="/deadlines/{mine.target_id}/"' in page  # the record behind the row
    assert "阅读消息" not in page  # another unit's event
    assert "IP" not in page


def test_audit_trail_filters_by_verb_and_dates_and_an_unreadable_filter_shows_no_rows(client, events):
    client.force_login(member(Role.SUPERVISOR, justice_bureau()))
    assert "阅读消息" in client.get("/audit/").content.decode()
    page = client.get("/audit/", {"verb": "deadline.waive"}).content.decode()
    assert "案件已由上级机关直接办理" in page and "阅读消息" not in page.split('id="list-table"')[1]
    page = client.get("/audit/", {"since": "2026-13-40"}).content.decode()
    assert 'id="filter-unreadable"' in page and "案件已由上级机关直接办理" not in page
    page = client.get("/audit/", {"q": "上级机关"}).content.decode()
    assert "案件已由上级机关直接办理" in page


def test_audit_trail_exports_what_it_lists_for_audit_view_only(client, events):
    department, mine, theirs = events
    head = member(Role.DEPARTMENT_HEAD, department)
    client.force_login(head)
    assert 'id="export-xlsx"' in client.get("/audit/").content.decode()
    response = client.get("/audit/", {"export": "xlsx", "verb": "deadline.waive"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("时间", "操作人", "单位", "动作", "对象", "说明", "变更", "来源地址")
    assert [r[3] for r in rows[1:]] == ["豁免期限"]
    assert all(isinstance(v, str) for v in rows[1] if v is not None)  # text cells are text
    officer = member(Role.OFFICER, department)
    client.force_login(officer)
    assert client.get("/audit/", {"export": "xlsx"}).status_code == 403


def _boom(request):
    raise RuntimeError("broken on purpose")


urlpatterns = [path("boom/", _boom), path("api/boom/", _boom)]


def test_debug_mode_shows_the_platforms_own_404_and_500_pages(client):
    """``make run`` runs with DEBUG on: a missing page is the platform's Chinese page, not
    Django's list of URL patterns; an error the platform's 500 page; the API answers JSON."""
    client.raise_request_exception = False
    with override_settings(DEBUG=True, DEBUG_ERROR_PAGES=False):
        page = client.get("/no-such-page/")
        assert page.status_code == 404
        html = page.content.decode()
        assert "记录不存在或您无权查看" in html and "URLconf" not in html and "urlpatterns" not in html
        api = client.get("/api/v1/no-such-endpoint/")
        assert api.status_code == 404 and api.json()["detail"]
    with override_settings(DEBUG=True, DEBUG_ERROR_PAGES=False, ROOT_URLCONF=__name__):
        error = client.get("/boom/")
        assert error.status_code == 500
        assert "系统暂时出错" in error.content.decode() and "Traceback" not in error.content.decode()
        assert "系统暂时出错" in client.get("/api/boom/").json()["detail"]


def test_a_developer_may_still_ask_for_djangos_debug_pages(client):
    with override_settings(DEBUG=True, DEBUG_ERROR_PAGES=True):
        assert "URLconf" in client.get("/no-such-page/").content.decode()


def test_links_build_a_records_page_from_its_type_and_id_without_reading_it(monkeypatch,
                                                                            django_assert_num_queries):
    """core.links: what 需关注, notifications and the audit trail link each row with."""
    from django.contrib.contenttypes.models import ContentType

    from core import links
    from core.models import Organization
    from deadlines.models import Deadline

    deadline_type = ContentType.objects.get_for_model(Deadline).pk
    with django_assert_num_queries(0):
        assert links.url_for(deadline_type, "12") == "/deadlines/12/"
        assert links.url_for_model(Deadline, "not-a-key") == ""
        assert links.url_for_model(Organization, "3") == ""  # no page of its own
        assert links.url_for(None, "3") == ""
    monkeypatch.setitem(links._BUILDERS, Organization, lambda pk: f"/units/{pk}/")
    assert links.url_for_model(Organization, "3") == "/units/3/"
