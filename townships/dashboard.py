"""The township cooperation panel of the supervision dashboard (loaded by
dashboard.registry.autodiscover): in the period, the on-the-spot dissuasions each township
recorded and how many were followed by a transfer (M15.1), and the consultations and joint
handlings held and still without a conclusion (M15.4). Two statements whatever the data;
each figure links to the list of exactly its rows."""
from __future__ import annotations

from django.db.models import Count, Q

from core import policy
from dashboard.registry import Figure, Metric, Panel, Row, Scope, Table, list_url, provider

from .models import Consultation, ConsultationKind, Dissuasion
from .selectors import PARTIES


@provider("townships", "乡镇与部门协作", order=25)
def townships_panel(scope: Scope) -> Panel | None:
    period = scope.period
    span = {"since": period.start.isoformat(), "until": period.end.isoformat()}
    one = {"organization": scope.organizations[0].pk} if (
        scope.org_ids is not None and len(scope.organizations) == 1) else {}

    def dissuasions():
        qs = (policy.visible_to(scope.user, Dissuasion)
              .filter(dissuaded_at__gte=period.start_at, dissuaded_at__lt=period.end_before))
        return qs if scope.org_ids is None else qs.filter(PARTIES[Dissuasion](sorted(scope.org_ids)))

    def consultations():
        qs = (policy.visible_to(scope.user, Consultation)
              .filter(meeting_at__gte=period.start_at, meeting_at__lt=period.end_before))
        return qs if scope.org_ids is None else qs.filter(PARTIES[Consultation](sorted(scope.org_ids)))

    # 1: the dissuasions per township (a handful of rows).
    per_township = scope.values("townships.dissuasions", lambda: (
        dissuasions().order_by().values("township_id").annotate(
            n=Count("pk"), untransferred=Count("pk", filter=Q(transfer__isnull=True)))))
    # 2: the consultations and joint handlings.
    held = scope.aggregate("townships.consultations", consultations, {
        "n": Count("pk"), "open": Count("pk", filter=Q(concluded_at__isnull=True)),
        "joint": Count("pk", filter=Q(kind=ConsultationKind.JOINT_HANDLING)),
        "joint_open": Count("pk", filter=Q(kind=ConsultationKind.JOINT_HANDLING, concluded_at__isnull=True))})
    dissuaded = sum(r["n"] for r in per_township)
    untransferred = sum(r["untransferred"] for r in per_township)
    if not dissuaded and not held["n"] and not scope.viewer.sees_all:
        return None  # a unit with no township cooperation in the period; the bureau sees zeros

    def dissuasion_url(**params) -> str:
        return list_url("townships:dissuasions", **one, **span, **params)

    def consultation_url(**params) -> str:
        return list_url("townships:consultations", **one, **span, **params)

    names = scope.names
    table = Table(
        key="townships-dissuasions", caption="现场劝阻（按劝阻单位）", row_header="劝阻单位",
        columns=("现场劝阻", "未移送主管部门"),
        rows=[Row(names.get(r["township_id"], ""),
                  [Figure(r["n"], list_url("townships:dissuasions", township=r["township_id"], **span)),
                   Figure(r["untransferred"], list_url("townships:dissuasions", township=r["township_id"],
                                                       transferred="no", **span))])
              for r in sorted(per_township, key=lambda r: -r["n"])])
    kinds = Table(
        key="townships-consultations", caption="会商与联合处置", row_header="类别",
        columns=("召开", "尚未形成意见"),
        rows=[Row(str(ConsultationKind.CONSULTATION.label), [
                  Figure(held["n"] - held["joint"], consultation_url(kind=ConsultationKind.CONSULTATION)),
                  Figure(held["open"] - held["joint_open"],
                         consultation_url(kind=ConsultationKind.CONSULTATION, state="open"))]),
              Row(str(ConsultationKind.JOINT_HANDLING.label), [
                  Figure(held["joint"], consultation_url(kind=ConsultationKind.JOINT_HANDLING)),
                  Figure(held["joint_open"],
                         consultation_url(kind=ConsultationKind.JOINT_HANDLING, state="open"))])])
    return Panel(
        key="townships", title="乡镇与部门协作", order=25,
        description=f"{period.label}：现场劝阻后是否移送主管部门，会商与联合处置是否形成意见。",
        metrics=[
            Metric("现场劝阻", Figure(dissuaded, dissuasion_url())),
            Metric("劝阻后未移送", Figure(untransferred, dissuasion_url(transferred="no")),
                   tone="warning" if untransferred else ""),
            Metric("会商与联合处置", Figure(held["n"], consultation_url())),
            Metric("尚未形成意见", Figure(held["open"], consultation_url(state="open")),
                   tone="warning" if held["open"] else ""),
        ],
        tables=[table, kinds],
    )
