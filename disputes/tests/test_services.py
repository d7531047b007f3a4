"""The dispute services (M2.1–M2.4, M15.6): each write checked, audited and moving its
deadlines."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core import policy
from core.testing import assert_audited
from deadlines.models import Deadline, DeadlineState, Notification
from deadlines.calendar import add_working_days, end_of_day
from disputes import services
from disputes.models import Dispute, DisputeKind, DisputeStatus
from documents.models import Document
from evidence.tests.factories import PNG

pytestmark = pytest.mark.django_db
S = DisputeStatus


def _inbox(org) -> list[str]:
    return list(Notification.objects.filter(organization=org).values_list("subject", flat=True))


def _deadline(target, rule) -> Deadline:
    return Deadline.objects.get(target_id=str(target.pk), rule=rule)


def test_m2_2_a_department_files_with_the_other_departments_and_a_kind(district):
    with assert_audited("disputes.dispute.create"):
        dispute = services.dispute_create(actor=district.market_head, applicant=district.market,
                                          kind=DisputeKind.DUTY, subject="流动食品摊贩监管职责",
                                          facts="双方均认为不属本单位职责。", others=[district.urban])
    assert dispute.status == S.DRAFT and dispute.coordinator == district.bureau
    assert {(p.organization, p.is_applicant) for p in dispute.parties.all()} == {
        (district.market, True), (district.urban, False)}
    with pytest.raises(ValidationError, match="其他当事单位"):
        district.draft(others=[district.market])
    with pytest.raises(PermissionDenied):  # not in its own name
        district.draft(actor=district.urban_head)
    # M2.2's kinds are between departments; a township's dispute is one of jurisdiction.
    with pytest.raises(ValidationError, match="管辖"):
        district.draft(others=[district.township])
    with pytest.raises(ValidationError, match="乡镇（街道）与区职能部门之间"):
        district.draft(kind=DisputeKind.JURISDICTION)


def test_m2_3_filing_without_negotiation_record_is_refused(district):
    dispute = district.draft()
    with pytest.raises(ValidationError, match="缺少先行协商记录.*区市场监督管理局、区城市管理综合行政执法局"):
        services.dispute_file(actor=district.market_head, dispute=dispute)
    market, urban = dispute.parties.get(is_applicant=True), dispute.parties.get(is_applicant=False)
    with assert_audited("disputes.negotiation.add", dispute):
        row = services.negotiation_add(actor=district.market_head, dispute=dispute, party=market,
                                       negotiated_on=timezone.localdate(), representatives="法制科长",
                                       position="属城管局职责。")
    with pytest.raises(ValidationError, match="尚未记录区城市管理综合行政执法局在协商中的意见"):
        services.dispute_file(actor=district.market_head, dispute=dispute)
    with pytest.raises(ValidationError, match="协商日期不能晚于今天"):
        services.negotiation_add(actor=district.market_head, dispute=dispute, party=urban,
                                 negotiated_on=timezone.localdate() + dt.timedelta(days=1),
                                 representatives="科长", position="x")
    with assert_audited("disputes.negotiation.remove", dispute):
        services.negotiation_remove(actor=district.market_head, row=row)
    district.negotiate(dispute)
    with assert_audited("disputes.dispute.transition", dispute):
        services.dispute_file(actor=district.market_head, dispute=dispute)
    assert dispute.status == S.FILED and dispute.filed_at is not None
    # M2.1: the bureau's time limit, 5 working days by default.
    acceptance = _deadline(dispute, "dispute_acceptance")
    assert acceptance.responsible == district.bureau
    assert acceptance.due == end_of_day(add_working_days(timezone.localdate(), 5).date)
    assert any("执法争议协调申请" in s for s in _inbox(district.bureau))
    with pytest.raises(PermissionDenied):  # the record is fixed once filed
        services.negotiation_add(actor=district.market_head, dispute=dispute, party=urban,
                                 negotiated_on=timezone.localdate(), representatives="科长", position="x")


def test_m2_1_the_bureau_accepts_within_its_limit_or_refuses_with_a_reason(district, settings):
    settings.DEADLINE_RULES = {**settings.DEADLINE_RULES, "dispute_acceptance": 3}
    dispute = district.filed()
    assert _deadline(dispute, "dispute_acceptance").due == end_of_day(
        add_working_days(timezone.localdate(), 3).date)
    with pytest.raises(PermissionDenied):
        services.dispute_accept(actor=district.market_head, dispute=dispute)
    with assert_audited("disputes.dispute.transition", dispute):
        services.dispute_accept(actor=district.supervisor, dispute=dispute)
    assert dispute.status == S.COORDINATING
    assert _deadline(dispute, "dispute_acceptance").state == DeadlineState.MET
    other = district.filed()
    with pytest.raises(ValidationError, match="须填写理由"):
        services.dispute_refuse(actor=district.supervisor, dispute=other, reason=" ")
    with assert_audited("disputes.dispute.transition", other):
        services.dispute_refuse(actor=district.supervisor, dispute=other, reason="不属于执法争议。")
    assert other.refuse_reason == "不属于执法争议。"
    assert _deadline(other, "dispute_acceptance").state == DeadlineState.MET


def test_m2_1_each_party_is_asked_for_its_written_opinion_by_a_due_date(district):
    dispute = district.coordinating()
    due = timezone.localdate() + dt.timedelta(days=5)
    with pytest.raises(PermissionDenied):
        services.opinion_request(actor=district.market_head, dispute=dispute, due_on=due)
    with assert_audited("disputes.opinion.request", dispute):
        services.opinion_request(actor=district.supervisor, dispute=dispute, due_on=due)
    market, urban = dispute.parties.get(is_applicant=True), dispute.parties.get(is_applicant=False)
    for party in (market, urban):  # a deadline per party, on that party
        deadline = _deadline(party, "dispute_opinion")
        assert deadline.responsible == party.organization and deadline.due == end_of_day(due)
    assert any("请提交争议书面意见" in s for s in _inbox(district.urban))
    with pytest.raises(PermissionDenied):  # only the party itself
        services.opinion_submit(actor=district.market_head, party=urban, opinion="x")
    with assert_audited("disputes.opinion.submit", dispute):
        services.opinion_submit(actor=district.urban_head, party=urban, opinion="应由市场监管局负责。",
                                files=[(io.BytesIO(PNG), "书面意见.png", len(PNG))])
    urban.refresh_from_db()
    assert urban.opinion_by == district.urban_head
    assert _deadline(urban, "dispute_opinion").state == DeadlineState.MET
    assert _deadline(market, "dispute_opinion").state == DeadlineState.OPEN


def test_m2_1_meetings_then_an_agreement_every_party_confirms(district):
    dispute = district.coordinating()
    with assert_audited("disputes.meeting.record", dispute):
        services.meeting_record(actor=district.supervisor, dispute=dispute,
                                held_at=timezone.now() - dt.timedelta(hours=1), place="司法局会议室",
                                attendees="双方法制科长", summary="双方同意分工。")
    with pytest.raises(ValidationError, match="协调意见"):
        services.agreement_record(actor=district.supervisor, dispute=dispute, agreement=" ")
    with assert_audited("disputes.dispute.transition", dispute):
        services.agreement_record(actor=district.supervisor, dispute=dispute,
                                  agreement="占道由城管局查处，食品安全由市场监管局检查。")
    assert dispute.status == S.AGREEMENT
    market, urban = dispute.parties.get(is_applicant=True), dispute.parties.get(is_applicant=False)
    assert _deadline(urban, "dispute_confirmation").responsible == district.urban
    with assert_audited("disputes.agreement.confirm", dispute):
        services.agreement_confirm(actor=district.market_head, party=market)
    dispute.refresh_from_db()
    assert dispute.status == S.AGREEMENT  # the other party has still to confirm
    with pytest.raises(PermissionDenied):
        services.agreement_confirm(actor=district.market_head, party=market)
    services.agreement_confirm(actor=district.urban_head, party=urban)
    dispute.refresh_from_db()
    assert dispute.status == S.SETTLED and dispute.settled_at is not None
    # Each party's confirmation recorded: who and when.
    assert [(p.organization, p.confirmed_by) for p in dispute.parties.order_by("-is_applicant")] == [
        (district.market, district.market_head), (district.urban, district.urban_head)]
    assert _deadline(urban, "dispute_confirmation").state == DeadlineState.MET


def test_m2_4_on_failure_the_numbered_recommendation_goes_to_the_government_which_rules(district):
    dispute = district.coordinating()
    assert not policy.visible_to(district.ruler, Dispute).exists()  # not asked yet
    with pytest.raises(PermissionDenied):
        services.recommendation_issue(actor=district.market_head, dispute=dispute, process="x",
                                      disagreement="y", recommendation="z")
    with assert_audited("document.issue"), assert_audited("disputes.dispute.transition", dispute):
        services.recommendation_issue(actor=district.supervisor, dispute=dispute,
                                      process="协调会未达成一致。", disagreement="监管主体认识不一致。",
                                      recommendation="建议由城管局负责。")
    assert dispute.status == S.SUBMITTED and dispute.government == district.government
    document = Document.objects.get(kind="dispute_recommendation")
    assert document.number == f"北司争〔{document.year}〕1号"
    assert document.addressee == district.government and document.issuer == district.bureau
    assert policy.access(district.ruler, Dispute, dispute.pk)
    assert _deadline(dispute, "dispute_ruling").responsible == district.government
    assert any("报请裁决执法争议" in s for s in _inbox(district.government))

    with pytest.raises(PermissionDenied):  # the government rules, not the bureau
        services.ruling_record(actor=district.supervisor, dispute=dispute, ruling="x",
                               implement_due=timezone.localdate(),
                               document=(io.BytesIO(PNG), "a.png", len(PNG)))
    with assert_audited("disputes.dispute.transition", dispute):
        services.ruling_record(actor=district.ruler, dispute=dispute, ruling="由城管局负责查处。",
                               implement_due=timezone.localdate() + dt.timedelta(days=10),
                               document=(io.BytesIO(PNG), "裁决文书.png", len(PNG)))
    assert dispute.status == S.RULED and dispute.ruling_file is not None
    assert _deadline(dispute, "dispute_ruling").state == DeadlineState.MET
    for org in (district.market, district.urban):  # the ruling reaches every party
        assert any(s.startswith("区政府裁决") for s in _inbox(org))
    market, urban = dispute.parties.get(is_applicant=True), dispute.parties.get(is_applicant=False)
    assert _deadline(urban, "dispute_implementation").responsible == district.urban
    with assert_audited("disputes.implementation.report", dispute):
        services.implementation_report(actor=district.urban_head, party=urban, report="已按裁决查处。")
    dispute.refresh_from_db()
    assert dispute.status == S.RULED
    services.implementation_report(actor=district.market_head, party=market, report="已配合。")
    dispute.refresh_from_db()
    assert dispute.status == S.CLOSED
    assert _deadline(market, "dispute_implementation").state == DeadlineState.MET


def test_m2_4_an_agreement_a_party_will_not_confirm_goes_to_the_government(district):
    dispute = district.coordinating()
    services.agreement_record(actor=district.supervisor, dispute=dispute, agreement="分工查处。")
    urban = dispute.parties.get(is_applicant=False)
    services.recommendation_issue(actor=district.supervisor, dispute=dispute, process="城管局不同意协调意见。",
                                  disagreement="分歧未消除。", recommendation="建议裁决。")
    assert dispute.status == S.SUBMITTED
    assert _deadline(urban, "dispute_confirmation").state == DeadlineState.CANCELLED


def test_m15_6_a_jurisdiction_dispute_is_ruled_with_the_competent_unit(district):
    """M15.6 (moved from townships): a township and a department negotiate, the dispute
    follows the same steps, the district government decides who has jurisdiction."""
    dispute = district.submitted(kind=DisputeKind.JURISDICTION, applicant=district.township,
                                 others=[district.urban], actor=district.township_head)
    with pytest.raises(ValidationError, match="确定一个当事单位为管辖单位"):
        district.rule(dispute, competent=district.market)
    district.rule(dispute, competent=district.township)
    assert dispute.competent == district.township
    assert any("确定的管辖单位：海滨镇人民政府" in n.body
               for n in Notification.objects.filter(organization=district.urban))


def test_m15_6_the_government_sees_only_the_disputes_brought_to_it(district):
    brought = district.submitted()
    district.coordinating()
    assert list(policy.visible_to(district.ruler, Dispute)) == [brought]
    assert not policy.visible_to(district.stranger, Dispute).exists()
    draft = district.draft()
    assert draft not in policy.visible_to(district.urban_head, Dispute)  # a draft is the applicant's
