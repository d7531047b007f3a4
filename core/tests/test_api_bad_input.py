"""Malformed input to the API is a 400 with a message, never a 500. Each case below was a
server error found by fuzzing /api/schema/ with schemathesis."""
import datetime as dt
import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import OrgKind, Role
from core.testing import OrganizationFactory, justice_bureau, member, supervisor
from deadlines.models import Deadline
from documents.models import Document
from transfers.models import Transfer

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def township_officer():
    return member(Role.OFFICER, OrganizationFactory(kind=OrgKind.TOWNSHIP, name="测试镇人民政府",
                                                    short_name="测镇"))


@pytest.mark.parametrize("value", ["2026-01-01T00:00:00+16:00", "2026-01-01T00:00:00-23:59"])
def test_deadline_filter_takes_any_offset_python_reads(value):
    """PostgreSQL refused an offset beyond ±15:59 ("time zone displacement out of range")."""
    response = api_for(supervisor()).get("/api/v1/deadlines/", {"due__gte": value})
    assert response.status_code == 200


def test_deadline_filter_outside_the_calendar_is_refused():
    response = api_for(supervisor()).get("/api/v1/deadlines/",
                                         {"due__lte": "0001-01-01T00:00:00+14:00"})
    assert response.status_code == 400
    assert response.json() == {"due__lte": ["输入一个有效的日期/时间。"]}


@pytest.mark.parametrize("body", ["[]", '"x"', "1", '[{"subject": "无证经营"}]'])
def test_township_transfer_body_that_is_not_an_object(township_officer, body):
    response = api_for(township_officer).post("/api/v1/townships/", body,
                                              content_type="application/json")
    assert response.status_code == 400
    assert "期待为字典类型" in response.json()["non_field_errors"][0]


def test_township_transfer_discovered_in_year_one(township_officer):
    township = township_officer.memberships.get().organization
    response = api_for(township_officer).post("/api/v1/townships/", {
        "sender": township.pk, "receiver": OrganizationFactory().pk, "subject": "无证经营",
        "reason": "属区市场监管部门管辖", "basic_facts": "某商户无照经营餐饮。",
        "discovered_at": "0001-01-01T00:00:00Z"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"discovered_at": ["发现时间不能早于2000年，请核对日期。"]}
    assert not Transfer.objects.exists() and not Deadline.objects.exists()


@pytest.mark.parametrize("deadline", ["9999-12-31", "9999-12-30", "3000-01-01"])
def test_supervision_notice_deadline_beyond_the_calendar(deadline):
    response = api_for(supervisor()).post("/api/v1/documents/supervision-notice/", {
        "issuer": justice_bureau().pk, "addressee": OrganizationFactory().pk,
        "facts": "3件案件未告知当事人陈述、申辩的权利。", "legal_basis": "《行政处罚法》第四十四条。",
        "rectification": "逐件复查，依法纠正。", "deadline": deadline,
        "report_method": "书面报告区司法局。"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"deadline": ["整改期限不能晚于2999年12月31日，请核对日期。"]}
    assert not Document.objects.exists()


def test_supervision_notice_deadline_on_the_last_day_counted():
    response = api_for(supervisor()).post("/api/v1/documents/supervision-notice/", {
        "issuer": justice_bureau().pk, "addressee": OrganizationFactory().pk,
        "facts": "问题。", "legal_basis": "依据。", "rectification": "整改。",
        "deadline": "2999-12-31", "report_method": "书面报告。"}, format="json")
    assert response.status_code == 201
    assert Deadline.objects.get().due == dt.datetime(3000, 1, 1, tzinfo=timezone.get_current_timezone())


def test_an_api_address_no_route_matches_answers_json(client):
    """Django's own 404 (no route: a word where a case id belongs) is JSON under /api/,
    the page elsewhere."""
    api = api_for(supervisor())
    response = api.post("/api/v1/cases/abc/transition/", {}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "记录不存在或您无权查看。"}
    client.force_login(supervisor())
    page = client.get("/cases/abc/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_an_api_server_error_answers_json():
    from django.test import RequestFactory

    from core.views import SERVER_ERROR, server_error
    response = server_error(RequestFactory().get("/api/v1/cases/"))
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"detail": SERVER_ERROR}
    page = server_error(RequestFactory().get("/cases/"))
    assert page.status_code == 500 and "系统暂时出错" in page.content.decode()


def test_a_body_that_is_not_json_is_refused_in_chinese():
    response = api_for(supervisor()).post("/api/v1/cases/", "{bad", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("请求内容无法解析，请检查其格式（JSON 或表单）：JSON parse error")
