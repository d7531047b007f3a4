"""The joint-meetings panel of the supervision dashboard (loaded by
dashboard.registry.autodiscover): per body, the regular meetings held in the period against
its rule (M1.2 once a year, M14.1 once a quarter), temporary meetings and member units
without a liaison (M1.4, M14.3); and the agreed matters open, overdue, sent back and
awaiting acceptance (M1.5). Two statements whatever the data; each figure links to the
list of exactly its rows."""
from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from core import policy
from dashboard.registry import Figure, Metric, Panel, Row, Scope, Table, list_url, provider

from .models import Assignment, BodyKind, JointBody, Liaison, Meeting, MeetingKind, MeetingStatus, Resolution
from .selectors import state_q


def _required(kind: str, scope: Scope) -> int:
    """How many regular meetings the rule asks for in the period: one for each calendar
    year (coordination) or quarter (approval) the period touches."""
    start, end = scope.period.start, scope.period.end
    if kind == BodyKind.COORDINATION:
        return end.year - start.year + 1
    return (end.year * 4 + (end.month - 1) // 3) - (start.year * 4 + (start.month - 1) // 3) + 1


def _count(qs) -> Subquery:
    return Coalesce(Subquery(qs.order_by().values("body_id").annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), 0)


@provider("meetings", "联席会议", order=10)
def meetings_panel(scope: Scope) -> Panel | None:
    period = scope.period

    def bodies_and_resolutions():
        bodies = policy.visible_to(scope.user, JointBody)
        resolutions = policy.visible_to(scope.user, Resolution)
        if scope.org_ids is not None:
            ids = sorted(scope.org_ids)
            bodies = bodies.filter(Q(convener_id__in=ids) | Q(pk__in=JointBody.objects.filter(
                members__in=ids).values("pk")))
            resolutions = resolutions.filter(Q(meeting__body__convener_id__in=ids) | Q(
                pk__in=Assignment.objects.filter(department_id__in=ids).values("resolution_id")))
        return bodies, resolutions

    def per_body():
        held = Meeting.objects.filter(body_id=OuterRef("pk"), status=MeetingStatus.HELD,
                                      held_at__gte=period.start_at, held_at__lt=period.end_before)
        named = Liaison.objects.filter(body_id=OuterRef("jointbody_id"), unit_id=OuterRef("organization_id"))
        members = JointBody.members.through.objects.filter(
            ~Exists(named), jointbody_id=OuterRef("pk"), organization__is_active=True)
        return bodies_and_resolutions()[0].order_by("kind").annotate(
            regular=_count(held.filter(kind=MeetingKind.REGULAR)),
            temporary=_count(held.filter(kind=MeetingKind.TEMPORARY)),
            missing=Coalesce(Subquery(members.order_by().values("jointbody_id").annotate(
                n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0),
        ).values("pk", "kind", "regular", "temporary", "missing")

    # Statement 1: per body, regular and temporary meetings held, members without a liaison.
    rows = scope.values("meetings.bodies", per_body)
    if not rows:
        return None
    # Statement 2: the agreed matters by state (the ledger's own conditions).
    states = ("open", "overdue", "returned", "reported")
    matters = scope.aggregate("meetings.matters", lambda: bodies_and_resolutions()[1],
                              lambda: {s: Count("pk", filter=state_q(s)) for s in states})

    span = {"status": MeetingStatus.HELD, "since": period.start.isoformat(),
            "until": period.end.isoformat()}
    body_rows = []
    for row in rows:
        body = row["pk"]
        body_rows.append(Row(str(BodyKind(row["kind"]).label), [
            Figure(_required(row["kind"], scope)),
            Figure(row["regular"], list_url("meetings:list", body=body, kind=MeetingKind.REGULAR, **span)),
            Figure(row["temporary"], list_url("meetings:list", body=body, kind=MeetingKind.TEMPORARY, **span)),
            Figure(row["missing"], f"{reverse('meetings:body', args=[body])}#members"),
        ]))
    table = Table(key="meetings-bodies", caption="联席会议召开情况", row_header="联席会议",
                  columns=("应召开例会", "已召开例会", "临时会议", "未明确联络员的成员单位"),
                  rows=body_rows)

    def ledger(state: str) -> Figure:
        return Figure(matters[state], list_url("meetings:resolutions", state=state))

    return Panel(
        key="meetings", title="联席会议", order=10,
        description=f"{period.label} 内召开的联席会议；议定事项为当前办理情况。",
        metrics=[
            Metric("议定事项落实中", ledger("open")),
            Metric("逾期未反馈", ledger("overdue"), tone="danger" if matters["overdue"] else ""),
            Metric("被退回待重新反馈", ledger("returned"), tone="warning" if matters["returned"] else ""),
            Metric("待认可", ledger("reported")),
        ],
        tables=[table],
    )
