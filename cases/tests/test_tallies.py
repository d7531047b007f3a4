"""The case tally behind the dashboard's case figures (issue 7 item 3): registering,
correcting and closing a case keep it equal to a recount of the cases."""
import datetime as dt

import pytest
from django.test import TestCase
from django.utils import timezone

from cases import services
from cases.models import ActType, CaseMonthTally, CaseStatus, EnforcementField
from cases.tallies import CASES
from cases.testing import make_case
from core import tallies
from core.models import Role
from core.testing import OrganizationFactory, member

pytestmark = pytest.mark.django_db


def committed(fn, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return fn(*args, **kwargs)


def counts(**key) -> dict:
    return dict(CaseMonthTally.objects.filter(**key).values_list("act_type", "filed"))


def test_register_correct_and_close_keep_the_case_tally_true():
    dept = OrganizationFactory(name="北戴河区市场监督管理局")
    head = member(Role.DEPARTMENT_HEAD, dept)
    today = timezone.localdate()
    month = (today - dt.timedelta(days=1)).replace(day=1)  # make_case files yesterday
    first = committed(make_case, dept)
    second = committed(make_case, dept, act_type=ActType.INSPECTION)
    assert counts(department=dept, month=month) == {ActType.PENALTY: 1, ActType.INSPECTION: 1}
    # A correction moves the case to another field and to last month.
    earlier = month - dt.timedelta(days=1)
    committed(services.case_update, actor=second.officers.first(), case=second,
              data={"field": EnforcementField.ECOLOGY, "filed_on": earlier,
                    "discovered_at": timezone.now() - dt.timedelta(days=40)})
    assert counts(department=dept, month=month) == {ActType.PENALTY: 1, ActType.INSPECTION: 0}
    assert counts(department=dept, month=earlier.replace(day=1), field=EnforcementField.ECOLOGY) \
        == {ActType.INSPECTION: 1}
    # Closing counts it as closed.
    committed(services.case_transition, case=first, target=CaseStatus.INVESTIGATING,
              actor=first.officers.first())
    committed(services.case_record_decision, actor=head, case=first, decision_date=today,
              decision_summary="警告")
    committed(services.case_transition, case=first, target=CaseStatus.CLOSED, actor=head)
    assert CaseMonthTally.objects.get(department=dept, month=month, act_type=ActType.PENALTY).closed == 1
    assert tallies.differences(CASES) == []
