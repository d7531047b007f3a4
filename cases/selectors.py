"""Reads of cases, and their visibility scope."""
from __future__ import annotations

from django.db.models import Q

from core import policy

from .models import EnforcementCase, Party


@policy.register_scope(EnforcementCase)
def _own_cases(viewer: policy.Viewer) -> Q:
    return Q(department_id__in=viewer.org_ids)


@policy.register_scope(Party)
def _parties_of_visible_cases(viewer: policy.Viewer) -> Q:
    return Q(case_id__in=policy.visible_pks(viewer, EnforcementCase))
