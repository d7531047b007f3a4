"""The case tallies behind the dashboard's case figures (issue 7 item 3): registering,
correcting and closing a case keep them equal to a recount of the cases."""
import datetime as dt

import pytest
from django.test import TestCase
from django.utils import timezone

from cases import services
from cases.models import ActType, CaseActTally, CaseFieldTally, CaseStatus, EnforcementField
from cases.tallies import BY_ACT_TYPE, BY_FIELD
from cases.testing import make_case
from core import tallies
from core.models import Role
from core.testing import OrganizationFactory, member
from evidence.tests.factories import confirmed_evidence

pytestmark = pytest.mark.django_db


def committed(fn, *args, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return fn(*args, **kwargs)


def counts(**key) -> dict:
    return dict(CaseActTally.objects.filter(**key).values_list("act_type", "filed"))


def fields(**key) -> dict:
    return dict(CaseFieldTally.objects.filter(**key).exclude(filed=0).values_list("field", "filed"))


def test_register_correct_and_close_keep_the_case_tallies_true():
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
    assert counts(department=dept, month=earlier.replace(day=1)) == {ActType.INSPECTION: 1}
    assert fields(department=dept, month=earlier.replace(day=1)) == {EnforcementField.ECOLOGY: 1}
    assert fields(department=dept, month=month) == {first.field: 1}
    # Closing counts it as closed.
    committed(services.case_transition, case=first, target=CaseStatus.INVESTIGATING,
              actor=first.officers.first())
    committed(confirmed_evidence, first)  # M13: a penalty is decided on evidence
    committed(services.case_record_decision, actor=head, case=first, decision_date=today,
              decision_summary="警告")
    committed(services.case_transition, case=first, target=CaseStatus.CLOSED, actor=head)
    assert CaseActTally.objects.get(department=dept, month=month, act_type=ActType.PENALTY).closed == 1
    assert tallies.differences(BY_ACT_TYPE) == [] and tallies.differences(BY_FIELD) == []


def test_migrate_counts_a_tally_that_starts_empty_beside_existing_cases():
    """A migration that adds a tally to a database already holding cases leaves it empty;
    ``migrate`` counts it at the end (core.apps), so the dashboard does not show zeros
    until the nightly rebuild."""
    from django.core.management import call_command

    dept = OrganizationFactory(name="北戴河区城市管理综合行政执法局")
    committed(make_case, dept)
    CaseActTally.objects.all().delete()
    CaseFieldTally.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert CaseActTally.objects.filter(department=dept).exists()
    assert tallies.differences(BY_ACT_TYPE) == [] and tallies.differences(BY_FIELD) == []
