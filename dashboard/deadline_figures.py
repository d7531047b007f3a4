"""The figures of every deadline rule, per rule and per organisation, from the deadline
tallies that deadlines.services and the sweep keep (deadlines.tallies, core.tallies) — so
every mechanism that opens deadlines appears on the dashboard without registering
anything, and the page reads a few hundred summary rows whatever the history holds.

Definitions (agreed with the deadlines engineer, SPEC "Deadlines"):
- 进行中 (open): state OPEN now.
- 一个工作日内到期 (due soon): state OPEN and ``warn_at`` reached. ``warn_at`` is stored
  with ``due`` when the row opens — one working day before it by ``deadlines.calendar``
  — so "warn_at <= now" is "due <= now + one working day", the same test as the deadline
  list's 临期 bucket and its reminders. The tally compares ``warn_at`` with the clock when
  it recounts; the sweep recounts as it passes each ``warn_at`` (every minute), so the
  figure is at most one sweep behind the clock. An open row past due that the sweep has
  not yet marked counts here too: it needs action just the same.
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

from django.db.models import QuerySet

from core import policy, tallies
from deadlines.models import Deadline, DeadlineState
from deadlines.rules import RULES, rule_label
from deadlines.tallies import LIVE, MONTHLY

from .registry import (Chart, Figure, Grid, GridRow, LinkSet, Metric, Panel, Row, Scope, Table,
                       list_url, query_string)

S = DeadlineState


def _rate(on_time: int, late: int, overdue: int) -> float | None:
    judged = on_time + late + overdue
    return on_time / judged if judged else None


class Counts:
    """The figures of one organisation and/or rule (a page makes about a thousand: slots,
    no dataclass machinery)."""

    __slots__ = ("open", "due_soon", "overdue", "met_on_time", "met_late", "overdue_in_period")

    def __init__(self, open: int = 0, due_soon: int = 0, overdue: int = 0, met_on_time: int = 0,
                 met_late: int = 0, overdue_in_period: int = 0) -> None:
        self.open, self.due_soon, self.overdue = open, due_soon, overdue
        self.met_on_time, self.met_late, self.overdue_in_period = met_on_time, met_late, overdue_in_period

    @property
    def rate(self) -> float | None:
        return _rate(self.met_on_time, self.met_late, self.overdue_in_period)

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


def single_org(scope: Scope) -> int | str:
    """The one organisation shown, for the lists' ``organization`` parameter; "" when the
    page shows the district or several units (the list's own scope narrows the rest)."""
    if scope.org_ids is not None and len(scope.organizations) == 1:
        return scope.organizations[0].pk
    return ""


def tally_filter(scope: Scope) -> dict:
    """The same rows as ``scoped_deadlines``, as a filter on the tallies: the whole district
    for the justice bureau, else the organisations shown (the viewer's own)."""
    return scope.org_filter("responsible_id")


# The groupings every page reads, each added up by the database in the tally's one
# statement (core.tallies.totals_by): per unit and rule (the matrix), per unit, per rule,
# per month (the trend) and the whole.
BY_ORG_RULE, BY_ORG, BY_RULE, ALL = ("responsible_id", "rule"), ("responsible_id",), ("rule",), ()
BY_MONTH = ("month",)


def _live(scope: Scope) -> dict[tuple, dict]:
    """grouping → key → live counts (a tuple in LIVE's order): one query of the live
    tally per page."""
    groups = [BY_ORG_RULE, BY_ORG, BY_RULE, ALL]
    return scope.memo("deadlines.live", lambda: dict(zip(groups, tallies.counts_by(
        LIVE, groups=groups, filters=tally_filter(scope)))))


def _judged(scope: Scope) -> dict[tuple, dict]:
    """grouping → key → judged counts of the period (a tuple in MONTHLY's order): one query
    of the monthly tally per page (plus one per grouping and partial month of a custom
    period)."""
    groups = [BY_ORG_RULE, BY_ORG, BY_RULE, BY_MONTH, ALL]
    return scope.memo("deadlines.monthly", lambda: dict(zip(groups, tallies.counts_by(
        MONTHLY, groups=groups, filters=tally_filter(scope),
        first=scope.period.start, last=scope.period.end))))


# The counts' places in the tallies' tuples.
assert tuple(LIVE.counts)[:3] == ("open", "due_soon", "overdue")
assert tuple(MONTHLY.counts) == ("on_time", "late", "overdue")


def _counts(live: dict, judged: dict) -> dict:
    """key → Counts, the live and the judged counts of the same keys put together."""
    counts = {key: Counts(c[0], c[1], c[2]) for key, c in live.items()}
    for key, (on_time, late, overdue) in judged.items():
        k = counts.get(key)
        if k is None:
            k = counts[key] = Counts()
        k.met_on_time, k.met_late, k.overdue_in_period = on_time, late, overdue
    return counts


def aggregate(scope: Scope, group: tuple = BY_ORG_RULE) -> dict[tuple, Counts]:
    """key of ``group`` → Counts (by default (responsible id, rule)), from the deadline
    tallies (deadlines.tallies): the live counts, and the judged counts of the period,
    whatever the number of rows."""
    return _counts(_live(scope)[group], _judged(scope)[group])


def matrix_values(scope: Scope, org_id: int, rules: list[str]) -> list:
    """The organisation's row of the organisation × mechanism table: per rule, open,
    overdue and the period's on-time rate — read from the tallies' tuples as they are (the
    table has a thousand cells: no Counts each)."""
    live, judged = _live(scope)[BY_ORG_RULE], _judged(scope)[BY_ORG_RULE]
    no_live, no_judged = (0, 0, 0), (0, 0, 0)
    values = []
    for rule in rules:
        key = (org_id, rule)
        lc, jc = live.get(key, no_live), judged.get(key, no_judged)
        values += (lc[0], lc[2], _rate(*jc))
    return values


def live_totals(scope: Scope) -> dict[str, int]:
    """The viewer's live counts summed (open, due_soon, overdue, provisional, and overdue
    with an unacknowledged escalation)."""
    return dict(zip(LIVE.counts, _live(scope)[ALL].get((), (0,) * len(LIVE.counts))))


def monthly_rates(scope: Scope) -> list[tuple[dt.date, Counts]]:
    """The on-time rate of each month of the period (from the monthly tally)."""
    months = _counts({}, _judged(scope)[BY_MONTH])
    return [(month, c) for (month,), c in sorted(months.items())
            if c.met_on_time or c.met_late or c.overdue_in_period]


# --- links to the deadline list ---------------------------------------------------------


def deadline_url(**params) -> str:
    return list_url("deadlines:list", **params)


def _filters(scope: Scope) -> dict[str, dict]:
    """The deadline list's filters behind each figure (deadlines.forms.DeadlineFilterForm):
    state, bucket=soon (临期: warn_at reached), due_from/due_to for the period's rate."""
    return {
        "open": {"state": S.OPEN},
        "due_soon": {"bucket": "soon"},
        "overdue": {"state": S.OVERDUE},
        "rate": {"due_from": scope.period.start.isoformat(), "due_to": scope.period.end.isoformat()},
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
    by_org = {org_id: c for (org_id,), c in aggregate(scope, BY_ORG).items()}
    by_rule = {rule: c for (rule,), c in aggregate(scope, BY_RULE).items()}
    total = aggregate(scope, ALL).get((), Counts())
    rules = _rule_order(by_rule)
    # Totals link to the list narrowed to the one organisation shown, if only one is.
    single = single_org(scope)
    links_of = LinkSet("deadlines:list", _filters(scope))
    all_links = links_of.urls(organization=single)

    org_rows, matrix_rows = [], []
    lights = {"red": 0, "yellow": 0, "green": 0}
    none = Counts()
    for org in scope.organizations:
        pk = org.pk
        c = by_org.get(pk, none)
        lights[c.light] += 1
        links = links_of.urls(organization=pk)
        org_rows.append(Row(org.name, _cells(c, links), url=links["open"], light=c.light))
        matrix_rows.append(GridRow(org.name, links["open"], query_string(organization=pk),
                                   matrix_values(scope, pk, rules), light=c.light))
    # Each cell's link is deadline_url(rule=…, organization=…, **filter), in that order.
    matrix = Grid(key="deadline-matrix", caption="单位 × 机制", grid_rows=matrix_rows,
                  sections=[(rule_label(r), deadline_url(rule=r)) for r in rules],
                  kinds=[(label, links_of.queries[kind], kind == "rate")
                         for label, kind in zip(MATRIX_COLUMNS, ("open", "overdue", "rate"))])

    rule_rows = []
    for rule in rules:
        links = links_of.urls(rule=rule, organization=single)
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
    org_table = Table(key="deadline-orgs", caption="各单位红黄绿灯与时限情况", columns=FIGURE_COLUMNS,
                      rows=org_rows)
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
            org_table,
            Table(key="deadline-rules", caption="各项机制（时限规则）情况", columns=FIGURE_COLUMNS,
                  rows=rule_rows, row_header="机制"),
            matrix,
            trend,
        ],
        charts=[
            Chart(key="deadline-rate-chart", title="按期率走势", table=rate_table, kind="line",
                  percent=True, see=trend),
            Chart(key="deadline-org-rate-chart", title="各单位按期率", table=org_rate, percent=True,
                  see=org_table),
        ],
        overview_tables=(org_table.key,),  # each unit's light, on the first screen
    )
