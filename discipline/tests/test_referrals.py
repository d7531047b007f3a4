"""Discipline referral (M10): opened by closing a penalty case on a party member or state
functionary, sent within 10 working days of closure signed, sealed and with the penalty
decision, acknowledged by the commission; overdue or late referrals are the justice
bureau's accountability leads (M10.4)."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import ActType, CaseStatus
from cases.services import case_transition
from core import policy
from core.models import Organization, OrgKind, Role
from core.testing import assert_audited, member, supervisor
from deadlines.calendar import add_working_days, end_of_day
from deadlines.models import Deadline, DeadlineState, Notification
from deadlines.sweep import sweep
from discipline import services
from discipline.models import DisciplineReferral, ReferralStatus
from evidence.tests.factories import PNG, CaseFactory, PartyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commission():
    return Organization.objects.create(name="北戴河区纪委监委", short_name="北纪",
                                       kind=OrgKind.DISCIPLINE)


@pytest.fixture
def case():
    case = CaseFactory(status=CaseStatus.EXECUTING, decision_summary="罚款五千元",
                       penalty_amount=5000)
    case.decision_date = case.filed_on
    case.save()
    PartyFactory(case=case, name="张某", is_party_member=True, is_state_functionary=True)
    return case


@pytest.fixture
def head(case):
    return member(Role.DEPARTMENT_HEAD, case.department)


@pytest.fixture
def officer(case):
    return member(Role.OFFICER, case.department)


def close(case, head) -> DisciplineReferral | None:
    case_transition(case=case, target=CaseStatus.CLOSED, actor=head)
    return DisciplineReferral.objects.filter(case=case).first()


def test_m10_3_closing_a_penalty_on_a_party_member_opens_a_referral_due_in_10_working_days(case, head):
    with assert_audited("referral.open"):
        referral = close(case, head)
    assert referral.status == ReferralStatus.DRAFTING
    assert [p.name for p in referral.parties.all()] == ["张某"]
    deadline = Deadline.objects.get(rule="discipline_referral", target_id=str(referral.pk))
    assert deadline.responsible == case.department
    expected = add_working_days(timezone.localdate(), 10).date
    assert deadline.due == end_of_day(expected)
    assert Notification.objects.filter(recipient=head, subject__contains="违纪线索").exists()


@pytest.mark.parametrize("change", ["not_penalty", "no_flag"])
def test_m10_3_no_referral_without_a_penalty_on_a_flagged_person(case, head, change):
    if change == "not_penalty":
        case.act_type = ActType.COERCION
        case.save()
    else:
        case.parties.update(is_party_member=False, is_state_functionary=False)
    assert close(case, head) is None


def test_m10_3_one_referral_per_case_counted_from_the_recorded_closing_date(case, head):
    """A closure recorded later still counts from its closing date; a case never gets two."""
    case.status, case.closed_on = CaseStatus.CLOSED, case.filed_on
    case.save()
    with assert_audited("referral.open"):
        referral = services.referral_open(case=case, actor=head)
    deadline = Deadline.objects.get(rule="discipline_referral", target_id=str(referral.pk))
    assert deadline.due == end_of_day(add_working_days(case.filed_on, 10).date)
    assert services.referral_open(case=case, actor=head) is None
    assert DisciplineReferral.objects.filter(case=case).count() == 1


def test_m10_3_the_leads_are_signed_sealed_sent_with_the_decision_and_acknowledged(
        case, head, officer, commission):
    referral = close(case, head)
    with assert_audited("referral.write", referral):
        services.referral_write(actor=officer, referral=referral, commission=commission,
                                leads="张某系街道办事处科员，经营超市销售过期食品。")
    with assert_audited("discipline.disciplinereferral.transition", referral):
        services.referral_submit(actor=officer, referral=referral)
    with pytest.raises(PermissionDenied):
        services.referral_sign(actor=officer, referral=referral)  # only the head signs
    with assert_audited("discipline.disciplinereferral.transition", referral):
        services.referral_return(actor=head, referral=referral, note="请补充工作单位和职务")
    services.referral_submit(actor=officer, referral=referral)
    with assert_audited("discipline.disciplinereferral.transition", referral):
        services.referral_sign(actor=head, referral=referral)
    referral.refresh_from_db()
    assert referral.signed_by == head and referral.signed_at is not None
    with pytest.raises(ValidationError) as refused:
        services.referral_deliver(actor=head, referral=referral)
    assert refused.value.messages == ["尚未确认加盖单位公章。", "尚未附行政处罚决定书。"]
    with assert_audited("referral.seal", referral):
        services.referral_confirm_seal(actor=officer, referral=referral)
    with assert_audited("referral.decision", referral):
        services.referral_attach_decision(actor=officer, referral=referral,
                                          fileobj=io.BytesIO(PNG), name="处罚决定书.png",
                                          size=len(PNG))
    jw = member(Role.DISCIPLINE, commission)
    with pytest.raises(Http404):  # not delivered yet: the commission does not see it
        policy.access(jw, DisciplineReferral, referral.pk)
    with assert_audited("document.issue"):
        services.referral_deliver(actor=head, referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DELIVERED
    assert referral.letter_number.startswith(f"{case.department.short_name}纪移〔")
    deadline = Deadline.objects.get(rule="discipline_referral", target_id=str(referral.pk))
    assert deadline.state == DeadlineState.MET and not deadline.is_late
    assert Notification.objects.filter(recipient=jw, subject__contains="请签收").exists()
    seen = policy.access(jw, DisciplineReferral, referral.pk)
    assert policy.access(jw, type(referral.penalty_decision), referral.penalty_decision_id)
    with pytest.raises(PermissionDenied):
        services.referral_acknowledge(actor=member(Role.DISCIPLINE), referral=seen)
    with assert_audited("discipline.disciplinereferral.transition", referral):
        services.referral_acknowledge(actor=jw, referral=seen)
    seen.refresh_from_db()
    assert seen.status == ReferralStatus.ACKNOWLEDGED and seen.acknowledged_by == jw


def test_m10_no_matter_needs_a_reason_and_the_justice_bureau_sees_it(case, head, client):
    referral = close(case, head)
    with pytest.raises(ValidationError):
        services.referral_close_no_matter(actor=head, referral=referral, reason=" ")
    with assert_audited("discipline.disciplinereferral.transition", referral):
        services.referral_close_no_matter(actor=head, referral=referral,
                                          reason="张某已于2026年退休，非在职公职人员，经核实无违纪事实。")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NO_MATTER
    assert Deadline.objects.get(target_id=str(referral.pk), rule="discipline_referral").state \
        == DeadlineState.MET
    client.force_login(supervisor())
    page = client.get("/discipline/accountability/").content.decode()
    assert "张某已于2026年退休" in page


def test_m10_4_an_overdue_referral_escalates_and_is_an_accountability_lead(case, head, client):
    referral = close(case, head)
    deadline = Deadline.objects.get(target_id=str(referral.pk), rule="discipline_referral")
    sweep(now=deadline.due + dt.timedelta(minutes=1))
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.OVERDUE
    bureau = supervisor()
    assert Notification.objects.filter(recipient=bureau).exists() or deadline.escalation_level
    client.force_login(bureau)
    page = client.get("/discipline/accountability/").content.decode()
    assert case.number in page and "已逾期" in page
    client.force_login(head)
    assert client.get("/discipline/accountability/").status_code == 403


def test_referral_is_hidden_from_other_units(case, head, client):
    referral = close(case, head)
    client.force_login(member(Role.DEPARTMENT_HEAD))
    assert client.get(f"/discipline/{referral.pk}/").status_code == 404
    client.force_login(head)
    page = client.get(f"/discipline/{referral.pk}/").content.decode()
    assert "保存线索" in page
    assert "经研判无违纪线索的理由" in page
    api = APIClient()
    api.force_authenticate(member(Role.DISCIPLINE))
    assert api.get("/api/v1/discipline/").data["count"] == 0
    api.force_authenticate(head)
    data = api.get("/api/v1/discipline/").data
    assert data["count"] == 1 and data["results"][0]["due"] is not None


def test_referral_pages_take_each_step(case, head, officer, commission, client):
    """The page flow: write, submit, sign, seal, attach, deliver (M10.3) — the workflow's
    buttons through one TransitionView, the other writes as their own actions."""
    referral = close(case, head)
    url = f"/discipline/{referral.pk}/"
    client.force_login(officer)
    client.post(f"{url}leads/", {"leads": "线索内容", "commission": commission.pk})
    client.post(f"{url}decision/", {"file": SimpleUploadedFile("决定书.png", PNG, "image/png")})
    client.post(f"{url}transition/", {"target": ReferralStatus.SIGNING})
    client.force_login(head)
    client.post(f"{url}transition/", {"target": ReferralStatus.SIGNED})
    client.post(f"{url}seal/")
    response = client.post(f"{url}transition/", {"target": ReferralStatus.DELIVERED}, follow=True)
    assert "已签发移送函并送达纪检监察机关。" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DELIVERED
    assert "没有这个办理步骤。" in client.post(f"{url}transition/", {"target": "nonsense"},
                                     follow=True).content.decode()


def test_the_leads_form_keeps_what_was_typed_when_refused(case, head, officer, client):
    referral = close(case, head)
    client.force_login(officer)
    too_long = "线" * 5001
    page = client.post(f"/discipline/{referral.pk}/leads/", {"leads": too_long}).content.decode()
    assert "不超过 5000 字符" in page and too_long in page
    referral.refresh_from_db()
    assert referral.leads == ""
    client.force_login(member(Role.DEPARTMENT_HEAD))  # another unit: not found
    assert client.post(f"/discipline/{referral.pk}/leads/", {"leads": "x"}).status_code == 404


def test_each_write_is_refused_on_the_page_when_its_predicate_says_no(case, head, officer,
                                                                      commission, client):
    """may_write_leads, may_attach_decision, may_confirm_seal: the page hides the form and
    the service refuses, from the same rule."""
    referral = close(case, head)
    url = f"/discipline/{referral.pk}/"
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert "保存线索" in page and "确认已加盖公章" not in page
    response = client.post(f"{url}seal/", follow=True)
    assert "移送当前状态为“待撰写线索”，不能进行此操作。" in response.content.decode()
    services.referral_write(actor=officer, referral=referral, leads="线索", commission=commission)
    services.referral_submit(actor=officer, referral=referral)
    page = client.get(url).content.decode()
    assert "保存线索" not in page and "待本单位部门负责人退回修改或负责人签字" in page
    response = client.post(f"{url}leads/", {"leads": "改写"})
    assert response.status_code == 403
    discipline_member = member(Role.DISCIPLINE, commission)
    client.force_login(discipline_member)
    assert client.post(f"{url}decision/", {
        "file": SimpleUploadedFile("决定书.png", PNG, "image/png")}).status_code == 404
    client.force_login(head)
    response = client.post(f"{url}decision/", {}, follow=True)
    assert "请选择行政处罚决定书文件。" in response.content.decode()


def test_referral_list_filters_searches_and_exports(case, head, client):
    referral = close(case, head)
    client.force_login(head)
    assert case.number in client.get("/discipline/", {"q": "张某"}).content.decode()
    assert case.number not in client.get("/discipline/", {"q": "李四"}).content.decode()
    page = client.get("/discipline/", {"status": "nonsense"}).content.decode()
    assert "筛选条件有误" in page and case.number not in page
    response = client.get("/discipline/", {"status": ReferralStatus.DRAFTING, "export": "xlsx"})
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
                .iter_rows(values_only=True))
    assert rows[0][0] == "案件编号" and rows[1][0] == case.number
    assert referral.get_absolute_url() in client.get("/discipline/").content.decode()


def test_m10_4_accountability_leads_page_filters_by_ground_and_links_to_the_referral(
        case, head, client):
    referral = close(case, head)
    services.referral_close_no_matter(actor=head, referral=referral, reason="经核实无违纪事实。")
    client.force_login(supervisor())
    page = client.get("/discipline/accountability/").content.decode()
    assert "经研判无违纪线索：经核实无违纪事实。" in page
    assert f'href="{referral.get_absolute_url()}"' in page
    assert case.number not in client.get("/discipline/accountability/",
                                         {"ground": "late"}).content.decode()
    response = client.get("/discipline/accountability/", {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_referral_transition_goes_through_each_service(case, head, commission):
    referral = close(case, head)
    services.referral_write(actor=head, referral=referral, leads="线索", commission=commission)
    with assert_audited("discipline.disciplinereferral.transition", referral):
        services.referral_transition(actor=head, referral=referral, target=ReferralStatus.SIGNING)
    with pytest.raises(ValidationError):
        services.referral_transition(actor=head, referral=referral, target="nonsense")
    services.referral_transition(actor=head, referral=referral, target=ReferralStatus.DRAFTING,
                                 note="补充证据")
    assert referral.status == ReferralStatus.DRAFTING


def test_m10_1_m10_2_political_status_party_member_alone_opens_a_referral(head):
    """M10.1–M10.2: a party registered 政治面貌 中共党员 without the second tick is a party
    member: the status fills the flag, and closing the penalty opens the referral."""
    from cases.services import party_add
    from cases.testing import party_data

    case = CaseFactory(status=CaseStatus.EXECUTING)
    case_head = member(Role.DEPARTMENT_HEAD, case.department)
    party = party_add(actor=case_head, case=case, data=party_data(
        name="赵某", political_status="cpc_member", is_party_member=False))
    assert party.is_party_member
    referral = close(case, case_head)
    assert referral is not None and [p.name for p in referral.parties.all()] == ["赵某"]


def test_m10_2_a_contradictory_party_registration_is_refused_and_a_flag_fills_the_status(head):
    from cases.services import party_add
    from cases.testing import party_data

    case = CaseFactory()
    case_head = member(Role.DEPARTMENT_HEAD, case.department)
    with pytest.raises(ValidationError) as refused:
        party_add(actor=case_head, case=case, data=party_data(political_status="masses",
                                                              is_party_member=True))
    assert "政治面貌与“中共党员”不一致" in str(refused.value)
    party = party_add(actor=case_head, case=case, data=party_data(is_party_member=True))
    assert party.political_status == "cpc_member"


def test_m10_existing_rows_are_migrated_so_either_signal_counts(case):
    """The migration: status 中共党员 gets the flag; the flag gets the status."""
    import importlib

    from django.apps import apps

    from cases.models import Party

    by_status = PartyFactory(case=case, name="甲", political_status="cpc_probationary",
                             is_party_member=False)
    by_flag = PartyFactory(case=case, name="乙", political_status="masses", is_party_member=True)
    migration = importlib.import_module("cases.migrations.0005_party_member_either_signal")
    migration.either_signal_counts(apps, None)
    assert Party.objects.get(pk=by_status.pk).is_party_member
    assert Party.objects.get(pk=by_flag.pk).political_status == "cpc_member"
    assert Party.objects.get(pk=by_status.pk).needs_discipline_check


def test_m10_3_the_act_type_of_a_decided_case_cannot_be_changed_to_avoid_the_referral(case, head):
    from cases.services import case_update

    with pytest.raises(ValidationError) as refused:
        case_update(actor=head, case=case, data={"act_type": ActType.COERCION})
    assert "案件已作出决定，不能再变更行为类别" in str(refused.value)
    case.refresh_from_db()
    assert case.act_type == ActType.PENALTY
    assert close(case, head) is not None
