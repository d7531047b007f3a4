import pytest
from django.core.management import call_command

from cases.models import CaseStatus, EnforcementCase
from deadlines.models import Deadline

pytestmark = pytest.mark.django_db


def test_demo_cases_are_seeded_once_through_the_services():
    call_command("seed_demo")
    call_command("seed_demo")
    assert EnforcementCase.objects.count() == 4
    decided = EnforcementCase.objects.get(status=CaseStatus.DECIDED)
    assert Deadline.objects.filter(target_id=str(decided.pk), rule="publicity_licensing_penalty").count() == 1
    flagged = EnforcementCase.objects.get(number__endswith="1号", department__short_name="北市监")
    assert flagged.parties.get().needs_discipline_check
