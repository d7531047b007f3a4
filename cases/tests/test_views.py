"""Case pages on the shared layer: the list's filters and search, ID masking (M10.1 data
shown to the right people only), the case page (fields, deadline box, timeline, who acts
next), every POST of the pages — success and refusal —, the API, and the query count of
the list."""
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
from core.models import Event, Role
from core.testing import OrganizationFactory, justice_bureau, member, supervisor
from deadlines.models import Deadline, DeadlineState
from evidence.tests.factories import confirmed_evidence

pytestmark = pytest.mark.django_db

ID = "130304198805061234"
MASKED = "1303**********1234"


@pytest.fixture
def dept():
    return OrganizationFactory(name="北戴河区市场监督管理局", short_name="北市监")


@pytest.fixture
def case(dept):
    return make_case(dept, parties=[party_data(name="赵六", id_number=ID)])


@pytest.fixture
def officer(case):
    return case.officers.first()


def _body(response) -> str:
    return response.content.decode()


# --- the list -------------------------------------------------------------------------

def test_list_shows_only_visible_cases(client, dept, case):
    other = make_case(OrganizationFactory())
    client.force_login(case.officers.first())
    body = _body(client.get(reverse("cases:list")))
    assert case.number in body and other.number not in body


def test_list_filters_and_search(client, dept, case):
    inspection = make_case(dept, act_type="inspection", number="北市监检〔2026〕9号")
    client.force_login(supervisor())
    body = _body(client.get(reverse("cases:list"), {"act_type": "inspection"}))
    assert inspection.number in body and case.number not in body
    body = _body(client.get(reverse("cases:list"), {"q": "赵六"}))
    assert case.number in body and inspection.number not in body
    body = _body(client.get(reverse("cases:list"), {"q": ID}))
    assert case.number in body and inspection.number not in body
    body = _body(client.get(reverse("cases:list"), {"status": "closed"}))
    assert "没有符合条件的记录。" in body


@pytest.mark.parametrize("params, error", [
    ({"department": "999999"}, "选择一个有效的选项"),
    ({"filed_from": "2026-13-40"}, "输入一个有效的日期"),
    ({"filed_from": "2030-01-01", "filed_to": "2029-01-01"}, "立案日期的起始日期不能晚于截止日期"),
    ({"status": "nonsense"}, "选择一个有效的选项"),
])
def test_an_unreadable_filter_shows_its_error_and_no_rows(client, case, params, error):
    """The shared filter policy: never more rows than the filter asked for."""
    client.force_login(supervisor())
    body = _body(client.get(reverse("cases:list"), {**params, "act_type": "penalty"}))
    assert error in body and 'id="filter-unreadable"' in body
    assert case.number not in body and "没有符合条件的记录。" in body


def test_overdue_filter_uses_deadline_rows(client, dept, case):
    quiet = make_case(dept)
    Deadline.objects.create(
        target_type=ContentType.objects.get_for_model(EnforcementCase), target_id=str(case.pk),
        rule="publicity_licensing_penalty", responsible=dept, start=timezone.now() - dt.timedelta(days=20),
        due=timezone.now() - dt.timedelta(days=5), warn_at=timezone.now() - dt.timedelta(days=6),
        state=DeadlineState.OVERDUE)
    client.force_login(supervisor())
    body = _body(client.get(reverse("cases:list"), {"overdue": "on"}))
    assert case.number in body and quiet.number not in body


def test_register_button_and_export_link_follow_capabilities(client, case):
    client.force_login(case.officers.first())
    body = _body(client.get(reverse("cases:list"), {"act_type": "penalty"}))
    assert reverse("cases:register") in body
    assert 'href="?act_type=penalty&amp;export=xlsx"' in body
    client.force_login(member(Role.POLICE, OrganizationFactory()))
    body = _body(client.get(reverse("cases:list")))
    assert reverse("cases:register") not in body and "export=xlsx" not in body


def test_list_query_count_does_not_grow_with_page_size(client, dept, monkeypatch):
    """The list's queries are the same for 5 and 25 rows a page (the million-case budget):
    keys from the index, the page's rows in one query, nothing per row."""
    for _ in range(30):
        make_case(dept)
    client.force_login(supervisor())

    def count(size: int, page: int) -> int:
        monkeypatch.setattr(views.CaseList, "page_size", size)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("cases:list"), {"department": dept.pk, "page": page})
            assert response.status_code == 200
        assert response.content.decode().count("<tr><td><a href=") == size
        return len(ctx.captured_queries)

    assert count(5, 1) == count(25, 1) == count(5, 3)


def test_pagination_counts_within_a_window_and_clamps_old_links(client, dept, monkeypatch):
    """Part 5: the count reads at most LOOK_AHEAD_PAGES pages of keys; beyond that the
    page says "more than", and a page past the end shows the last page."""
    from cases.selectors import CasePaginator

    numbers = [make_case(dept).number for _ in range(7)]
    monkeypatch.setattr(views.CaseList, "page_size", 2)
    monkeypatch.setattr(CasePaginator, "LOOK_AHEAD_PAGES", 2)
    client.force_login(supervisor())
    body = _body(client.get(reverse("cases:list")))
    assert "第 1 页，超过 4 条" in body
    body = _body(client.get(reverse("cases:list"), {"page": 3}))
    assert "第 3 / 4 页，共 7 条" in body
    body = _body(client.get(reverse("cases:list"), {"page": 99}))
    assert "第 4 / 4 页，共 7 条" in body
    assert numbers[0] in body  # the oldest case is on the last page


def test_justice_bureau_sees_every_case(dept, case):
    from cases.selectors import case_list

    justice_bureau()
    assert case in case_list(supervisor(), {})


# --- the case page --------------------------------------------------------------------

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
    assert ID in _body(client.get(case.get_absolute_url()))
    client.force_login(bureau)
    assert ID in _body(client.get(case.get_absolute_url()))
    # An outsider cannot confirm a masked number by searching for it.
    assert not case_list(outsider, {"q": ID}).exists()


def test_case_of_another_department_is_404(client, case):
    client.force_login(member(Role.OFFICER, OrganizationFactory()))
    assert client.get(case.get_absolute_url()).status_code == 404


def test_case_and_party_addresses(case):
    party = case.parties.get()
    assert case.get_absolute_url() == reverse("cases:detail", args=[case.pk])
    assert party.get_absolute_url() == f"{case.get_absolute_url()}#parties"


def test_detail_shows_fields_timeline_and_this_users_buttons(client, dept, case, officer):
    client.force_login(officer)
    body = _body(client.get(case.get_absolute_url()))
    assert "销售过期食品。" in body and "承办人员" in body and "（执法证 13030" in body
    assert 'id="timeline"' in body and "登记案件" in body  # the audit event, by its label
    assert "summary" not in body and "act_type" not in body  # labels, never field names
    assert '<input type="hidden" name="target" value="investigating">' in body
    assert "开始调查取证" in body
    assert 'id="decide"' not in body  # only the head decides


def test_detail_says_who_acts_next_to_a_user_who_cannot(client, dept, case, officer):
    """Workflow.actions: a step the viewer may not take reads "待…" with its actor."""
    EnforcementCase.objects.filter(pk=case.pk).update(status=CaseStatus.INVESTIGATING)
    client.force_login(officer)
    body = _body(client.get(case.get_absolute_url()))
    assert "待本单位部门负责人作出决定" in body
    assert 'id="decide"' not in body
    head = member(Role.DEPARTMENT_HEAD, dept)
    client.force_login(head)
    body = _body(client.get(case.get_absolute_url()))
    assert 'id="decide"' in body and "待本单位部门负责人" not in body
    client.force_login(supervisor())  # the bureau sees the case, and who acts on it
    assert f"待{dept.name}部门负责人作出决定" in _body(client.get(case.get_absolute_url()))


def test_timeline_names_fields_and_parties_by_their_labels(client, dept, case, officer):
    from cases.services import party_add

    party_add(actor=officer, case=case, data=party_data(name="孙八"))
    client.force_login(officer)
    timeline = _body(client.get(case.get_absolute_url())).split('id="timeline"')[1]
    assert "添加当事人" in timeline and "当事人：孙八" in timeline
    assert "承办人员：" in timeline and "案情摘要：销售过期食品。" in timeline
    assert "parties" not in timeline and "officers" not in timeline


def test_a_due_at_midnight_reads_24_oclock_on_the_case_page(client, dept, case, officer):
    """The deadline box prints a due at 24:00 as that day's 24时, never the next 00:00."""
    due = dt.datetime(2026, 4, 10, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    Deadline.objects.create(
        target_type=ContentType.objects.get_for_model(EnforcementCase), target_id=str(case.pk),
        rule="publicity_licensing_penalty", responsible=dept, start=due - dt.timedelta(days=9),
        due=due, warn_at=due - dt.timedelta(days=1), state=DeadlineState.OPEN)
    client.force_login(officer)
    body = _body(client.get(case.get_absolute_url()))
    assert "2026年4月9日24时" in body and "4月10日 00:00" not in body


# --- registration and edits -----------------------------------------------------------

REGISTER = {
    "number": "北市监罚〔2026〕88号", "act_type": "penalty", "field": "market",
    "summary": "无证经营。", "discovered_at": "2026-01-05T09:30", "filed_on": "2026-01-06",
    "party-kind": "person", "party-name": "钱七", "party-id_number": "130304199001011111",
    "party-political_status": "cpc_member", "party-is_party_member": "on",
}


def test_register_form_registers_and_keeps_input_on_error(client, dept):
    officer = certified_officer(dept, real_name="王执法")
    uncertified = member(Role.OFFICER, dept, real_name="李协管")
    client.force_login(officer)
    form = {**REGISTER, "department": dept.pk, "officers": [officer.pk, uncertified.pk]}
    response = client.post(reverse("cases:register"), form)
    body = _body(response)
    assert response.status_code == 200 and "至少两名持有行政执法证件" in body
    assert "北市监罚〔2026〕88号" in body and "钱七" in body  # nothing typed is lost
    form["officers"] = [officer.pk, certified_officer(dept).pk]
    response = client.post(reverse("cases:register"), form, follow=True)
    case = EnforcementCase.objects.get(number="北市监罚〔2026〕88号")
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    assert "案件“北市监罚〔2026〕88号”已登记。" in _body(response)
    assert case.parties.get().is_party_member


def test_register_refusal_of_the_party_lands_on_the_party_field(client, dept):
    officer, second = certified_officer(dept), certified_officer(dept)
    client.force_login(officer)
    response = client.post(reverse("cases:register"), {
        **REGISTER, "department": dept.pk, "officers": [officer.pk, second.pk],
        "party-id_number": "12345"})
    body = _body(response)
    assert response.status_code == 200 and not EnforcementCase.objects.exists()
    error = body.index("身份证号应为 18 位")
    assert body.index('name="party-id_number"') < error  # under the party's ID, not on top
    assert 'value="北市监罚〔2026〕88号"' in body


def test_register_form_needs_the_capability_and_has_no_clause_codes(client, dept):
    client.force_login(member(Role.DEPARTMENT_HEAD, dept))
    assert client.get(reverse("cases:register")).status_code == 403
    client.force_login(certified_officer(dept))
    body = _body(client.get(reverse("cases:register")))
    assert "中共党员或国家公职人员的，须如实登记" in body
    assert "M10" not in body and "（M" not in body


def test_summary_longer_than_5000_characters_is_refused(client, dept):
    officer, second = certified_officer(dept), certified_officer(dept)
    client.force_login(officer)
    response = client.post(reverse("cases:register"), {
        **REGISTER, "department": dept.pk, "officers": [officer.pk, second.pk],
        "summary": "案" * 5001})
    assert response.status_code == 200 and "不超过 5000 字符" in _body(response)
    assert not EnforcementCase.objects.exists()


def test_edit_saves_and_refuses(client, dept, case, officer):
    url = reverse("cases:edit", args=[case.pk])
    client.force_login(officer)
    form = {"number": case.number, "act_type": "penalty", "field": "food_drug",
            "summary": "销售过期食品，已查扣。", "discovered_at": "2026-01-05T09:30",
            "filed_on": case.filed_on.isoformat(), "officers": [o.pk for o in case.officers.all()]}
    response = client.post(url, {**form, "filed_on": "2999-01-01"})
    assert "立案日期不能晚于今天" in _body(response) and "销售过期食品，已查扣。" in _body(response)
    response = client.post(url, form, follow=True)
    assert "案件信息已保存。" in _body(response)
    case.refresh_from_db()
    assert case.field == "food_drug"
    assert Event.objects.filter(verb="case.update", target_id=str(case.pk)).exists()
    client.force_login(member(Role.POLICE, dept))
    assert client.post(url, form).status_code == 403


def test_edit_of_a_closed_case_is_refused(client, dept, officer):
    closed = make_case(dept, actor=officer, status=CaseStatus.CLOSED)
    client.force_login(officer)
    assert client.get(reverse("cases:edit", args=[closed.pk])).status_code == 403
    body = _body(client.get(closed.get_absolute_url()))
    assert reverse("cases:edit", args=[closed.pk]) not in body
    assert reverse("cases:party_add", args=[closed.pk]) not in body


# --- parties --------------------------------------------------------------------------

def test_party_add_succeeds_and_refuses(client, dept, case, officer):
    url = reverse("cases:party_add", args=[case.pk])
    client.force_login(officer)
    response = client.post(url, {
        "kind": "person", "name": "孙八", "id_number": "130304199001012222", "employer": "某街道办",
        "post": "科员", "is_state_functionary": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{case.get_absolute_url()}#parties"
    assert "已添加当事人“孙八”。" in _body(response)
    assert case.parties.get(name="孙八").is_state_functionary  # M10.2
    response = client.post(url, {"kind": "organization", "name": "某公司", "id_number": "91130304MA0A12345X",
                                 "is_party_member": "on"})
    assert "法人或其他组织不能标记为中共党员" in _body(response) and 'value="某公司"' in _body(response)
    assert not case.parties.filter(name="某公司").exists()


def test_party_edit_succeeds_and_refuses(client, dept, case, officer):
    party = case.parties.get()
    url = reverse("cases:party_edit", args=[party.pk])
    client.force_login(officer)
    response = client.post(url, {"kind": "person", "name": "赵六", "id_number": "bad"})
    assert "身份证号应为 18 位" in _body(response)
    response = client.post(url, {"kind": "person", "name": "赵六", "id_number": ID,
                                 "employer": "某局", "post": "科长"}, follow=True)
    assert "当事人信息已保存。" in _body(response)
    party.refresh_from_db()
    assert party.employer == "某局"
    client.force_login(member(Role.OFFICER, OrganizationFactory()))
    assert client.post(url, {"kind": "person", "name": "x", "id_number": ID}).status_code == 404


def test_party_remove_succeeds_and_refuses(client, dept, case, officer):
    party = case.parties.get()
    client.force_login(officer)
    closed = make_case(dept, actor=officer, status=CaseStatus.CLOSED)
    kept = closed.parties.get()
    response = client.post(reverse("cases:party_remove", args=[kept.pk]), follow=True)
    assert "案件已结案，不能再修改。" in _body(response)
    assert closed.parties.filter(pk=kept.pk).exists()
    response = client.post(reverse("cases:party_remove", args=[party.pk]), follow=True)
    assert "已删除当事人“赵六”。" in _body(response)
    assert not case.parties.exists()
    assert client.get(reverse("cases:party_remove", args=[kept.pk])).status_code == 405


# --- workflow steps, decision, publicity ----------------------------------------------

def test_transition_succeeds_and_refuses(client, dept, case, officer):
    client.force_login(officer)
    url = reverse("cases:transition", args=[case.pk])
    response = client.post(url, {"target": "closed"}, follow=True)
    assert "不能变更为“结案”" in _body(response)
    response = client.post(url, {"target": "investigating"}, follow=True)
    assert "已开始调查取证。" in _body(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING
    response = client.post(url, {"target": "legal_review"}, follow=True)
    assert "已提交法制审核。" in _body(response)
    # 退回 is the legal officers' step and needs a reason.
    response = client.post(url, {"target": "investigating", "note": "补充询问笔录"}, follow=True)
    assert "您没有“法制审核”的权限" in _body(response)
    client.force_login(member(Role.LEGAL_OFFICER, dept))
    response = client.post(url, {"target": "investigating"}, follow=True)
    assert "须填写理由" in _body(response)
    response = client.post(url, {"target": "investigating", "note": "补充询问笔录"}, follow=True)
    assert "已退回补充调查。" in _body(response)


def test_decision_succeeds_and_refuses(client, dept, case, officer):
    head = member(Role.DEPARTMENT_HEAD, dept)
    url = reverse("cases:decision", args=[case.pk])
    client.force_login(head)
    assert client.get(url).status_code == 403  # 立案: no step to 决定 yet
    EnforcementCase.objects.filter(pk=case.pk).update(status=CaseStatus.INVESTIGATING)
    case.refresh_from_db()
    confirmed_evidence(case, officer)  # M13: a penalty is decided on evidence
    client.force_login(officer)
    assert client.get(url).status_code == 403  # heads decide
    client.force_login(head)
    today = timezone.localdate()
    response = client.post(url, {"decision_date": (today + dt.timedelta(days=1)).isoformat(),
                                 "decision_summary": "罚款三千元"})
    assert "决定日期不能晚于今天" in _body(response) and "罚款三千元" in _body(response)
    response = client.post(url, {"decision_date": today.isoformat(),
                                 "decision_summary": "罚款三千元", "penalty_amount": "3000"}, follow=True)
    assert "处理决定已记录，公示期限已开始计算。" in _body(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.decision_summary == "罚款三千元"


def test_publicity_succeeds_and_refuses(client, dept, case, officer):
    url = reverse("cases:publicity", args=[case.pk])
    client.force_login(officer)
    assert client.get(url).status_code == 403  # no decision yet
    EnforcementCase.objects.filter(pk=case.pk).update(status=CaseStatus.INVESTIGATING)
    from cases.services import case_record_decision

    today = timezone.localdate()
    case.refresh_from_db()
    confirmed_evidence(case, officer)  # M13
    case_record_decision(actor=member(Role.DEPARTMENT_HEAD, dept), case=case, decision_date=today,
                         decision_summary="罚款三千元")
    body = _body(client.get(url))
    assert 'id="publicity-deadline"' in body and "24时前" in body
    response = client.post(url, {"published_on": (today - dt.timedelta(days=30)).isoformat(),
                                 "publicity_channel": "district_column"})
    assert "公示日期不能早于决定日期" in _body(response)
    response = client.post(url, {"published_on": today.isoformat(),
                                 "publicity_channel": "district_column"}, follow=True)
    body = _body(response)
    assert "公示情况已登记。" in body and "按期完成" in body
    client.force_login(member(Role.DEPARTMENT_HEAD, OrganizationFactory()))
    assert client.post(url, {"published_on": today.isoformat(),
                             "publicity_channel": "district_column"}).status_code == 404


def test_a_post_sent_twice_with_one_key_is_done_once(client, dept, case, officer):
    """The one-time key of every case form: a retried submit adds one party, not two."""
    client.force_login(officer)
    key = "0b0a5c36-9f8e-4c9b-8f58-2a4c7f3f0c11"
    data = {"kind": "person", "name": "孙八", "id_number": "130304199001012222", "_submission": key}
    client.post(reverse("cases:party_add", args=[case.pk]), data)
    response = client.post(reverse("cases:party_add", args=[case.pk]), data, follow=True)
    assert "该表单已经提交过，未重复办理。" in _body(response)
    assert case.parties.filter(name="孙八").count() == 1


# --- the API --------------------------------------------------------------------------

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
    payload = {
        "department": dept.pk, "number": "API-1", "act_type": "penalty", "field": "market",
        "summary": "经营超过保质期的食品。", "discovered_at": "2026-01-05T09:30:00+08:00",
        "filed_on": "2026-01-06", "officers": [officer.pk, second.pk],
        "parties": [party_data(id_number="130304199001013333")]}
    response = client.post("/api/v1/cases/", {**payload, "summary": "案" * 5001},
                           content_type="application/json")
    assert response.status_code == 400 and "5000" in response.content.decode()
    response = client.post("/api/v1/cases/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = client.post(f"/api/v1/cases/{pk}/transition/", {"target": "closed"},
                           content_type="application/json")
    assert response.status_code == 400 and "不能变更为“结案”" in response.content.decode()
    response = client.post(f"/api/v1/cases/{pk}/transition/", {"target": "investigating"},
                           content_type="application/json")
    assert response.json()["status"] == "investigating"
