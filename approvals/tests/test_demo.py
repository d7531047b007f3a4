"""The demo district's approval decisions (issue 20 item 9): forty imported, routed to four
departments, two claims overdue, some fed back, one unrouted."""
from __future__ import annotations

import pytest
from django.core.management import call_command

from approvals.demo import seed_approvals
from approvals.models import Decision, DecisionStatus, Source, SupervisionRecord
from approvals.selectors import decision_list, non_cooperation
from core.models import User
from deadlines.sweep import sweep

pytestmark = pytest.mark.django_db


def test_m14_2_demo_has_forty_imported_decisions_two_claims_overdue_and_one_unrouted():
    call_command("seed_demo")
    seed_approvals()  # idempotent
    sweep()
    decisions = Decision.objects.all()
    assert decisions.count() == 40 and set(decisions.values_list("source", flat=True)) == {Source.IMPORT}
    assert decisions.exclude(department=None).values("department").distinct().count() == 4
    assert decisions.filter(status=DecisionStatus.UNROUTED).count() == 1
    assert decisions.filter(status=DecisionStatus.FED_BACK).count() == 6
    assert SupervisionRecord.objects.exclude(case=None).count() == 1
    staff = User.objects.get(username="spj")
    assert decision_list(staff, {"state": "claim_overdue"}).count() == 2
    assert [r.kind for r in non_cooperation()].count("claim_overdue") == 2
