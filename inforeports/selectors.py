"""Reads of the information reports and their visibility: a report for its unit (the
justice bureau sees all); the monthly table per unit (W3)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q

from core import policy
from core.models import Attachment, Organization, OrgKind

from .models import InfoReport, ReportStatus

RULE = "info_reports"
UNIT_KINDS = (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP)


@policy.register_scope(InfoReport)
def _reports(viewer: policy.Viewer) -> Q:
    return Q(unit_id__in=viewer.org_ids)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def report_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[InfoReport]:
    """Visible reports filtered by unit, status, month (``YYYY-MM``), since/until and q."""
    f = filters or {}
    qs = policy.visible_to(user, InfoReport).select_related("unit", "created_by")
    for name in ("unit", "status"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("month"):
        qs = qs.filter(month=f["month"])
    if f.get("since"):
        qs = qs.filter(created_at__date__gte=f["since"])
    if f.get("until"):
        qs = qs.filter(created_at__date__lte=f["until"])
    if f.get("q"):
        qs = qs.filter(Q(title__icontains=f["q"]) | Q(text__icontains=f["q"]))
    return qs.order_by("-created_at", "-id")


def report_get(user, pk) -> InfoReport:
    return policy.access(user, InfoReport.objects.select_related("unit", "created_by", "adopted_by"), pk)


def files_of(user, report: InfoReport) -> models.QuerySet[Attachment]:
    return policy.visible_to(user, Attachment).filter(
        target_type=ContentType.objects.get_for_model(report), target_id=str(report.pk))


def units() -> models.QuerySet[Organization]:
    return Organization.objects.filter(kind__in=UNIT_KINDS, is_active=True)


def monthly_table(user, month: dt.date, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Organization]:
    """W3: each unit the user sees with ``submitted`` and ``adopted`` for ``month`` (one
    statement); ``short`` keeps those below ``settings.INFO_REPORTS_PER_MONTH``."""
    f = filters or {}
    qs = units()
    if not policy.sees_all(user):
        qs = qs.filter(pk__in=policy.viewer(user).org_ids)
    if f.get("unit"):
        qs = qs.filter(pk=f["unit"].pk)
    if f.get("q"):
        qs = qs.filter(name__icontains=f["q"])
    in_month = Q(info_reports__month=month)
    qs = qs.annotate(submitted=Count("info_reports", filter=in_month),
                     adopted=Count("info_reports", filter=in_month & Q(info_reports__status=ReportStatus.ADOPTED)))
    if f.get("short"):
        qs = qs.filter(submitted__lt=settings.INFO_REPORTS_PER_MONTH)
    return qs.order_by("kind", "name")
