"""The complaints panel of the supervision dashboard (M3.3: the justice bureau sees every
unit's ledger and what is overdue): complaints received in the period, accepted on time,
handled on time, overdue now and the complainants' satisfaction — per unit and per
channel. Two statements whatever the data; each figure links to the ledger filtered to
exactly its rows."""
from __future__ import annotations

from django.db.models import Count, Q

from core import policy
from dashboard.registry import Figure, LinkSet, Metric, Panel, Row, Scope, Table, list_url, provider

from .models import Channel, Complaint, Satisfaction
from .selectors import overdue_q, state_q

LIST = "complaints:list"
RATED = Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.DISSATISFIED])
PLEASED = Q(satisfaction=Satisfaction.SATISFIED)


def _counts(in_period: Q) -> dict:
    return {
        "received": Count("pk", filter=in_period),
        "accepted_on_time": Count("pk", filter=in_period & state_q("accepted_on_time")),
        "handled_on_time": Count("pk", filter=in_period & state_q("handled_on_time")),
        "overdue": Count("pk", filter=overdue_q()),
        "rated": Count("pk", filter=in_period & RATED),
        "pleased": Count("pk", filter=in_period & PLEASED),
    }


@provider("complaints", "投诉举报", order=30)
def complaints_panel(scope: Scope) -> Panel | None:
    period = scope.period
    in_period = Q(received_at__gte=period.start_at, received_at__lt=period.end_before)

    def rows():
        return policy.visible_to(scope.user, Complaint).filter(**scope.org_filter("unit_id")).order_by()

    # Statement 1: per unit. Statement 2: per channel.
    by_unit = scope.values("complaints.units", lambda: (
        rows().values("unit_id").annotate(**_counts(in_period))
        .filter(Q(received__gt=0) | Q(overdue__gt=0)).order_by("unit_id")))
    by_channel = {r["channel"]: r for r in scope.values("complaints.channels", lambda: (
        rows().filter(in_period).values("channel").annotate(**_counts(in_period))))}
    if not by_unit and not by_channel:
        return None
    span = {"since": period.start.isoformat(), "until": period.end.isoformat()}
    links = LinkSet(LIST, {"received": span, "accepted_on_time": {**span, "state": "accepted_on_time"},
                           "handled_on_time": {**span, "state": "handled_on_time"},
                           "overdue": {"state": "overdue"}, "pleased": {**span, "satisfaction": "satisfied"}})

    def cells(r: dict, row_params: dict) -> list[Figure]:
        rate = r["pleased"] / r["rated"] if r["rated"] else None
        urls = links.urls(**row_params)
        return [Figure(r[k], urls[k]) for k in
                ("received", "accepted_on_time", "handled_on_time", "overdue")] + [
            Figure(rate, urls["pleased"], percent=True)]

    columns = ("收到", "按期受理", "按期办结", "当前逾期", "满意率")
    names = scope.names
    unit_rows = sorted(by_unit, key=lambda r: names.get(r["unit_id"], ""))
    unit_table = Table(key="complaints-units", caption="各单位投诉举报办理情况", columns=columns,
                       rows=[Row(names.get(r["unit_id"], str(r["unit_id"])), cells(r, {"unit": r["unit_id"]}),
                                 url=list_url(LIST, unit=r["unit_id"])) for r in unit_rows])
    channel_table = Table(key="complaints-channels", caption="各渠道投诉举报", row_header="来源渠道",
                          columns=columns,
                          rows=[Row(str(label), cells(by_channel[value], {"channel": value}))
                                for value, label in Channel.choices if value in by_channel])
    total = {k: sum(r[k] for r in by_unit) for k in ("received", "accepted_on_time",
                                                      "handled_on_time", "overdue", "rated", "pleased")}
    headline = cells(total, {})
    return Panel(
        key="complaints", title="投诉举报", order=30,
        description=f"{period.label} 内收到的投诉举报；逾期为当前情况。",
        metrics=[
            Metric("收到投诉举报", headline[0]),
            Metric("按期受理", headline[1]),
            Metric("按期办结", headline[2]),
            Metric("当前逾期", headline[3], tone="danger" if total["overdue"] else ""),
            Metric("满意率", headline[4]),
        ],
        tables=[unit_table, channel_table],
    )
