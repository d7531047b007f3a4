"""The figures of every deadline rule, per rule and per organisation, from ``deadlines.Deadline``
in one aggregate query — so every mechanism that opens deadlines appears on the dashboard
without registering anything.

Definitions (agreed with the deadlines engineer, SPEC "Deadlines"):
- 进行中 (open): state OPEN now.
- 一个工作日内到期 (due soon): state OPEN and ``warn_at`` reached. ``warn_at`` is stored
  with ``due`` when the row opens — one working day before it by ``deadlines.calendar``
  — so "warn_at <= now" is "due <= now + one working day", the same test as the deadline
  list's 临期 bucket and its reminders. An open row past due that the sweep has not yet
  marked counts here too: it needs action just the same.
- 已逾期 (overdue): state OVERDUE now (only the sweep sets it).
- 按期率 (on-time rate) over the period, among deadlines *due* in the period (a deadline
  ending 24:00 on the period's last day is in it, one ending 24:00 the day before is
  not — the deadline list's due_from/due_to do the same): met on time
  / (met on time + met late + still overdue); cancelled and waived rows do not count.
- Light per organisation: red when something is overdue, yellow when something is due
  within one working day, green otherwise.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, DateTimeField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.functions import TruncMonth

from core import policy
from deadlines.models import Deadline, DeadlineState
from deadlines.rules import RULES, rule_label

from .registry import Chart, Figure, Metric, Panel, Row, Scope, Table, list_url

S = DeadlineState


@dataclass
class Counts:
    open: int = 0
    due_soon: int = 0
    overdue: int = 0
    met_on_time: int = 0
    met_late: int = 0
    overdue_in_period: int = 0

    def add(self, other: "Counts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def rate(self) -> float | None:
        judged = self.met_on_time + self.met_late + self.overdue_in_period
        return self.met_on_time / judged if judged else None

    @property
    def light(self) -> str:
        if self.overdue:
            return "red"
        if self.due_soon:
            return "yellow"
        return "green"


LIGHT_LABELS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}


def scoped_deadlines(scope: Scope) -> QuerySet[Deadline]:
    """The viewer's deadlines: every row for the justice bureau, else the rows its own
    organisations are responsible for (and that the deadline scope lets it see)."""
    qs = policy.visible_to(scope.user, Deadline)
    if not scope.viewer.sees_all:
        qs = qs.filter(responsible_id__in=sorted(scope.viewer.org_ids))
    return qs.filter(**scope.org_filter("responsible_id"))


def _in_period(scope: Scope) -> Q:
    return Q(due__gt=scope.period.start_at, due__lte=scope.period.end_before)


def aggregate(scope: Scope) -> dict[tuple[int, str], Counts]:
    """(responsible id, rule) → Counts, in ONE query of conditional counts (FILTER).

    The statement is a UNION ALL of two grouped halves that each read one index and no
    table rows (dashboard/migrations/0001): the live rows (open or overdue — a partial
    index) and the rows met within the period (an index on ``due``). The met history of
    other periods is never read; the halves are added up here per (unit, rule)."""
    in_period = _in_period(scope)
    zero = Value(0)
    base = scoped_deadlines(scope).order_by()
    live = (
        base.filter(state__in=(S.OPEN, S.OVERDUE))
        .values("responsible_id", "rule")
        .annotate(
            n_open=Count("id", filter=Q(state=S.OPEN)),
            n_due_soon=Count("id", filter=Q(state=S.OPEN, warn_at__lte=scope.now)),
            n_overdue=Count("id", filter=Q(state=S.OVERDUE)),
            n_overdue_in_period=Count("id", filter=in_period & Q(state=S.OVERDUE)),
            n_met_on_time=zero, n_met_late=zero,
        )
    )
    met = (
        base.filter(in_period, state=S.MET)
        .values("responsible_id", "rule")
        .annotate(
            n_open=zero, n_due_soon=zero, n_overdue=zero, n_overdue_in_period=zero,
            n_met_on_time=Count("id", filter=Q(met_at__lte=F("due"))),
            n_met_late=Count("id", filter=Q(met_at__gt=F("due"))),
        )
    )
    counts: dict[tuple[int, str], Counts] = defaultdict(Counts)
    for r in live.union(met, all=True):
        counts[(r["responsible_id"], r["rule"])].add(Counts(
            r["n_open"], r["n_due_soon"], r["n_overdue"], r["n_met_on_time"], r["n_met_late"],
            r["n_overdue_in_period"]))
    return dict(counts)


def monthly_rates(scope: Scope) -> list[tuple[dt.date, Counts]]:
    """The on-time rate of each month of the period (one grouped query)."""
    rows = (
        scoped_deadlines(scope)
        .filter(_in_period(scope), state__in=(S.MET, S.OVERDUE))
        # 24:00 on the 31st is 00:00 on the 1st: step back an instant to stay in the month.
        .annotate(month=TruncMonth(ExpressionWrapper(F("due") - dt.timedelta(microseconds=1),
                                                     output_field=DateTimeField())))
        .values("month")
        .annotate(
            n_on_time=Count("id", filter=Q(state=S.MET, met_at__lte=F("due"))),
            n_late=Count("id", filter=Q(state=S.MET, met_at__gt=F("due"))),
            n_overdue=Count("id", filter=Q(state=S.OVERDUE)),
        )
        .order_by("month")
    )
    return [(r["month"].date() if isinstance(r["month"], dt.datetime) else r["month"],
             Counts(met_on_time=r["n_on_time"], met_late=r["n_late"],
                    overdue_in_period=r["n_overdue"]))
            for r in rows]


# --- links to the deadline list ---------------------------------------------------------


def deadline_url(**params) -> str:
    return list_url("deadlines:list", **params)


def _links(scope: Scope, *, rule: str = "", org: int | str = "") -> dict:
    """The deadline list's filters (deadlines.forms.DeadlineFilterForm): rule, state,
    bucket=soon (临期: warn_at reached), organization (the responsible unit), due_from/due_to."""
    period = {"due_from": scope.period.start.isoformat(), "due_to": scope.period.end.isoformat()}
    return {
        "open": deadline_url(rule=rule, organization=org, state=S.OPEN),
        "due_soon": deadline_url(rule=rule, organization=org, bucket="soon"),
        "overdue": deadline_url(rule=rule, organization=org, state=S.OVERDUE),
        "rate": deadline_url(rule=rule, organization=org, **period),
    }


def _cells(c: Counts, links: dict) -> list[Figure]:
    return [Figure(c.open, links["open"]), Figure(c.due_soon, links["due_soon"]),
            Figure(c.overdue, links["overdue"]), Figure(c.rate, links["rate"], percent=True)]


FIGURE_COLUMNS = ("进行中", "一个工作日内到期", "已逾期", "按期率")
MATRIX_COLUMNS = ("进行中", "已逾期", "按期率")


def _rule_order(codes) -> list[str]:
    known = [code for code in RULES if code in codes]
    return known + sorted(set(codes) - set(known))


def build(scope: Scope) -> Panel:
    counts = aggregate(scope)
    by_org: dict[int, Counts] = defaultdict(Counts)
    by_rule: dict[str, Counts] = defaultdict(Counts)
    total = Counts()
    for (org_id, rule), c in counts.items():
        by_org[org_id].add(c)
        by_rule[rule].add(c)
        total.add(c)
    rules = _rule_order(by_rule)
    # Totals link to the list narrowed to the one organisation shown, if only one is.
    single_org = (scope.organizations[0].pk
                  if scope.org_ids is not None and len(scope.organizations) == 1 else "")
    all_links = _links(scope, org=single_org)

    org_rows, matrix_rows = [], []
    lights = {"red": 0, "yellow": 0, "green": 0}
    for org in scope.organizations:
        c = by_org.get(org.pk, Counts())
        lights[c.light] += 1
        links = _links(scope, org=org.pk)
        org_rows.append(Row(org.name, _cells(c, links), url=links["open"], light=c.light))
        cells = []
        for rule in rules:
            rc = counts.get((org.pk, rule), Counts())
            rl = _links(scope, rule=rule, org=org.pk)
            cells += [Figure(rc.open, rl["open"]), Figure(rc.overdue, rl["overdue"]),
                      Figure(rc.rate, rl["rate"], percent=True)]
        matrix_rows.append(Row(org.name, cells, url=links["open"], light=c.light))

    rule_rows = []
    for rule in rules:
        links = _links(scope, rule=rule, org=single_org)
        rule_rows.append(Row(rule_label(rule), _cells(by_rule[rule], links), url=links["open"]))

    months = monthly_rates(scope)
    trend = Table(
        key="deadline-rate-trend", caption="按期率走势（按届满月份）", row_header="月份",
        columns=("按期完成", "逾期完成", "仍逾期", "按期率"),
        rows=[Row(f"{m:%Y年%m月}", [Figure(c.met_on_time), Figure(c.met_late),
                                    Figure(c.overdue_in_period), Figure(c.rate, percent=True)])
              for m, c in months],
    )
    rate_table = Table(
        key="deadline-rate-trend-chart", caption="按期率走势", row_header="月份", columns=("按期率",),
        rows=[Row(r.label, [r.cells[3]]) for r in trend.rows],
    )
    org_rate = Table(
        key="deadline-org-rate", caption="各单位按期率", columns=("按期率",),
        rows=[Row(r.label, [r.cells[3]], url=r.url) for r in org_rows],
    )
    return Panel(
        key="deadlines",
        title="各项时限",
        order=0,
        description=(f"统计期间 {scope.period.label}：按期率按届满时间在期间内的期限计算；"
                     "进行中、临期和逾期为当前数。"),
        metrics=[
            Metric("进行中的期限", Figure(total.open, all_links["open"])),
            Metric("一个工作日内到期", Figure(total.due_soon, all_links["due_soon"]),
                   tone="warning" if total.due_soon else ""),
            Metric("已逾期", Figure(total.overdue, all_links["overdue"]),
                   tone="danger" if total.overdue else ""),
            Metric("期间按期率", Figure(total.rate, all_links["rate"], percent=True)),
            Metric("红灯单位", Figure(lights["red"]), tone="danger" if lights["red"] else ""),
            Metric("黄灯单位", Figure(lights["yellow"]), tone="warning" if lights["yellow"] else ""),
            Metric("绿灯单位", Figure(lights["green"]), tone="success"),
        ],
        tables=[
            Table(key="deadline-orgs", caption="各单位红黄绿灯与时限情况", columns=FIGURE_COLUMNS,
                  rows=org_rows),
            Table(key="deadline-rules", caption="各项机制（时限规则）情况", columns=FIGURE_COLUMNS,
                  rows=rule_rows, row_header="机制"),
            Table(key="deadline-matrix", caption="单位 × 机制", columns=MATRIX_COLUMNS * len(rules),
                  rows=matrix_rows, groups=[(rule_label(r), len(MATRIX_COLUMNS)) for r in rules]),
            trend,
        ],
        charts=[
            Chart(key="deadline-rate-chart", title="按期率走势", table=rate_table, kind="line",
                  percent=True),
            Chart(key="deadline-org-rate-chart", title="各单位按期率", table=org_rate, percent=True),
        ],
    )
