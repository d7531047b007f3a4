"""The transfers panel of the supervision dashboard (loaded by dashboard.registry.autodiscover):
transfers created in the period by kind and status (their outcome so far), per
organisation sent and received, and per month — one statement with four groupings
(core.grouping) whatever the number of transfers, each figure linked to the filtered
transfer list."""
from __future__ import annotations

from django.db import connection
from django.db.models import DateField, Q
from django.db.models.functions import TruncMonth

from core import grouping, policy, prepared
from dashboard.registry import (Chart, Figure, LinkSet, Metric, Panel, Row, Scope, Table, list_url,
                                provider)

from .models import Transfer, TransferKind, TransferStatus
from .selectors import RETURNED, WAITING


def _url(**params) -> str:
    return list_url("transfers:list", **params)


@provider("transfers", "案件移送", order=30)
def transfers_panel(scope: Scope) -> Panel | None:
    period = scope.period
    # The one unit shown narrows every period-wide link (sent or received: 涉及单位).
    one = (scope.organizations[0].pk
           if scope.org_ids is not None and len(scope.organizations) == 1 else "")
    since, until = period.start.isoformat(), period.end.isoformat()
    span = {"since": since, "until": until, "organization": one}

    def rows():
        transfers = (policy.visible_to(scope.user, Transfer)
                     .filter(created_at__gte=period.start_at, created_at__lt=period.end_before))
        if scope.org_ids is not None:
            ids = sorted(scope.org_ids)
            transfers = transfers.filter(Q(sender_id__in=ids) | Q(receiver_id__in=ids))
        return transfers.order_by().annotate(month=TruncMonth("created_at", output_field=DateField())).values(
            "kind", "status", "sender_id", "receiver_id", "month")

    # One statement, four groupings of the same rows (core.grouping): by kind and status,
    # per sender (and how many came back), per receiver (and how many wait), per month
    # and kind. The rows' SQL is built once per scope (core.prepared).
    inner = prepared.compiled(("transfers",) + scope.key, rows)
    field = Transfer._meta.get_field
    fields = {"kind": field("kind"), "status": field("status"), "sender_id": field("sender"),
              "receiver_id": field("receiver"), "month": DateField()}

    def among(statuses) -> tuple[str, list]:
        marks = ", ".join(["%s"] * len(statuses))
        return (f"SUM(CASE WHEN {connection.ops.quote_name('status')} IN ({marks}) THEN 1 ELSE 0 END)",
                sorted(statuses))

    groups = [("kind", "status"), ("sender_id",), ("receiver_id",), ("month", "kind")]
    if inner is None:  # nothing the viewer may see
        by_kind, by_sender, by_receiver, by_month = ({} for _ in groups)
    else:
        source = grouping.Source(sql=f"({inner.sql}) AS grouped_rows", params=inner.params, fields=fields)
        by_kind, by_sender, by_receiver, by_month = grouping.grouped(
            source, groups=groups,
            counts={"n": ("COUNT(*)", []), "returned": among(RETURNED), "waiting": among(WAITING)})
    by_status = {key: n for key, (n, _r, _w) in by_kind.items()}
    sent = {sender: {"n": n, "returned": r} for (sender,), (n, r, _w) in by_sender.items()}
    received = {receiver: {"n": n, "waiting": w} for (receiver,), (n, _r, w) in by_receiver.items()}
    monthly = {key: n for key, (n, _r, _w) in by_month.items()}
    nothing = {"n": 0, "returned": 0, "waiting": 0}

    statuses = [(code, label) for code, label in TransferStatus.choices
                if any(s == code for (_k, s) in by_status)]
    kind_rows = []
    for kind, label in TransferKind.choices:
        cells = [Figure(by_status.get((kind, code), 0),
                        _url(kind=kind, status=code, **span))
                 for code, _l in statuses]
        cells.append(Figure(sum(by_status.get((kind, code), 0) for code, _l in statuses),
                            _url(kind=kind, **span)))
        kind_rows.append(Row(str(label), cells, url=_url(kind=kind, **span)))
    outcome_table = Table(key="transfers-outcomes", caption="移送类别与办理结果", row_header="类别",
                          columns=[str(label) for _c, label in statuses] + ["合计"], rows=kind_rows)

    # The transfer list filters by kind, status and date; sender and receiver are passed
    # for the list to narrow by organisation.
    dates = {"since": since, "until": until}
    links = LinkSet("transfers:list", {"all": dates, "returned": {"state": "returned", **dates},
                                       "pending": {"state": "pending", **dates}})
    org_rows = []
    for org in scope.organizations:
        s, r = sent.get(org.pk, nothing), received.get(org.pk, nothing)
        out, into = links.urls(sender=org.pk), links.urls(receiver=org.pk)
        org_rows.append(Row(org.name, [
            Figure(s["n"], out["all"]), Figure(s["returned"], out["returned"]),
            Figure(r["n"], into["all"]), Figure(r["waiting"], into["pending"]),
        ]))
    org_table = Table(key="transfers-organizations", caption="各单位移送情况",
                      columns=("移出", "其中被退回或不予立案", "接收", "其中待处理"), rows=org_rows)

    months = sorted({m for (m, _k) in monthly})
    trend = Table(
        key="transfers-monthly", caption="每月移送数（按类别）", row_header="月份",
        columns=[str(label) for _c, label in TransferKind.choices],
        rows=[Row(f"{m:%Y年%m月}", [Figure(monthly.get((m, kind), 0)) for kind, _l in TransferKind.choices])
              for m in months])
    status_chart = Table(
        key="transfers-status-chart", caption="移送办理结果", row_header="状态",
        columns=("件数",),
        rows=[Row(str(label), [Figure(sum(by_status.get((k, code), 0) for k, _l in TransferKind.choices),
                                      _url(status=code, **span))])
              for code, label in statuses])
    total = sum(by_status.values())
    waiting = sum(n for (_k, s), n in by_status.items() if s in WAITING)
    returned = sum(n for (_k, s), n in by_status.items()
                   if s in RETURNED)
    return Panel(
        key="transfers",
        title="案件移送",
        order=30,
        description=f"{period.label} 内创建的移送（含乡镇与区直部门相互移送、涉嫌犯罪案件移送）。",
        metrics=[
            Metric("移送总数", Figure(total, _url(**span))),
            Metric("待处理", Figure(waiting, _url(state="pending", **span))),
            Metric("退回或不予立案", Figure(returned, _url(state="returned", **span))),
        ],
        tables=[org_table, outcome_table],
        charts=[Chart(key="transfers-monthly-chart", title="每月移送数（按类别）", table=trend,
                      stacked=True),
                Chart(key="transfers-status-chart", title="移送办理结果", table=status_chart)],
    )
