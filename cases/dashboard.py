"""The cases panel of the supervision dashboard (registered in CasesConfig.ready()):
cases filed per month by act type and by field, and per department — one read of each case
tally (cases.tallies) whatever the number of cases, each figure linked to the
filtered case list."""
from __future__ import annotations

from core import tallies
from dashboard.registry import Chart, Figure, LinkSet, Metric, Panel, Row, Scope, Table, list_url

from .models import ActType, CaseStatus, EnforcementField
from .tallies import BY_ACT_TYPE, BY_FIELD


def _case_url(**params) -> str:
    return list_url("cases:list", **params)


def cases_panel(scope: Scope) -> Panel | None:
    period = scope.period
    # One read of each case tally (cases.tallies): per act type and per department from
    # one, per field from the other — the whole district for the justice bureau, else the
    # viewer's own departments (a department's dashboard counts its own cases, not those
    # it sees as a receiver).
    own = scope.org_filter("department_id")
    by_act, by_dept = tallies.totals_by(BY_ACT_TYPE, groups=[("month", "act_type"), ("department_id",)],
                                        filters=own, first=period.start, last=period.end)
    by_field = tallies.totals(BY_FIELD, group=("month", "field"), filters=own,
                              first=period.start, last=period.end)
    act_counts = {key: c["filed"] for key, c in by_act.items()}
    field_counts = {key: c["filed"] for key, c in by_field.items()}
    dept = {department_id: c for (department_id,), c in by_dept.items()}

    single = (scope.organizations[0].pk
              if scope.org_ids is not None and len(scope.organizations) == 1 else "")
    months = tallies.months(period.start, period.end)

    def month_table(key, caption, counts, param, choices) -> Table:
        present = {code for (_m, code), n in counts.items() if n}
        columns = [(code, label) for code, label in choices if code in present]
        rows = []
        for month, first, last in months:
            span = {"filed_from": first.isoformat(), "filed_to": last.isoformat(),
                    "department": single}
            cells = [Figure(counts.get((month, code), 0), _case_url(**{param: code}, **span))
                     for code, _label in columns]
            cells.append(Figure(sum(counts.get((month, code), 0) for code, _l in columns),
                                _case_url(**span)))
            rows.append(Row(f"{month:%Y年%m月}", cells))
        return Table(key=key, caption=caption, row_header="月份",
                     columns=[str(label) for _c, label in columns] + ["合计"], rows=rows)

    act_table = month_table("cases-act-type", "每月立案数（按行为类别）", act_counts, "act_type",
                            ActType.choices)
    field_table = month_table("cases-field", "每月立案数（按执法领域）", field_counts, "field",
                              EnforcementField.choices)
    span = {"filed_from": period.start.isoformat(), "filed_to": period.end.isoformat()}
    links = LinkSet("cases:list", {"filed": span, "closed": {"status": CaseStatus.CLOSED, **span}})
    dept_rows = []
    for org in scope.organizations:
        r = dept.get(org.pk, {"filed": 0, "closed": 0, "major": 0})
        urls = links.urls(department=org.pk)
        dept_rows.append(Row(org.name, [
            Figure(r["filed"], urls["filed"]), Figure(r["closed"], urls["closed"]), Figure(r["major"]),
        ], url=urls["filed"]))
    # Departments outside the rows (deactivated since) still count in the district total.
    filed_total = sum(r["filed"] for r in dept.values())
    closed_total = sum(r["closed"] for r in dept.values())

    def chart_of(table: Table) -> Table:
        """The chart stacks the categories; the 合计 column stays in the table only."""
        return Table(key=f"{table.key}-chart", caption=table.caption, row_header=table.row_header,
                     columns=table.columns[:-1], rows=[Row(r.label, r.cells[:-1]) for r in table.rows])

    return Panel(
        key="cases",
        title="执法案件",
        order=20,
        description=f"立案日期在 {period.label} 内的案件。",
        metrics=[
            Metric("新立案件", Figure(filed_total, _case_url(department=single, **span))),
            Metric("其中已结案", Figure(closed_total, _case_url(department=single,
                                                             status=CaseStatus.CLOSED, **span))),
        ],
        tables=[Table(key="cases-departments", caption="各单位立案情况",
                      columns=("新立案件", "其中已结案", "重大执法决定"), rows=dept_rows),
                act_table, field_table],
        charts=[Chart(key="cases-act-type-chart", title="每月立案数（按行为类别）",
                      table=chart_of(act_table), stacked=True, see=act_table),
                Chart(key="cases-field-chart", title="每月立案数（按执法领域）",
                      table=chart_of(field_table), stacked=True, see=field_table)],
    )
