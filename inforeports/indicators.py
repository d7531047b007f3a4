"""Figures other apps read (the appraisal, M9; the inspections' lead rule): one GROUP BY
each, whatever the number of units."""
from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Count, Q

from core.models import Organization

from .models import InfoReport, ReportStatus
from .selectors import units


def reports_by_unit(year: int) -> dict[int, tuple[int, int]]:
    """W3: unit id → (reports submitted, reports adopted) in ``year``."""
    rows = (InfoReport.objects.filter(month__year=year).order_by().values("unit_id")
            .annotate(n=Count("pk"), adopted=Count("pk", filter=Q(status=ReportStatus.ADOPTED))))
    return {r["unit_id"]: (r["n"], r["adopted"]) for r in rows}


def units_without_report(year: int, month: int) -> models.QuerySet[Organization]:
    """W3: the departments and townships with no information report in that month."""
    return units().exclude(pk__in=InfoReport.objects.filter(month=dt.date(year, month, 1)).values("unit_id"))
