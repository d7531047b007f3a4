"""The case tally (core.tallies) behind the dashboard's case figures: per department, act
type, field and month filed — cases filed, of them closed, and major decisions.

Kept by cases.services (register, update) and the 结案 effect of cases.workflow; every
other write of those fields goes through them."""
from __future__ import annotations

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth

from core import tallies

from .models import CaseMonthTally, CaseStatus, EnforcementCase

CASES = tallies.register(tallies.Tally(
    name="cases.monthly",
    model=CaseMonthTally,
    source=lambda: EnforcementCase.objects.all(),
    keys=("department_id", "act_type", "field"),
    counts={
        "filed": lambda: Count("id"),
        "closed": lambda: Count("id", filter=Q(status=CaseStatus.CLOSED)),
        "major": lambda: Count("id", filter=Q(is_major_decision=True)),
    },
    month=tallies.Month(
        field="filed_on",
        of=lambda day: day.replace(day=1),
        sql=lambda: TruncMonth("filed_on", output_field=DateField()),
        span=lambda first, last: Q(filed_on__gte=first, filed_on__lte=last),
    ),
))


def key_row(case: EnforcementCase) -> dict:
    """The case's tally key as it is now (taken before a change that may move it)."""
    return {"department_id": case.department_id, "act_type": case.act_type,
            "field": case.field, "filed_on": case.filed_on}


def touch(*rows) -> None:
    tallies.touch(CASES, rows)
