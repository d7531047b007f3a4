"""Reads behind the dashboard page: whose figures (the scope) and the "需关注" lists.

Every read goes through ``core.policy``: the justice bureau sees the whole district, every
other user the same page narrowed to their own organisation(s).
"""
from __future__ import annotations

import datetime as dt
from html import escape  # the standard library's (no lazy-text check per call)
from dataclasses import dataclass
from typing import Callable

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from core import formats, links, policy, prepared
from core.models import Organization, OrgKind, User
from deadlines import calendar
from deadlines.models import Deadline, DeadlineState
from deadlines import selectors as deadline_selectors
from deadlines.rules import rule_label

from .deadline_figures import deadline_url, live_totals, scoped_deadlines, single_org
from .registry import Figure, Period, Scope

ATTENTION_LIMIT = 20
# Organisations that carry no duties of their own on the dashboard: the expert pool, and
# the city-level authorities a criminal transfer is reported to (M4.3), which are outside
# the district (the demo has fifteen: fifteen rows of zeros on the first screen).
NOT_SHOWN_KINDS = (OrgKind.EXPERT_POOL, OrgKind.HIGHER_AUTHORITY)


def dashboard_organizations(user: User) -> tuple[list[Organization], dict[int, str]]:
    """The organisations the viewer may pick (all active ones for the justice bureau, else
    the viewer's own), in display order, and the name of every organisation whose rows the
    viewer's page may list (inactive units' old deadlines included) — one query."""
    v = policy.viewer(user)
    qs = Organization.objects.all()
    if not v.sees_all:
        qs = qs.filter(pk__in=sorted(v.org_ids))
    every = list(qs.order_by("kind", "name"))
    shown = [o for o in every if o.is_active and o.kind not in NOT_SHOWN_KINDS]
    return shown, {o.pk: o.name for o in every}


def dashboard_scope(user: User, *, period: Period, organization: Organization | None = None,
                    now: dt.datetime | None = None,
                    units: tuple[list[Organization], dict[int, str]] | None = None) -> Scope:
    """``units``: what ``dashboard_organizations(user)`` returned, when the caller has
    read it."""
    v = policy.viewer(user)
    shown, names = units if units is not None else dashboard_organizations(user)
    if organization is not None:
        shown = [o for o in shown if o.pk == organization.pk]
    shown = tuple(shown)
    if v.sees_all and organization is None:
        org_ids = None  # the whole district
    else:
        org_ids = frozenset(o.pk for o in shown)
    return Scope(user=user, viewer=v, period=period, now=now or timezone.now(),
                 organizations=shown, org_ids=org_ids, names=names)


@dataclass(frozen=True)
class AttentionItem:
    """One deadline of a 需关注 list, its texts prepared here (no per-row template tags)."""

    pk: int
    url: str  # the deadline's page
    target_url: str  # the page of the record behind it ("" when it has none)
    organization: str
    rule: str  # the rule's code
    rule_label: str
    target: str
    due: str
    late: str  # how long past due ("" when not overdue)


@dataclass(frozen=True)
class AttentionList:
    title: str
    explanation: str
    total: Figure
    items: list[AttentionItem]
    overdue: bool = True  # the items are past due: show by how much

    @property
    def html(self) -> str:
        """The list as HTML, built here in one pass like the dashboard's tables (sixty
        rows of template tags cost more than the three queries behind them)."""
        e = escape
        total = self.total
        badge = "danger" if total.value else "secondary"
        count = (f'<a class="text-reset figure-link" href="{e(total.url)}">{total.text}</a>'
                 if total.url else total.text)
        parts = [f'<h4 class="h6">{e(self.title)} <span class="badge text-bg-{badge}">{count}</span></h4>'
                 f'<p class="small text-muted mb-1">{e(self.explanation)}</p>']
        if self.items:
            parts.append('<ol class="small mb-0 ps-3">')
            for d in self.items:
                target = f"：{e(d.target)}" if d.target else ""
                late = f"，已逾期 {d.late}" if d.late else ""
                # The row opens the record behind the deadline (where it is dealt with);
                # 期限 opens the deadline itself.
                parts.append(f'<li><a href="{e(d.target_url or d.url)}"><strong>{e(d.organization)}</strong> · '
                             f"{e(d.rule_label)}{target}</a> · 届满 {d.due}{late}"
                             + (f' · <a class="text-muted" href="{d.url}">期限</a>' if d.target_url else "")
                             + "</li>")
            parts.append("</ol>")
            if (total.value or 0) > len(self.items):
                parts.append(f'<p class="small mb-0">仅列出前 {len(self.items)} 项，'
                             f'<a href="{e(total.url)}">查看全部</a>。</p>')
        else:
            parts.append('<p class="small mb-0 text-success">无。</p>')
        return mark_safe("".join(parts))


def attention_html(lists: list[AttentionList]) -> str:
    """The 需关注 card holding the lists (placed under the deadline panel's figures)."""
    blocks = "".join(f'<div class="col-12 col-lg">{block.html}</div>' for block in lists)
    return mark_safe(
        '<div class="card mb-3 border-danger-subtle" id="attention">'
        '<div class="card-header bg-danger-subtle"><h3 class="h6 mb-0">需关注</h3></div>'
        f'<div class="card-body"><div class="row g-3">{blocks}</div></div></div>')


def lateness(delta: dt.timedelta) -> str:
    """How long past due, to the hour: "3天5小时", "7小时", "不到1小时"."""
    hours = int(delta.total_seconds() // 3600)
    days, hours = divmod(max(hours, 0), 24)
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    return f"{hours}小时" if hours else "不到1小时"


# The responsible unit's name comes from the names the page has already read
# (Scope.names), not from a join in each list.
# The target's type and id give its page (core.links) without reading the record.
FIELDS = ("pk", "rule", "target_repr", "due", "responsible_id", "target_type_id", "target_id")


def _first_rows(scope: Scope, lists: int,
                build: Callable[[], tuple[QuerySet[Deadline], list[Q]]]) -> list[list[dict]]:
    """The first ATTENTION_LIMIT rows (by due, then id) of the queryset ``build`` gives
    meeting each of its ``lists`` conditions, as plain values, in one statement on every
    backend: the queryset is compiled by the ORM with each condition as a flag column (so
    the visibility scope and the conditions stay the ORM's) — once per scope
    (``core.prepared``) —, and each list is an ordered, limited SELECT from it; the
    database inlines it, so every list still walks its index and stops at the limit."""
    def flagged():
        qs, conditions = build()
        flags = {f"attention_{i}": ExpressionWrapper(q, output_field=BooleanField())
                 for i, q in enumerate(conditions)}
        return qs.order_by().annotate(**flags).values(*FIELDS, *flags)

    inner = prepared.compiled(("dashboard.attention", lists) + scope.key, flagged)
    if inner is None:
        return [[] for _ in range(lists)]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f) for f in FIELDS)
    order = f"{qn('due')}, {qn('pk')}"
    parts = [f"SELECT * FROM (SELECT {i} AS attention_list, {columns} FROM ({inner.sql}) AS rows_{i} "
             f"WHERE {qn(f'attention_{i}')} ORDER BY {order} LIMIT {ATTENTION_LIMIT}) AS list_{i}"
             for i in range(lists)]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), list(inner.params) * len(parts))
        rows = cursor.fetchall()
    # The backend's own conversions of the values (SQLite returns times as text).
    converted = inner.convert(rows, offset=1, columns=len(FIELDS))
    out: list[list[dict]] = [[] for _ in parts]
    for row in converted:
        out[row[0]].append(dict(zip(FIELDS, row[1:])))
    for found in out:  # a UNION keeps no order of its own
        found.sort(key=lambda r: (r["due"], r["pk"]))
    return out


def _items(rows: list[dict], scope: Scope, overdue: bool) -> list[AttentionItem]:
    detail = reverse("deadlines:detail", args=[1])[:-2]  # one reverse per list: ".../<pk>/"
    now, names = scope.now, scope.names
    return [AttentionItem(
        pk=d["pk"], url=f"{detail}{d['pk']}/",
        target_url=links.url_for(d["target_type_id"], d["target_id"]),
        organization=names.get(d["responsible_id"], ""),
        rule=d["rule"], rule_label=rule_label(d["rule"]), target=d["target_repr"],
        due=formats.due_text(d["due"]),
        late=lateness(now - d["due"]) if overdue else "")
        for d in rows]


def attention(scope: Scope) -> list[AttentionList]:
    """需关注: overdue deadlines by lateness, escalations nobody acknowledged, and provisional
    deadlines while next year's calendar is missing. Each list is capped; its total links
    to the whole list."""
    live = live_totals(scope)  # the counts come from the tally, the first rows from the index
    org = single_org(scope)
    next_year = timezone.localdate().year + 1
    provisional_shown = not calendar.year_loaded(next_year)

    def base_and_conditions():
        conditions = [Q(state=DeadlineState.OVERDUE), deadline_selectors.unacknowledged_q()]
        if provisional_shown:
            conditions.append(Q(state=DeadlineState.OPEN, provisional=True))
        return scoped_deadlines(scope), conditions

    rows = _first_rows(scope, 3 if provisional_shown else 2, base_and_conditions)
    lists = [
        AttentionList("逾期未办", "按逾期时间长短排列，最久的在前。",
                      Figure(live["overdue"], deadline_url(state=DeadlineState.OVERDUE,
                                                           organization=org)),
                      _items(rows[0], scope, True)),
        AttentionList("督办无人签收", "已逾期并升级督办，但督办消息尚无人阅读。",
                      Figure(live["unacknowledged"], deadline_url(escalation="unacknowledged",
                                                                  organization=org)),
                      _items(rows[1], scope, True)),
    ]
    if provisional_shown:
        lists.append(AttentionList(
            "暂定期限", f"{next_year}年节假日安排尚未导入，跨入该年的期限按周末和固定节日暂定，"
                       "导入后自动重算。",
            Figure(live["provisional"], deadline_url(provisional=1, organization=org)),
            _items(rows[2], scope, False), overdue=False))
    return lists
