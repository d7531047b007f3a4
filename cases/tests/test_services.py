"""The case services and the case workflow (core.workflow through CASE_WORKFLOW)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import services
from cases.models import ActType, CaseStatus, EnforcementCase, Party, PublicityChannel
from cases.testing import certified_officer, make_case, party_data
from core.models import Role
from core.testing import OrganizationFactory, assert_audited, member
from core.workflow import TransitionConflict, TransitionNotAllowed
from deadlines.calendar import end_of_day
from deadlines.models import Deadline, DeadlineState
from evidence.tests.factories import confirmed_evidence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def dept():
    return OrganizationFactory(name="北戴河区市场监督管理局", short_name="北市监")


@pytest.fixture
def head(dept):
    return member(Role.DEPARTMENT_HEAD, dept)


def _register(dept, officers, **overrides):
    data = dict(number="北市监罚〔2026〕1号", act_type=ActType.PENALTY, field="market",
                summary="销售过期食品。", discovered_at=timezone.now() - dt.timedelta(days=2),
                filed_on=timezone.localdate(), officers=officers, parties=[party_data()])
    data.update(overrides)
    return services.case_register(actor=officers[0], department=dept, **data)


def test_case_register_stores_case_officers_and_parties(dept):
    officers = [certified_officer(dept), certified_officer(dept)]
    with assert_audited("case.register"):
        case = services.case_register(
            actor=officers[0], department=dept, number="北市监罚〔2026〕1号", act_type=ActType.PENALTY,
            field="market", summary="销售过期食品。", discovered_at=timezone.now() - dt.timedelta(days=2),
            filed_on=timezone.localdate(), officers=officers,
            parties=[party_data(name="李四", is_party_member=True)])
    assert case.status == CaseStatus.FILED
    assert set(case.officers.all()) == set(officers)
    party = case.parties.get()
    assert party.name == "李四" and party.is_party_member  # M10.2


def test_penalty_case_needs_two_certified_officers(dept):
    """行政处罚法 art. 42: a penalty is enforced by at least two certified officers."""
    uncertified = member(Role.OFFICER, dept)
    with pytest.raises(ValidationError) as err:
        _register(dept, [certified_officer(dept), uncertified])
    assert "至少两名持有行政执法证件" in str(err.value)
    assert not EnforcementCase.objects.exists()
    # Other act types need one officer.
    case = _register(dept, [uncertified], act_type=ActType.INSPECTION, number="检1")
    assert case.pk


def test_officers_must_belong_to_the_department(dept):
    outsider = certified_officer(OrganizationFactory())
    with pytest.raises(ValidationError) as err:
        _register(dept, [certified_officer(dept), outsider])
    assert "不是北戴河区市场监督管理局的在职人员" in str(err.value)


def test_case_number_unique_per_department(dept):
    officers = [certified_officer(dept), certified_officer(dept)]
    _register(dept, officers)
    with pytest.raises(ValidationError) as err:
        _register(dept, officers)
    assert "已有编号为" in str(err.value)
    other = OrganizationFactory()
    assert _register(other, [certified_officer(other), certified_officer(other)]).pk


def test_register_needs_capability(dept):
    with pytest.raises(PermissionDenied) as err:
        services.case_register(
            actor=member(Role.SUPERVISOR, OrganizationFactory()), department=dept, number="1",
            act_type=ActType.INSPECTION, field="market", summary="x", discovered_at=timezone.now(),
            filed_on=timezone.localdate(), officers=[certified_officer(dept)])
    assert "登记案件" in str(err.value)


def test_invalid_party_id_is_refused_in_chinese(dept):
    with pytest.raises(ValidationError) as err:
        _register(dept, [certified_officer(dept), certified_officer(dept)],
                  parties=[party_data(id_number="12345")])
    assert "身份证号应为 18 位" in str(err.value)


def test_case_update_records_changes_and_refuses_closed_cases(dept):
    case = make_case(dept)
    officer = case.officers.first()
    with assert_audited("case.update", target=case):
        services.case_update(actor=officer, case=case, data={"summary": "销售变质食品。"})
    case.refresh_from_db()
    assert case.summary == "销售变质食品。"
    EnforcementCase.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="已结案"):
        services.case_update(actor=officer, case=case, data={"summary": "再改"})


def test_party_add_update_remove(dept):
    case = make_case(dept, parties=[])
    officer = case.officers.first()
    with assert_audited("party.add", target=case):
        party = services.party_add(actor=officer, case=case, data=party_data(
            name="王五", political_status="cpc_member", employer="某局", post="科员",
            is_party_member=True, is_state_functionary=True))
    with assert_audited("party.update", target=case):
        services.party_update(actor=officer, party=party, data={"post": "副科长"})
    party.refresh_from_db()
    assert party.post == "副科长" and party.employer == "某局"  # M10.1
    with assert_audited("party.remove", target=case):
        services.party_remove(actor=officer, party=party)
    assert not Party.objects.filter(pk=party.pk).exists()


def test_organisation_party_needs_credit_code(dept):
    case = make_case(dept, parties=[])
    officer = case.officers.first()
    party = services.party_add(actor=officer, case=case, data=party_data(
        kind="organization", name="某某食品有限公司", id_number="91130304MA0ABCDE1X"))
    assert party.id_number == "91130304MA0ABCDE1X"
    with pytest.raises(ValidationError, match="统一社会信用代码"):
        services.party_add(actor=officer, case=case, data=party_data(
            kind="organization", name="某公司", id_number="9113030"))


# --- the workflow -------------------------------------------------------------------

def test_case_transition_moves_and_audits(dept):
    case = make_case(dept)
    with assert_audited("cases.enforcementcase.transition", target=case):
        services.case_transition(case=case, target=CaseStatus.INVESTIGATING,
                                 actor=case.officers.first())
    assert EnforcementCase.objects.get(pk=case.pk).status == CaseStatus.INVESTIGATING


def test_disallowed_transition_is_refused_in_chinese(dept, head):
    case = make_case(dept)
    with pytest.raises(TransitionNotAllowed) as err:
        services.case_transition(case=case, target=CaseStatus.CLOSED, actor=head)
    assert "当前状态为“立案”，不能变更为“结案”" in str(err.value)
    assert EnforcementCase.objects.get(pk=case.pk).status == CaseStatus.FILED


def test_concurrent_transition_is_refused(dept):
    """Two people move the same case from one page state: the conditional UPDATE lets
    only the first through."""
    case = make_case(dept)
    officer = case.officers.first()
    first, second = EnforcementCase.objects.get(pk=case.pk), EnforcementCase.objects.get(pk=case.pk)
    services.case_transition(case=first, target=CaseStatus.INVESTIGATING, actor=officer)
    # The second copy still reads 立案 → 调查取证, a legal move from what it saw.
    with pytest.raises(TransitionConflict, match="已被他人处理"):
        services.case_transition(case=second, target=CaseStatus.INVESTIGATING, actor=officer)


def test_transition_without_capability_is_refused(dept):
    case = make_case(dept)
    officer = case.officers.first()
    services.case_transition(case=case, target=CaseStatus.INVESTIGATING, actor=officer)
    services.case_transition(case=case, target=CaseStatus.LEGAL_REVIEW, actor=officer)
    # Only the legal unit returns a case from legal review.
    with pytest.raises(PermissionDenied, match="法制审核"):
        services.case_transition(case=case, target=CaseStatus.INVESTIGATING, actor=officer,
                                 note="补充证据")
    # Another department's head cannot decide this department's case.
    with pytest.raises(PermissionDenied):
        services.case_record_decision(
            actor=member(Role.DEPARTMENT_HEAD, OrganizationFactory()), case=case,
            decision_date=timezone.localdate(), decision_summary="罚款")


def test_legal_review_return_needs_a_reason(dept):
    case = make_case(dept)
    officer = case.officers.first()
    services.case_transition(case=case, target=CaseStatus.INVESTIGATING, actor=officer)
    services.case_transition(case=case, target=CaseStatus.LEGAL_REVIEW, actor=officer)
    legal = member(Role.LEGAL_OFFICER, dept)
    with pytest.raises(ValidationError, match="须填写理由"):
        services.case_transition(case=case, target=CaseStatus.INVESTIGATING, actor=legal)
    services.case_transition(case=case, target=CaseStatus.INVESTIGATING, actor=legal,
                             note="证据不足，补充调查")
    assert case.status == CaseStatus.INVESTIGATING


def test_major_decision_needs_legal_review(dept, head):
    """Three systems (国办发〔2018〕118号): a major enforcement decision 重大执法决定 is
    made only after legal review 法制审核."""
    case = make_case(dept, is_major_decision=True)
    officer = case.officers.first()
    services.case_transition(case=case, target=CaseStatus.INVESTIGATING, actor=officer)
    confirmed_evidence(case)  # M13: so only the missing review refuses
    with pytest.raises(ValidationError) as err:
        services.case_record_decision(actor=head, case=case, decision_date=timezone.localdate(),
                                      decision_summary="罚款一万元")
    assert "须先经法制审核" in str(err.value)
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING and case.decision_date is None
    services.case_transition(case=case, target=CaseStatus.LEGAL_REVIEW, actor=officer)
    services.case_record_decision(actor=head, case=case, decision_date=timezone.localdate(),
                                  decision_summary="罚款一万元")
    assert EnforcementCase.objects.get(pk=case.pk).status == CaseStatus.DECIDED


def test_decision_needs_a_recorded_decision(dept, head):
    case = make_case(dept)
    services.case_transition(case=case, target=CaseStatus.INVESTIGATING, actor=case.officers.first())
    with pytest.raises(ValidationError, match="尚未记录处理决定"):
        services.case_transition(case=case, target=CaseStatus.DECIDED, actor=head)


def test_closing_sets_closed_on(dept, head):
    case = make_case(dept)
    services.case_transition(case=case, target=CaseStatus.INVESTIGATING, actor=case.officers.first())
    confirmed_evidence(case)
    services.case_record_decision(actor=head, case=case, decision_date=timezone.localdate(),
                                  decision_summary="警告")
    services.case_transition(case=case, target=CaseStatus.CLOSED, actor=head)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == timezone.localdate()


# --- decision and publicity (three systems) --------------------------------------------

def _investigating(dept, **fields):
    """A case in 调查取证 with one confirmed evidence item, ready to be decided (M13)."""
    case = make_case(dept, **fields)
    services.case_transition(case=case, target=CaseStatus.INVESTIGATING, actor=case.officers.first())
    confirmed_evidence(case)
    return case


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
def test_penalty_decision_opens_7_working_day_publicity_deadline(dept, head):
    """国办发〔2018〕118号: 行政处罚 decisions are published within 7 working days."""
    case = _investigating(dept)
    document = SimpleUploadedFile("决定书.pdf", PDF, content_type="application/pdf")
    with assert_audited("case.decision", target=case):
        services.case_record_decision(actor=head, case=case, decision_date=dt.date(2026, 3, 2),
                                      decision_summary="罚款五千元", penalty_amount=Decimal("5000"),
                                      document=document)
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.penalty_amount == Decimal("5000.00")
    assert case.decision_document.original_name == "决定书.pdf"
    deadline = Deadline.objects.get(target_id=str(case.pk))
    assert deadline.rule == "publicity_licensing_penalty"
    assert deadline.due == end_of_day(dt.date(2026, 3, 11))  # Mar 3–6, 9–11
    assert deadline.responsible == dept


@time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
def test_other_decision_opens_20_working_day_publicity_deadline(dept, head):
    """国办发〔2018〕118号: decisions other than licensing and penalty within 20 working days."""
    case = _investigating(dept, act_type=ActType.COERCION)
    services.case_record_decision(actor=head, case=case, decision_date=dt.date(2026, 3, 2),
                                  decision_summary="查封场所")
    deadline = Deadline.objects.get(target_id=str(case.pk))
    assert deadline.rule == "publicity_other"
    assert deadline.due == end_of_day(dt.date(2026, 3, 30))


def test_publicity_on_time_meets_the_deadline(dept, head):
    case = _investigating(dept)
    services.case_record_decision(actor=head, case=case, decision_date=timezone.localdate(),
                                  decision_summary="罚款")
    with assert_audited("case.publicity", target=case):
        services.case_record_publicity(actor=case.officers.first(), case=case,
                                       published_on=timezone.localdate(),
                                       channel=PublicityChannel.DISTRICT_COLUMN)
    deadline = Deadline.objects.get(target_id=str(case.pk))
    assert deadline.state == DeadlineState.MET and not deadline.is_late
    case.refresh_from_db()
    assert case.publicity_channel == PublicityChannel.DISTRICT_COLUMN


def test_late_publicity_is_recorded_as_late(dept, head):
    """A decision published after the 7 working days stays visible as published late."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        case = _investigating(dept)
        services.case_record_decision(actor=head, case=case, decision_date=dt.date(2026, 3, 2),
                                      decision_summary="罚款")
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        case.refresh_from_db()
        services.case_record_publicity(actor=case.officers.first(), case=case,
                                       published_on=dt.date(2026, 3, 13),
                                       channel=PublicityChannel.DEPARTMENT_WEBSITE)
    deadline = Deadline.objects.get(target_id=str(case.pk))
    assert deadline.state == DeadlineState.MET and deadline.is_late


def test_publicity_before_a_decision_is_refused(dept):
    case = make_case(dept)
    with pytest.raises(ValidationError, match="尚未作出决定"):
        services.case_record_publicity(actor=case.officers.first(), case=case,
                                       published_on=timezone.localdate(),
                                       channel=PublicityChannel.DEPARTMENT_WEBSITE)


def test_rejected_decision_document_stores_nothing(dept, head):
    case = _investigating(dept)
    bad = SimpleUploadedFile("决定书.exe", b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(ValidationError):
        services.case_record_decision(actor=head, case=case, decision_date=timezone.localdate(),
                                      decision_summary="罚款", document=bad)
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING and case.decision_date is None
    assert not Deadline.objects.filter(target_id=str(case.pk)).exists()
