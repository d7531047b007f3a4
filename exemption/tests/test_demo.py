"""The demo district's accountability proceedings and interference records
(accountability/demo.py, exemption/demo.py), made once through the services."""
from __future__ import annotations

import pytest

from accountability.models import Proceeding, ProceedingStatus
from core import demo
from exemption import chain
from exemption.models import ClaimStatus, ExemptionGround, InterferenceRecord

pytestmark = pytest.mark.django_db


def test_demo_has_proceedings_in_each_state_a_decided_claim_and_a_corrected_record():
    demo.seed()
    demo.seed()  # idempotent
    by_status = {p.status: p for p in Proceeding.objects.all()}
    assert set(by_status) == {ProceedingStatus.OPEN, ProceedingStatus.CONCLUDED,
                              ProceedingStatus.RESERVED, ProceedingStatus.EXEMPTED}
    assert by_status[ProceedingStatus.OPEN].source_kind == "discipline_referral"
    claim = by_status[ProceedingStatus.EXEMPTED].exemption_claims.get()
    assert claim.status == ClaimStatus.ACCEPTED and claim.ground == ExemptionGround.NO_DIRECT_LINK
    first, second = InterferenceRecord.objects.order_by("seq")
    assert second.corrects == first and first.interferer_name == second.interferer_name
    assert chain.verify() == []
