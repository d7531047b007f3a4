import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.models import CaseStatus, EnforcementCase
from deadlines.models import Deadline

pytestmark = pytest.mark.django_db


def test_demo_cases_are_seeded_once_through_the_services():
    call_command("seed_demo")
    call_command("seed_demo")
    # cases/demo.py's four (the demo year of demo_district/ numbers its own from 301号)
    year = timezone.localdate().year
    named = EnforcementCase.objects.filter(number__in=[
        f"北市监罚〔{year}〕1号", f"北市监罚〔{year}〕2号", f"北市监检〔{year}〕3号", f"北城管罚〔{year}〕1号"])
    assert named.count() == 4
    decided = named.get(status=CaseStatus.DECIDED)
    assert Deadline.objects.filter(target_id=str(decided.pk), rule="publicity_licensing_penalty").count() == 1
    flagged = named.get(number=f"北市监罚〔{year}〕1号")
    assert flagged.parties.get().needs_discipline_check
