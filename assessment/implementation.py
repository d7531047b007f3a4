"""W2 implementation supervision: how each unit carries the plan's mechanisms out this
year — per mechanism, the time limits it met on time, met late, lets run overdue and has
running — from the deadline rows (every mechanism keeps its duties there) and the
registered indicators, for the coordination office's 工作通报 of poor performance."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from core.models import Organization
from deadlines.calendar import end_of_day, start_of_day
from deadlines.models import Deadline, DeadlineState
from deadlines.rules import RULES, rule_label

from .selectors import appraised_units

S = DeadlineState

# The plan's mechanisms (二、) and requirements (四、) as the bureau names them; a rule's
# clause ("M15.1", "三项制度") says which it belongs to.
MECHANISMS = {
    "M1": "行政执法协调监督联席会议", "M2": "行政执法争议协调", "M3": "投诉举报",
    "M4": "行政执法案件移送", "M5": "行政执法信息共享", "M6": "联合办案", "M7": "行政执法监督检查",
    "M8": "行政执法责任追究", "M9": "行政执法考核评价", "M10": "监察执纪衔接", "M11": "案例指导",
    "M12": "履职免责", "M13": "当事人证据确认", "M14": "审批监管处罚衔接",
    "M15": "乡镇（街道）与区职能部门协作", "三项制度": "行政执法三项制度", "W1": "执法人员培训",
    "W3": "执法信息报送",
}


def mechanism_of(rule: str) -> str:
    clause = RULES[rule].clause
    key = clause.split(".")[0]
    return MECHANISMS.get(key, clause)


def figures_q(year: int, prefix: str = "") -> dict:
    """The counts of a unit's deadlines: done this year (on time, late), overdue and
    running now — the same conditions for the list (through ``Organization.deadlines``,
    ``prefix="deadlines__"``) and the unit's page."""
    p = prefix
    met = Q(**{f"{p}state": S.MET, f"{p}met_at__gte": start_of_day(dt.date(year, 1, 1)),
               f"{p}met_at__lt": end_of_day(dt.date(year, 12, 31))})
    counted = prefix.removesuffix("__") or "pk"
    return {
        "on_time": Count(counted, filter=met & Q(**{f"{p}met_at__lte": F(f"{p}due")})),
        "late": Count(counted, filter=met & Q(**{f"{p}met_at__gt": F(f"{p}due")})),
        "overdue": Count(counted, filter=Q(**{f"{p}state": S.OVERDUE})),
        "open": Count(counted, filter=Q(**{f"{p}state": S.OPEN})),
    }


def unit_list(filters: dict) -> models.QuerySet[Organization]:
    """The appraised units with the year's figures (one statement for the page)."""
    year = filters.get("year") or timezone.localdate().year
    qs = appraised_units()
    if filters.get("q"):
        qs = qs.filter(name__icontains=filters["q"])
    return qs.annotate(**figures_q(year, "deadlines__"))


@dataclass
class RuleRow:
    rule: str
    label: str
    on_time: int
    late: int
    overdue: int
    open: int
    url: str


@dataclass
class MechanismRow:
    name: str
    rules: list[RuleRow] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(r, name) for r in self.rules)

    @property
    def on_time(self) -> int:
        return self.total("on_time")

    @property
    def late(self) -> int:
        return self.total("late")

    @property
    def overdue(self) -> int:
        return self.total("overdue")

    @property
    def open(self) -> int:
        return self.total("open")


def unit_mechanisms(unit: Organization, year: int) -> list[MechanismRow]:
    """Per mechanism and rule, what ``unit`` did this year and what is overdue (one query).
    Counts, not records: W2 makes the coordination office the supervisor of every unit's
    implementation, so the page (``implementation.supervise``) counts all of a unit's
    deadlines; each figure links to the deadline list, which shows the rows its viewer may
    open."""
    rows = (Deadline.objects.filter(responsible=unit)
            .filter(Q(state__in=[S.MET, S.OPEN, S.OVERDUE]))
            .order_by().values("rule").annotate(**figures_q(year)))
    mechanisms: dict[str, MechanismRow] = {}
    for r in sorted(rows, key=lambda r: r["rule"]):
        if r["rule"] not in RULES:
            continue
        url = reverse("deadlines:list") + "?" + urlencode({"rule": r["rule"], "organization": unit.pk})
        row = RuleRow(r["rule"], rule_label(r["rule"]), r["on_time"], r["late"], r["overdue"],
                      r["open"], url)
        mechanisms.setdefault(mechanism_of(r["rule"]), MechanismRow(mechanism_of(r["rule"]))).rules.append(row)
    order = list(MECHANISMS.values())
    return sorted(mechanisms.values(), key=lambda m: order.index(m.name) if m.name in order else 99)


def unit_url(unit_id: int, year: int) -> str:
    return reverse("assessment:implementation_unit", args=[unit_id]) + f"?year={year}"


@dataclass
class IndicatorRow:
    label: str
    area: str
    text: str
    url: str


def indicator_rows(year: int, unit: Organization) -> list[IndicatorRow]:
    """Every registered indicator's figure for ``unit`` (those with data)."""
    from . import indicators
    from .models import Area

    figures = indicators.compute_all(year, [unit.pk])
    rows = []
    for indicator in indicators.registered():
        value = figures.get(indicator.key, {}).get(unit.pk)
        if value is None:
            continue
        rows.append(IndicatorRow(indicator.label, Area(indicator.area).label, indicator.text(value),
                                 indicator.rows_url(year, unit.pk)))
    return rows
