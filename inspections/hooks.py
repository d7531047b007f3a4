"""The accountability source of M7 (M8.1, accountability/sources.py): a finding of a
circulated check may be pursued by the unit it was found in."""
from __future__ import annotations


def _findings(user):
    from accountability.source_kinds import _agencies

    from .selectors import findings_for_accountability

    return findings_for_accountability().filter(unit_id__in=_agencies(user))


def register_all() -> None:
    from accountability import sources
    from core.models import User

    from .models import Check, Finding

    sources.register(sources.SourceKind(
        key="inspection_finding", label="监督检查发现的问题", model=Finding, candidates=_findings,
        agency=lambda f: f.unit,
        officers=lambda f: User.objects.filter(memberships__organization=f.unit_id).distinct(),
        describe=lambda f: f"{f.check_record.title}：{f.get_item_display()}——{f.description[:80]}",
        order=30, shown_on=(Check, "check_record_id")))
