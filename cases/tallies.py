"""The case tallies (core.tallies) behind the dashboard's case figures, per month filed:
per department and act type (cases filed, of them closed, major decisions) and per
department and enforcement field (cases filed). Two tallies rather than one per
department × act type × field: the dashboard never crosses act type with field, and a
month of the crossed tally holds their product of rows (4,560 at district scale, against
304 + 570 here).

Kept by cases.services (register, update) and the 结案 effect of cases.workflow; every
other write of those fields goes through them."""
from __future__ import annotations

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth

from core import tallies

from .models import CaseActTally, CaseFieldTally, CaseStatus, EnforcementCase

MONTH_FILED = tallies.Month(
    field="filed_on",
    of=lambda day: day.replace(day=1),
    sql=lambda: TruncMonth("filed_on", output_field=DateField()),
    span=lambda first, last: Q(filed_on__gte=first, filed_on__lte=last),
)

BY_ACT_TYPE = tallies.register(tallies.Tally(
    name="cases.by_act_type",
    model=CaseActTally,
    source=lambda: EnforcementCase.objects.all(),
    keys=("department_id", "act_type"),
    counts={
        "filed": lambda: Count("id"),
        "closed": lambda: Count("id", filter=Q(status=CaseStatus.CLOSED)),
        "major": lambda: Count("id", filter=Q(is_major_decision=True)),
    },
    month=MONTH_FILED,
))

BY_FIELD = tallies.register(tallies.Tally(
    name="cases.by_field",
    model=CaseFieldTally,
    source=lambda: EnforcementCase.objects.all(),
    keys=("department_id", "field"),
    counts={"filed": lambda: Count("id")},
    month=MONTH_FILED,
))

TALLIES = (BY_ACT_TYPE, BY_FIELD)


def key_row(case: EnforcementCase) -> dict:
    """The case's tally keys as they are now (taken before a change that may move it)."""
    return {"department_id": case.department_id, "act_type": case.act_type,
            "field": case.field, "filed_on": case.filed_on}


def touch(*rows) -> None:
    for tally in TALLIES:
        tallies.touch(tally, rows)
