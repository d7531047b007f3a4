"""/api/v1/approval-decisions/ (M14.2): the approval system pushes with its token — one or
a batch, idempotent by number, a Chinese 400 naming the field —, and readers see what the
pages show them."""
from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from approvals.models import Decision, DecisionStatus
from cases.testing import make_case

from .conftest import decision_data

pytestmark = pytest.mark.django_db
URL = "/api/v1/approval-decisions/"


def _client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_m14_2_api_receives_a_decision_with_a_token_and_the_same_number_again_is_not_duplicated(district):
    district.route()
    api = _client(district.approver)
    first = api.post(URL, decision_data(1), format="json")
    assert first.status_code == 201, first.content
    assert first.json()["status"] == DecisionStatus.PUSHED
    assert first.json()["department_name"] == "区市场监督管理局"
    again = api.post(URL, decision_data(1), format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Decision.objects.count() == 1
    assert APIClient().post(URL, decision_data(2), format="json").status_code in (401, 403)


def test_m14_2_api_takes_batches_and_refuses_a_malformed_one_whole_in_chinese(district):
    district.route()
    api = _client(district.approver)
    batch = [decision_data(n) for n in range(1, 4)] + [decision_data(9, item_type="未列入类型")]
    response = api.post(URL, batch, format="json")
    assert response.status_code == 201
    assert response.json()["created"] == 4 and response.json()["unrouted"] == 1
    bad = api.post(URL, [decision_data(5), decision_data(6, decided_on="昨天")], format="json")
    assert bad.status_code == 400
    body = bad.json()
    assert "未接收任何一条" in body["detail"]
    assert body["errors"] == [{"index": 2, "field": "decided_on", "field_label": "决定日期",
                               "message": "决定日期“昨天”不是有效日期，应写作 2026-04-09。"}]
    assert not Decision.objects.filter(number__in=["北审批〔2026〕5号", "北审批〔2026〕6号"]).exists()
    assert api.post(URL, ["不是对象"], format="json").json()["errors"][0]["message"] == \
        "每条审批决定须是一个对象（字段名和值）。"


def test_m14_2_api_reads_through_the_pages_scope_and_the_department_claims_and_feeds_back(district):
    district.route()
    district.receive(decision_data(1))
    decision = Decision.objects.get()
    health, market = _client(district.health_officer), _client(district.market_officer)
    assert health.get(URL).json()["count"] == 0
    assert health.get(f"{URL}{decision.pk}/").status_code == 404
    assert market.get(URL).json()["count"] == 1
    assert market.post(URL, decision_data(2), format="json").status_code == 403
    assert health.post(f"{URL}{decision.pk}/claim/").status_code == 404
    assert market.post(f"{URL}{decision.pk}/claim/").json()["status"] == DecisionStatus.CLAIMED
    case = make_case(district.market, actor=district.market_officer)
    fed = market.post(f"{URL}{decision.pk}/supervision/", {
        "inspected_on": decision.decided_on.isoformat(), "inspection": "现场检查", "result": "penalty",
        "findings": "超范围经营", "case": case.pk}, format="json")
    assert fed.status_code == 201, fed.content
    seen = _client(district.approver).get(f"{URL}{decision.pk}/").json()
    assert seen["status"] == DecisionStatus.FED_BACK
    assert seen["records"][0]["case_number"] == case.number
