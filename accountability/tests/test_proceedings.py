"""Accountability proceedings (M8): opened by the agency against its own officers (M8.1),
on the three grounds (M8.2), determined within the time and routed by the conclusion, with
the outcome's document (M8.3); reserved matters recorded and not processed (M8.4); opened
from the registered sources; supervised by the justice bureau."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accountability import selectors, services, sources
from accountability.models import Ground, Proceeding, ProceedingStatus, ReservedTo, Route
from cases.models import CaseStatus
from cases.services import case_transition
from core.testing import assert_audited, justice_bureau
from deadlines.calendar import add_working_days, end_of_day
from deadlines.models import Deadline, DeadlineState, Notification
from deadlines.sweep import sweep
from discipline import services as discipline_services
from discipline.models import DisciplineReferral
from evidence.tests.factories import PNG, CaseFactory, PartyFactory
from transfers.models import TransferOrder

pytestmark = pytest.mark.django_db


def _deadline(p: Proceeding) -> Deadline:
    return Deadline.objects.get(rule="accountability_determination", target_id=str(p.pk))


def _doc():
    return dict(document=io.BytesIO(PNG), document_name="处理决定.png", document_size=len(PNG))


def test_m8_1_the_agency_opens_a_proceeding_and_the_time_to_determine_starts(district, settings):
    with assert_audited("accountability.proceeding.open"):
        p = services.proceeding_open(actor=district.legal, agency=district.market,
                                     subject="投诉举报逾期未处理", officers=[district.officer],
                                     ground=Ground.NOT_PERFORMED, facts="逾期未核查处理。")
    assert p.status == ProceedingStatus.OPEN and list(p.officers.all()) == [district.officer]
    d = _deadline(p)
    assert d.responsible == district.market
    days = settings.DEADLINE_RULES["accountability_determination"]
    assert d.due == end_of_day(add_working_days(timezone.localdate(), days).date)
    # The officer concerned is told, and may claim lawful performance.
    assert Notification.objects.filter(recipient=district.officer, subject__contains="责任追究").exists()


def test_m8_1_an_agency_pursues_only_its_own_officers(district):
    with pytest.raises(PermissionDenied):  # another agency
        district.proceeding(actor=district.urban_head)
    with pytest.raises(PermissionDenied):  # an officer does not open one
        district.proceeding(actor=district.officer)
    with pytest.raises(ValidationError, match="须是区市场监督管理局的工作人员"):
        district.proceeding(officers=[district.urban_officer])
    with pytest.raises(ValidationError):
        district.proceeding(officers=[])


def test_m8_2_the_ground_is_one_of_the_three(district):
    assert [g.label for g in Ground] == ["未履行法定职责", "不当履行法定职责", "违法履行法定职责"]
    with pytest.raises(ValidationError):
        district.proceeding(ground="negligent")


def test_m8_1_who_sees_a_proceeding(district):
    p = district.proceeding()
    assert p in selectors.proceeding_list(district.head)
    assert p in selectors.proceeding_list(district.officer)  # his own
    assert p not in selectors.proceeding_list(district.colleague)  # not his
    assert p not in selectors.proceeding_list(district.urban_head)
    assert p in selectors.proceeding_list(district.supervisor)  # the supervising organ


def test_m8_3_fault_found_routes_and_the_outcome_is_recorded_with_its_document(district):
    p = district.proceeding()
    with pytest.raises(PermissionDenied):  # the head determines
        services.proceeding_determine(actor=district.legal, proceeding=p, liable=True,
                                      fault_determination="x", route=Route.ADMINISTRATIVE)
    with pytest.raises(ValidationError, match="处理方式"):
        services.proceeding_determine(actor=district.head, proceeding=p, liable=True,
                                      fault_determination="未按期核查。")
    with assert_audited("accountability.proceeding.transition", p):
        services.proceeding_determine(actor=district.head, proceeding=p, liable=True,
                                      fault_determination="未按期核查。", route=Route.SANCTION)
    assert p.status == ProceedingStatus.DETERMINED
    assert _deadline(p).state == DeadlineState.MET
    with pytest.raises(ValidationError, match="作出处理的机关"):
        services.proceeding_conclude(actor=district.legal, proceeding=p, outcome="记过处分。",
                                     outcome_organ="", **_doc())
    with assert_audited("accountability.proceeding.transition", p):
        services.proceeding_conclude(actor=district.legal, proceeding=p, outcome="记过处分。",
                                     outcome_organ="区纪委监委", **_doc())
    p.refresh_from_db()
    assert p.status == ProceedingStatus.CONCLUDED and p.outcome_organ == "区纪委监委"
    assert p.outcome_document.original_name == "处理决定.png"


def test_m8_3_no_fault_no_liability_and_administrative_handling_by_the_agency(district):
    p = district.proceeding()
    services.proceeding_determine(actor=district.head, proceeding=p, liable=False,
                                  fault_determination="已按规定期限核查，举报不实。")
    assert p.status == ProceedingStatus.NOT_LIABLE and p.route == ""
    q = district.proceeding()
    services.proceeding_determine(actor=district.head, proceeding=q, liable=True,
                                  fault_determination="逾期。", route=Route.ADMINISTRATIVE)
    services.proceeding_conclude(actor=district.head, proceeding=q, outcome="诫勉谈话。",
                                 outcome_organ="", **_doc())
    assert q.outcome_organ == district.market.name  # the agency itself (M8.3)


def test_m8_4_a_reserved_matter_is_recorded_and_not_processed(district):
    p = district.proceeding()
    with pytest.raises(ValidationError):
        services.proceeding_reserve(actor=district.legal, proceeding=p,
                                    reserved_to=ReservedTo.SUPERVISORY, reason=" ")
    with assert_audited("accountability.proceeding.transition", p):
        services.proceeding_reserve(actor=district.legal, proceeding=p,
                                    reserved_to=ReservedTo.SUPERVISORY,
                                    reason="涉嫌职务违法，依法由监察机关处理。")
    assert p.status == ProceedingStatus.RESERVED and p.closed_at is not None  # its age stops
    assert _deadline(p).state == DeadlineState.CANCELLED
    with pytest.raises(PermissionDenied):
        services.proceeding_determine(actor=district.head, proceeding=p, liable=True,
                                      fault_determination="x", route=Route.ADMINISTRATIVE)


def test_m8_1_a_determination_not_made_in_time_is_overdue_on_the_supervision_list(district):
    late = district.proceeding()
    district.proceeding(subject="按期中")
    Deadline.objects.filter(pk=_deadline(late).pk).update(start=timezone.now() - dt.timedelta(days=50),
                                                          due=timezone.now() - dt.timedelta(hours=1),
                                                          remind_at=timezone.now() - dt.timedelta(hours=1))
    sweep()
    assert list(selectors.proceeding_list(district.supervisor, {"state": "overdue"})) == [late]


def _referral_failure(district) -> DisciplineReferral:
    case = CaseFactory(department=district.market, status=CaseStatus.EXECUTING,
                       decision_summary="罚款五千元", penalty_amount=5000)
    case.decision_date = case.filed_on
    case.save()
    case.officers.add(district.officer)
    PartyFactory(case=case, name="张某", is_party_member=True, is_state_functionary=True)
    case_transition(case=case, target=CaseStatus.CLOSED, actor=district.head)
    referral = DisciplineReferral.objects.get(case=case)
    return discipline_services.referral_close_no_matter(actor=district.head, referral=referral,
                                                         reason="经研判不涉及违纪。")


def test_m8_1_opened_from_a_discipline_referral_failure_m10_4(district):
    referral = _referral_failure(district)
    kind = sources.kind_for("discipline_referral")
    assert referral in kind.candidates(district.legal)
    assert not kind.candidates(district.urban_head).exists()  # not its agency's
    assert list(kind.officers(referral)) == [district.officer]
    p = district.proceeding(source_kind="discipline_referral", source_id=referral.pk)
    assert "经研判无违纪线索" in p.source_text
    assert sources.source_url(p) == referral.get_absolute_url()
    with pytest.raises(ValidationError, match="已根据该问责线索"):
        district.proceeding(source_kind="discipline_referral", source_id=referral.pk)
    with pytest.raises(ValidationError, match="不存在或您无权"):
        district.proceeding(actor=district.urban_head, agency=district.urban,
                            officers=[district.urban_officer], source_kind="discipline_referral",
                            source_id=referral.pk)


def test_m8_1_a_referral_delivered_in_time_is_no_source(district):
    case = CaseFactory(department=district.market, status=CaseStatus.EXECUTING,
                       decision_summary="罚款", penalty_amount=100)
    PartyFactory(case=case, name="李某", is_state_functionary=True)
    case_transition(case=case, target=CaseStatus.CLOSED, actor=district.head)
    referral = DisciplineReferral.objects.get(case=case)  # drafting, within its 10 days
    assert referral not in sources.kind_for("discipline_referral").candidates(district.legal)


def test_m8_1_opened_from_an_ordered_transfer_m4_5(district):
    case = CaseFactory(department=district.market)
    case.officers.add(district.colleague)
    order = TransferOrder.objects.create(
        issuer=justice_bureau(), department=district.market,
        case=case, receiver=district.urban, reason="涉嫌犯罪应移送。",
        due=timezone.now() + dt.timedelta(days=3), created_by=district.supervisor)
    kind = sources.kind_for("transfer_order")
    assert order in kind.candidates(district.head)
    p = district.proceeding(actor=district.head, officers=list(kind.officers(order)),
                            source_kind="transfer_order", source_id=order.pk)
    assert list(p.officers.all()) == [district.colleague]
    assert "责令限期移送" in p.source_text and sources.source_url(p) == order.get_absolute_url()
