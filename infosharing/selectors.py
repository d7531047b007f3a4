"""Reads of information sharing and their visibility. Channels are every member's
directory; an inspection, its results and its bulletin are the bureau's until circulated,
then each unit sees the inspection and its own result (M5.3); a statistics request is seen
by the units asked and each report by its unit (M5.4); a query by the agency that asked
and the agency asked (M5.5). The justice bureau sees all (core.policy), every refusal
included."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Cast

from cases.models import ActType, EnforcementCase
from core import policy
from core.models import Organization, OrgKind
from deadlines.calendar import end_of_day, start_of_day
from deadlines.models import Deadline, DeadlineState

from .models import (Channel, InfoQuery, InspectionStatus, QueryStatus, StatCategory,
                     StatisticsReport, StatisticsRequest, UnitResult, WebInspection)

# The units that publish enforcement information, report statistics and are inspected.
UNIT_KINDS = (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP)
PUBLICITY_RULES = ("publicity_licensing_penalty", "publicity_other")


def enforcement_units() -> models.QuerySet[Organization]:
    return Organization.objects.filter(kind__in=UNIT_KINDS, is_active=True).order_by("kind", "name")


@policy.register_scope(Channel)
def _channels(viewer: policy.Viewer) -> Q:
    # The addresses are public; every member unit reads the directory.
    return Q(pk__isnull=False) if viewer.org_ids else Q(pk__in=[])


@policy.register_scope(WebInspection)
def _inspections(viewer: policy.Viewer) -> Q:
    return Q(status=InspectionStatus.CIRCULATED) if viewer.org_ids else Q(pk__in=[])


@policy.register_scope(UnitResult)
def _results(viewer: policy.Viewer) -> Q:
    return Q(unit_id__in=viewer.org_ids, inspection__status=InspectionStatus.CIRCULATED)


@policy.register_scope(StatisticsRequest)
def _requests(viewer: policy.Viewer) -> Q:
    return Q(pk__in=StatisticsReport.objects.filter(unit_id__in=viewer.org_ids).values("request_id"))


@policy.register_scope(StatisticsReport)
def _reports(viewer: policy.Viewer) -> Q:
    return Q(unit_id__in=viewer.org_ids)


@policy.register_scope(InfoQuery)
def _queries(viewer: policy.Viewer) -> Q:
    return Q(requester_id__in=viewer.org_ids) | Q(addressee_id__in=viewer.org_ids)


def _keyword(qs, text: str, *fields: str):
    if not text:
        return qs
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": text})
    return qs.filter(condition)


# --- channels --------------------------------------------------------------------------
def channel_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Channel]:
    f = filters or {}
    qs = policy.visible_to(user, Channel).select_related("unit")
    if f.get("unit"):
        qs = qs.filter(unit=f["unit"])
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    return _keyword(qs, f.get("q", ""), "unit__name", "address").order_by("unit__name", "kind")


def units_without_channels() -> models.QuerySet[Organization]:
    """Units that have not given all four channels (M5.2)."""
    return enforcement_units().annotate(n=Count("publicity_channels")).filter(n__lt=4)


# --- inspections -----------------------------------------------------------------------
def inspection_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[WebInspection]:
    f = filters or {}
    qs = policy.visible_to(user, WebInspection).select_related("bulletin")
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("year"):
        qs = qs.filter(period__startswith=f"{f['year']}-")
    qs = _keyword(qs, f.get("q", ""), "summary", "review_remarks", "period")
    return qs.annotate(units=Count("results"), with_problems=Count(
        "results", filter=Q(results__problems__gt=0))).order_by("-period")


def inspection_get(user, pk) -> WebInspection:
    return policy.access(user, WebInspection.objects.select_related("bureau", "bulletin", "created_by"), pk)


def results_of(user, inspection: WebInspection) -> models.QuerySet[UnitResult]:
    return (policy.visible_to(user, UnitResult).filter(inspection=inspection)
            .select_related("unit", "notice", "screenshot").order_by("unit__kind", "unit__name"))


def result_get(user, pk) -> UnitResult:
    return policy.access(user, UnitResult.objects.select_related(
        "inspection", "inspection__bureau", "unit", "screenshot", "notice", "checked_by"), pk)


def late_publications(first: dt.date, last: dt.date) -> dict[int, int]:
    """M5.3 decisions published late: per unit, the cases' publicity deadlines falling due
    in the quarter that were met after their due or are overdue — one GROUP BY."""
    rows = (Deadline.objects.filter(rule__in=PUBLICITY_RULES, due__gte=start_of_day(first),
                                    due__lt=end_of_day(last))
            .filter(Q(state=DeadlineState.OVERDUE) | Q(state=DeadlineState.MET, met_at__gt=models.F("due")))
            .order_by().values("responsible_id").annotate(n=Count("pk")))
    return {r["responsible_id"]: r["n"] for r in rows}


# --- statistics ------------------------------------------------------------------------
# The case act types the platform counts under each category; 重大具体行政行为 counts the
# major decisions whatever their type.
ACT_CATEGORY = {ActType.LICENSING: StatCategory.LICENSING, ActType.PENALTY: StatCategory.PENALTY,
                ActType.COERCION: StatCategory.COERCION, ActType.LEVY: StatCategory.LEVY,
                ActType.CHARGE: StatCategory.CHARGE, ActType.INSPECTION: StatCategory.INSPECTION}


def statistics_prefill(first: dt.date, last: dt.date) -> dict[int, dict[str, int]]:
    """Per unit, the cases filed in [first, last] by category — one GROUP BY over the
    cases for all units (``make bench ARGS=statistics``: 1,000,000 cases)."""
    rows = (EnforcementCase.objects.filter(filed_on__gte=first, filed_on__lte=last)
            .order_by().values("department_id", "act_type")
            .annotate(n=Count("pk"), major=Count("pk", filter=Q(is_major_decision=True))))
    out: dict[int, dict[str, int]] = {}
    for r in rows:
        figures = out.setdefault(r["department_id"], dict.fromkeys(StatCategory.values, 0))
        category = ACT_CATEGORY.get(r["act_type"])
        if category:
            figures[category] += r["n"]
        figures[StatCategory.MAJOR] += r["major"]
    return out


def request_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[StatisticsRequest]:
    f = filters or {}
    qs = policy.visible_to(user, StatisticsRequest)
    if f.get("year"):
        qs = qs.filter(period_start__year__lte=f["year"], period_end__year__gte=f["year"])
    qs = _keyword(qs, f.get("q", ""), "title")
    return qs.annotate(asked=Count("reports"),
                       submitted=Count("reports", filter=Q(reports__status="submitted"))
                       ).order_by("-due_on", "-id")


def request_get(user, pk) -> StatisticsRequest:
    return policy.access(user, StatisticsRequest.objects.select_related("bureau", "created_by"), pk)


def reports_of(user, request: StatisticsRequest) -> models.QuerySet[StatisticsReport]:
    return (policy.visible_to(user, StatisticsReport).filter(request=request)
            .select_related("unit", "submitted_by").order_by("unit__kind", "unit__name"))


def report_list(user, request: StatisticsRequest, filters: Mapping[str, Any] | None = None
                ) -> models.QuerySet[StatisticsReport]:
    """The district table's rows: the request's reports the user sees, by status and q."""
    f = filters or {}
    qs = reports_of(user, request)
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    return _keyword(qs, f.get("q", ""), "unit__name")


def report_totals(reports: models.QuerySet[StatisticsReport]) -> dict[str, int]:
    """The district table's totals row (one statement)."""
    sums = reports.order_by().aggregate(**{c: Sum(c) for c in StatCategory.values})
    return {c: sums[c] or 0 for c in StatCategory.values}


def report_get(user, pk) -> StatisticsReport:
    return policy.access(user, StatisticsReport.objects.select_related("request", "request__bureau", "unit"), pk)


# --- queries ---------------------------------------------------------------------------
def query_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[InfoQuery]:
    f = filters or {}
    qs = policy.visible_to(user, InfoQuery).select_related("requester", "addressee")
    if f.get("overdue"):
        qs = qs.filter(overdue_query_q())
    for name in ("status", "refusal_ground", "requester", "addressee"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("since"):
        qs = qs.filter(created_at__gte=start_of_day(f["since"]))
    if f.get("until"):
        qs = qs.filter(created_at__lt=end_of_day(f["until"]))
    qs = _keyword(qs, f.get("q", ""), "subject", "purpose", "answer", "refusal_law")
    return qs.order_by("-created_at", "-id")


def query_get(user, pk) -> InfoQuery:
    return policy.access(user, InfoQuery.objects.select_related(
        "requester", "addressee", "case", "created_by", "answered_by"), pk)


def overdue_query_q() -> Q:
    """A query whose answer deadline has run out (the sweep marks it)."""
    return Q(Exists(Deadline.objects.filter(
        target_type=ContentType.objects.get_for_model(InfoQuery), target_id=Cast(OuterRef("pk"), CharField()),
        rule="info_query_answer", state=DeadlineState.OVERDUE)))
