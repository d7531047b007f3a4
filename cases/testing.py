"""Test helpers for cases, shared with the apps built on them (evidence, discipline,
transfers …): a department with certified officers, and a registered case."""
from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from core.models import Organization, Role, User
from core.testing import OrganizationFactory, member

from .models import ActType, EnforcementCase, EnforcementField, PartyKind

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
    **fields,
) -> EnforcementCase:
    """A case registered through ``case_register`` by a certified officer of
    ``department`` (a new department when none is given)."""
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
    return case_register(actor=actor, department=department, **data)
