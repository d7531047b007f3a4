"""Case pages: list filters and search, ID masking (M10.1 data shown to the right
people only), detail timeline, the forms, and the query count of the list."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import views
from cases.models import CaseStatus, EnforcementCase
from cases.testing import certified_officer, make_case, party_data
from core.models import Role
from core.testing import OrganizationFactory, justice_bureau, member, supervisor
from deadlines.models import Deadline, DeadlineState

pytestmark = pytest.mark.django_db

ID = "130304198805061234"
MASKED = "1303**********1234"


@pytest.fixture
def dept():
    return OrganizationFactory(name="北戴河区市场监督管理局", short_name="北市监")


@pytest.fixture
def case(dept):
    return make_case(dept, parties=[party_data(name="赵六", id_number=ID)])


def test_list_shows_only_visible_cases(client, dept, case):
    other = make_case(OrganizationFactory())
    client.force_login(case.officers.first())
    response = client.get(reverse("cases:list"))
    assert case.number in response.content.decode()
    assert other.number not in response.content.decode()


def test_list_filters_and_search(client, dept, case):
    inspection = make_case(dept, act_type="inspection", number="北市监检〔2026〕9号")
    client.force_login(supervisor())
    body = client.get(reverse("cases:list"), {"act_type": "inspection"}).content.decode()
    assert inspection.number in body and case.number not in body
    body = client.get(reverse("cases:list"), {"q": "赵六"}).content.decode()
    assert case.number in body and inspection.number not in body
    body = client.get(reverse("cases:list"), {"q": ID}).content.decode()
    assert case.number in body and inspection.number not in body
    body = client.get(reverse("cases:list"), {"status": "closed"}).content.decode()
    assert "没有符合条件的案件" in body
    body = client.get(reverse("cases:list"), {"filed_from": "2030-01-01", "filed_to": "2029-01-01"}).content.decode()
    assert "立案日期的起始日期不能晚于截止日期" in body


def test_overdue_filter_uses_deadline_rows(client, dept, case):
    quiet = make_case(dept)
    Deadline.objects.create(
        target_type=ContentType.objects.get_for_model(EnforcementCase), target_id=str(case.pk),
        rule="publicity_licensing_penalty", responsible=dept, start=timezone.now() - dt.timedelta(days=20),
        due=timezone.now() - dt.timedelta(days=5), warn_at=timezone.now() - dt.timedelta(days=6),
        state=DeadlineState.OVERDUE)
    client.force_login(supervisor())
    body = client.get(reverse("cases:list"), {"overdue": "on"}).content.decode()
    assert case.number in body and quiet.number not in body


def test_party_id_masked_outside_own_department_and_bureau(client, dept, case):
    """IDs are shown whole only to the case's department and the justice bureau."""
    from cases.selectors import case_list, party_id_for

    party = case.parties.get()
    own = case.officers.first()
    bureau = supervisor()
    outsider = member(Role.OFFICER, OrganizationFactory())
    assert party_id_for(own, party) == ID
    assert party_id_for(bureau, party) == ID
    assert party_id_for(outsider, party) == MASKED
    client.force_login(own)
    assert ID in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    client.force_login(bureau)
    assert ID in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    # An outsider cannot confirm a masked number by searching for it.
    assert not case_list(outsider, {"q": ID}).exists()


def test_case_of_another_department_is_404(client, case):
    client.force_login(member(Role.OFFICER, OrganizationFactory()))
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_detail_shows_timeline_buttons_and_blockers(client, dept, case):
    client.force_login(case.officers.first())
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "登记案件" in body  # the audit event in the timeline
    assert "开始调查取证" in body  # the transition this officer may take
    assert reverse("cases:decision", args=[case.pk]) not in body  # only the head decides


def test_register_form_registers_and_keeps_input_on_error(client, dept):
    officer = certified_officer(dept, real_name="王执法")
    uncertified = member(Role.OFFICER, dept, real_name="李协管")
    client.force_login(officer)
    form = {
        "department": dept.pk, "number": "北市监罚〔2026〕88号", "act_type": "penalty", "field": "market",
        "summary": "无证经营。", "discovered_at": "2026-01-05T09:30", "filed_on": "2026-01-06",
        "officers": [officer.pk, uncertified.pk],
        "party-kind": "person", "party-name": "钱七", "party-id_number": "130304199001011111",
        "party-political_status": "cpc_member", "party-is_party_member": "on",
    }
    response = client.post(reverse("cases:register"), form)
    body = response.content.decode()
    assert response.status_code == 200 and "至少两名持有行政执法证件" in body
    assert "北市监罚〔2026〕88号" in body and "钱七" in body  # nothing typed is lost
    form["officers"] = [officer.pk, certified_officer(dept).pk]
    response = client.post(reverse("cases:register"), form)
    case = EnforcementCase.objects.get(number="北市监罚〔2026〕88号")
    assert response.url == reverse("cases:detail", args=[case.pk])
    assert case.parties.get().is_party_member


def test_transition_button_and_refusal_message(client, dept, case):
    client.force_login(case.officers.first())
    url = reverse("cases:transition", args=[case.pk])
    response = client.post(url, {"target": "investigating"}, follow=True)
    assert "案件状态已变更为“调查取证”" in response.content.decode()
    response = client.post(url, {"target": "closed"}, follow=True)
    assert "不能变更为“结案”" in response.content.decode()


def test_decision_and_publicity_forms(client, dept, case):
    head = member(Role.DEPARTMENT_HEAD, dept)
    EnforcementCase.objects.filter(pk=case.pk).update(status=CaseStatus.INVESTIGATING)
    client.force_login(case.officers.first())
    assert client.get(reverse("cases:decision", args=[case.pk])).status_code == 403  # heads decide
    client.force_login(head)
    today = timezone.localdate().isoformat()
    response = client.post(reverse("cases:decision", args=[case.pk]),
                           {"decision_date": today, "decision_summary": "罚款三千元", "penalty_amount": "3000"})
    assert response.status_code == 302
    client.force_login(case.officers.first())
    response = client.post(reverse("cases:publicity", args=[case.pk]),
                           {"published_on": today, "publicity_channel": "district_column"}, follow=True)
    body = response.content.decode()
    assert "公示情况已登记" in body and "按期完成" in body


def test_party_forms(client, dept, case):
    client.force_login(case.officers.first())
    response = client.post(reverse("cases:party_add", args=[case.pk]), {
        "kind": "person", "name": "孙八", "id_number": "130304199001012222", "employer": "某街道办",
        "post": "科员", "is_state_functionary": "on"})
    assert response.status_code == 302
    party = case.parties.get(name="孙八")
    assert party.is_state_functionary  # M10.2
    response = client.post(reverse("cases:party_edit", args=[party.pk]), {
        "kind": "person", "name": "孙八", "id_number": "bad", "employer": "某街道办"})
    assert "身份证号应为 18 位" in response.content.decode()
    client.post(reverse("cases:party_remove", args=[party.pk]))
    assert not case.parties.filter(name="孙八").exists()


def test_list_query_count_does_not_grow_with_page_size(client, dept, monkeypatch):
    for _ in range(30):
        make_case(dept)
    client.force_login(supervisor())

    def count(size: int) -> int:
        monkeypatch.setattr(views, "PAGE_SIZE", size)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cases:list"), {"department": dept.pk}).status_code == 200
        return len(ctx.captured_queries)

    assert count(5) == count(25)


def test_api_masks_and_filters(client, dept, case):
    outsider_dept = OrganizationFactory()
    outsider = member(Role.OFFICER, outsider_dept)
    client.force_login(supervisor())
    data = client.get("/api/v1/cases/", {"status": "filed"}).json()
    assert data["results"][0]["parties"][0]["id_number"] == ID
    assert client.get("/api/v1/cases/", {"status": "closed"}).json()["count"] == 0
    client.force_login(outsider)
    assert client.get("/api/v1/cases/").json()["count"] == 0
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    # Visible through another scope (a transfer, say), the ID stays masked for an outsider.
    from cases.api import PartySerializer
    from rest_framework.test import APIRequestFactory

    request = APIRequestFactory().get("/")
    request.user = outsider
    assert PartySerializer(case.parties.get(), context={"request": request}).data["id_number"] == MASKED


def test_api_registers_and_transitions_through_services(client, dept):
    officer, second = certified_officer(dept), certified_officer(dept)
    client.force_login(officer)
    response = client.post("/api/v1/cases/", {
        "department": dept.pk, "number": "API-1", "act_type": "penalty", "field": "market",
        "summary": "经营超过保质期的食品。", "discovered_at": "2026-01-05T09:30:00+08:00",
        "filed_on": "2026-01-06", "officers": [officer.pk, second.pk],
        "parties": [party_data(id_number="130304199001013333")]}, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.post(f"/api/v1/cases/{pk}/transition/", {"target": "closed"},
                           content_type="application/json")
    assert response.status_code == 400 and "不能变更为“结案”" in response.content.decode()
    response = client.post(f"/api/v1/cases/{pk}/transition/", {"target": "investigating"},
                           content_type="application/json")
    assert response.json()["status"] == "investigating"


def test_justice_bureau_sees_every_case(dept, case):
    from cases.selectors import case_list

    justice_bureau()
    assert case in case_list(supervisor(), {})


def test_pagination_counts_within_a_window_and_clamps_old_links(client, dept, monkeypatch):
    """Part 5: the count reads at most LOOK_AHEAD_PAGES pages of keys; beyond that the
    page says "more than", and a page past the end shows the last page."""
    from cases.selectors import CasePaginator

    numbers = [make_case(dept).number for _ in range(7)]
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(CasePaginator, "LOOK_AHEAD_PAGES", 2)
    client.force_login(supervisor())
    body = client.get(reverse("cases:list")).content.decode()
    assert "第 1 页，超过 4 条" in body
    body = client.get(reverse("cases:list"), {"page": 3}).content.decode()
    assert "第 3 页 / 共 4 页，7 条" in body
    body = client.get(reverse("cases:list"), {"page": 99}).content.decode()
    assert "第 4 页 / 共 4 页，7 条" in body
    assert numbers[0] in body  # the oldest case is on the last page
