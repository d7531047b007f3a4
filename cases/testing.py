"""The one place tests build cases, for the cases app and every app built on it
(evidence, discipline, transfers …):

- ``make_case``: a case registered through ``case_register`` by certified officers of its
  department (the rules of registration hold), optionally put into a later status;
- ``CaseFactory`` / ``PartyFactory`` (factory_boy): rows written directly, for tests that
  need many cases or a state the services would refuse to reach quickly.
"""
from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.utils import timezone

from core.models import Organization, Role, User
from core.testing import OrganizationFactory, member

from .models import ActType, CaseStatus, EnforcementCase, EnforcementField, Party, PartyKind

_numbers = itertools.count(1)
_ids = itertools.count(1)


def certified_officer(organization: Organization, role: str = Role.OFFICER, **fields) -> User:
    n = next(_ids)
    return member(role, organization, certificate_no=f"13030{n:07d}", **fields)


def person_id(n: int | None = None) -> str:
    """A well-formed 18-digit ID number (the check digit is not verified)."""
    n = next(_ids) if n is None else n
    return f"130304199001{n % 1000000:06d}"


def party_data(**overrides) -> dict:
    data = {"kind": PartyKind.PERSON, "name": "张三", "id_number": person_id(),
            "political_status": "", "employer": "", "post": "",
            "is_party_member": False, "is_state_functionary": False}
    data.update(overrides)
    return data


def make_case(
    department: Organization | None = None,
    *,
    actor: User | None = None,
    act_type: str = ActType.PENALTY,
    parties: list[dict] | None = None,
    status: str = CaseStatus.FILED,
    **fields,
) -> EnforcementCase:
    """A case registered through ``case_register`` by a certified officer of
    ``department`` (a new department when none is given). ``status`` other than 立案 is
    written directly afterwards (结案 with today as the closing date), for tests about
    what a case in that status allows."""
    from .services import case_register

    department = department or OrganizationFactory()
    actor = actor or certified_officer(department)
    second = certified_officer(department)
    today = timezone.localdate()
    data = {
        "number": f"测罚〔{today.year}〕{next(_numbers)}号", "act_type": act_type,
        "field": EnforcementField.MARKET, "summary": "销售过期食品。",
        "discovered_at": timezone.now() - dt.timedelta(days=3),
        "filed_on": today - dt.timedelta(days=1),
        "officers": [actor, second],
        "parties": [party_data()] if parties is None else parties,
    }
    data.update(fields)
    case = case_register(actor=actor, department=department, **data)
    if status != CaseStatus.FILED:
        closed_on = today if status == CaseStatus.CLOSED else None
        EnforcementCase.objects.filter(pk=case.pk).update(status=status, closed_on=closed_on)
        case.status, case.closed_on = status, closed_on
    return case


class CaseFactory(factory.django.DjangoModelFactory):
    """A case row in 调查取证, registered by an officer of a new department."""

    class Meta:
        model = EnforcementCase

    department = factory.SubFactory(OrganizationFactory)
    number = factory.Sequence(lambda n: f"北市监罚〔2026〕{n + 1}号")
    act_type = ActType.PENALTY
    field = EnforcementField.MARKET
    summary = "销售过期食品"
    discovered_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    filed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=29))
    status = CaseStatus.INVESTIGATING
    created_by = factory.LazyAttribute(lambda o: member(Role.OFFICER, o.department))


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    case = factory.SubFactory(CaseFactory)
    kind = PartyKind.PERSON
    name = factory.Sequence(lambda n: f"当事人{n}")
    id_number = "130304198001011234"
    employer = "某街道办事处"
    post = "科员"
