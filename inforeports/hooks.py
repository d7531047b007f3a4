"""The monitoring lead of W3 (M7.3, inspections/leads.py): a department or township that
has sent no information report this month."""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat, Left
from django.utils import timezone


def _no_report(threshold, now):
    from core.models import Organization

    from .indicators import units_without_report

    month = timezone.localtime(now)
    return units_without_report(month.year, month.month).values(
        target_type_id=Value(ContentType.objects.get_for_model(Organization).pk),
        target_id=Cast("pk", CharField()), organization_id=F("pk"),
        subject=Left(Concat("name", Value(f"{month.month}月未报送执法信息")), 200))


def register_all() -> None:
    from inspections import leads

    leads.register(leads.LeadRule("no_info_report", "本月未报送执法信息", _no_report))
