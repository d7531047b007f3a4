"""The accountability sources other apps register (M8.1): a check's finding (inspections/
hooks.py) and a concluded complaint about an officer (complaints/hooks.py) — listed for the
agency concerned only, and never naming the complainant."""
import pytest

from accountability import sources

pytestmark = pytest.mark.django_db


def test_m8_1_findings_and_complaints_are_registered_sources():
    keys = {k.key for k in sources.kinds()}
    assert {"discipline_referral", "transfer_order", "inspection_finding", "complaint"} <= keys
    assert sources.label_of("inspection_finding") == "监督检查发现的问题"
    assert sources.label_of("complaint") == "投诉举报"


def test_m8_1_the_demo_findings_are_pursued_by_the_unit_checked_only():
    from django.core.management import call_command

    from core.models import Membership, Role
    from inspections.selectors import findings_for_accountability

    call_command("seed_demo")
    kind = sources.kind_for("inspection_finding")
    finding = findings_for_accountability().first()
    assert finding is not None
    head = Membership.objects.filter(organization=finding.unit, role=Role.DEPARTMENT_HEAD).first().user
    assert finding in kind.candidates(head)
    other = Membership.objects.filter(role=Role.DEPARTMENT_HEAD).exclude(organization=finding.unit).first().user
    assert finding not in kind.candidates(other)
    assert kind.describe(finding).startswith(finding.check_record.title)
