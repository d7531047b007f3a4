"""The demo district's joint case handling (issue 20 item 9): one joint operation under
way with two participants' cases linked; a guidance task overdue."""
from __future__ import annotations

import pytest
from django.core.management import call_command

from core.models import User
from deadlines.sweep import sweep
from jointcases.demo import seed_jointcases
from jointcases.models import JointOperation, OperationStatus
from jointcases.selectors import task_list

pytestmark = pytest.mark.django_db


def test_m6_demo_has_an_operation_under_way_with_two_participants_cases_and_an_overdue_task():
    call_command("seed_demo")
    seed_jointcases()  # idempotent
    sweep()
    op = JointOperation.objects.get()
    assert op.status == OperationStatus.UNDER_WAY
    participants = set(op.participants.values_list("unit_id", flat=True))
    case_units = set(op.cases.values_list("case__department_id", flat=True))
    assert len(case_units) == 2 and case_units <= participants
    assert task_list(User.objects.get(username="jdy"), {"state": "overdue"}).count() == 1
