"""Exemption (M12.3): in an accountability proceeding an officer concerned claims lawful
performance; the agency's head decides with reasons, recorded on the proceeding — no
liability for a counterpart's safety accident with no direct link to the duty performed."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accountability import services as accountability_services
from accountability.models import ProceedingStatus, Route
from core.testing import assert_audited
from deadlines.models import Deadline, DeadlineState
from exemption import services
from exemption.models import ClaimStatus, ExemptionGround
from exemption.tests.test_interference import record

pytestmark = pytest.mark.django_db

NO_LINK = "事故系餐馆自行改装燃气管道所致，与本人检查行为无直接关系。"


def claim(district, proceeding, **kwargs):
    data = dict(actor=district.officer, proceeding=proceeding,
                ground=ExemptionGround.NO_DIRECT_LINK, statement=NO_LINK)
    data.update(kwargs)
    return services.exemption_claim_submit(**data)


def test_m12_3_no_liability_for_a_safety_accident_with_no_direct_link(district):
    p = district.proceeding(subject="某餐馆燃气爆燃事故")
    with assert_audited("exemption.claim.submit"):
        c = services.exemption_claim_submit(actor=district.officer, proceeding=p,
                                            ground=ExemptionGround.NO_DIRECT_LINK, statement=NO_LINK)
    # While the claim waits, the fault is not determined.
    with pytest.raises(ValidationError, match="免责申请待决定"):
        accountability_services.proceeding_determine(
            actor=district.head, proceeding=p, liable=True, fault_determination="x",
            route=Route.ADMINISTRATIVE)
    with pytest.raises(ValidationError, match="决定理由"):
        services.exemption_claim_decide(actor=district.head, claim=c, accept=True, reason=" ")
    with pytest.raises(PermissionDenied):  # the head decides
        services.exemption_claim_decide(actor=district.legal, claim=c, accept=True, reason="无直接关系。")
    with assert_audited("exemption.exemptionclaim.transition", c):
        services.exemption_claim_decide(actor=district.head, claim=c, accept=True,
                                        reason="事故与履职行为之间不存在直接关系，不予追究。")
    p.refresh_from_db()
    c.refresh_from_db()
    assert c.status == ClaimStatus.ACCEPTED and c.decided_by == district.head
    assert p.status == ProceedingStatus.EXEMPTED
    deadline = Deadline.objects.get(rule="accountability_determination", target_id=str(p.pk))
    assert deadline.state == DeadlineState.MET


def test_m12_3_a_rejected_claim_leaves_the_determination_to_proceed(district):
    p = district.proceeding()
    c = claim(district, p, ground=ExemptionGround.LAWFUL_PERFORMANCE, statement="已依法履职。")
    services.exemption_claim_decide(actor=district.head, claim=c, accept=False,
                                    reason="检查记录显示未按清单检查。")
    assert c.status == ClaimStatus.REJECTED
    accountability_services.proceeding_determine(
        actor=district.head, proceeding=p, liable=True, fault_determination="未按清单检查。",
        route=Route.ADMINISTRATIVE)
    assert p.status == ProceedingStatus.DETERMINED


def test_m12_3_only_an_officer_concerned_claims_once_at_a_time(district):
    p = district.proceeding()
    with pytest.raises(PermissionDenied):
        claim(district, p, actor=district.colleague)  # not an officer of this proceeding
    claim(district, p)
    with pytest.raises(PermissionDenied):  # one pending claim at a time
        claim(district, p)


def test_m12_3_exemption_only_through_an_accepted_claim(district):
    from core.workflow import transition_apply

    from accountability.workflow import PROCEEDING_WORKFLOW

    p = district.proceeding()
    with pytest.raises(ValidationError, match="须经免责申请"):
        transition_apply(workflow=PROCEEDING_WORKFLOW, obj=p, target=ProceedingStatus.EXEMPTED,
                         actor=district.head)


def test_m12_1_a_refused_demand_grounds_a_claim_citing_the_officers_own_record(district):
    p = district.proceeding()
    refused = record(district, demand="要求对某案减轻处罚。", refused=True)
    others = record(district, actor=district.colleague)
    with pytest.raises(ValidationError, match="干预记录"):
        claim(district, p, ground=ExemptionGround.REFUSED_DEMAND, statement="拒绝了违法要求。")
    with pytest.raises(ValidationError, match="本人的干预记录"):
        claim(district, p, ground=ExemptionGround.REFUSED_DEMAND, statement="拒绝。", interference=others)
    c = claim(district, p, ground=ExemptionGround.REFUSED_DEMAND, statement="拒绝了违法要求。",
              interference=refused)
    assert c.interference == refused
