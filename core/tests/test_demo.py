import pytest
from django.core.management import call_command

from core.models import Membership, Organization, OrgKind, Role, User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_covers_every_role(capsys):
    call_command("seed_demo")
    counts = (Organization.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (Organization.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    names = set(Organization.objects.values_list("name", flat=True))
    for town in ["西山街道", "东山街道", "海滨镇", "戴河镇", "牛头崖镇"]:
        assert any(town in n for n in names), town
    assert Organization.objects.filter(kind=OrgKind.DEPARTMENT).count() >= 15
    assert "scj_zf1" in capsys.readouterr().out
