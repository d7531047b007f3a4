"""Every write of the information reports (W3): a unit's report with its attachments —
the month's ``settings.INFO_REPORTS_PER_MONTH``-th report meets the unit's monthly duty —
and the justice bureau's adoption."""
from __future__ import annotations

from typing import BinaryIO, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import policy
from core.audit import audit_record
from core.models import Organization
from core.services import attachment_store
from core.workflow import transition_apply
from deadlines.notifications import notification_send
from deadlines.services import deadline_meet

from .models import InfoReport, ReportStatus
from .selectors import RULE, UNIT_KINDS, month_start
from .workflow import REPORT_WORKFLOW, justice_bureau


@policy.predicate("以该单位名义报送执法信息")
def may_submit(user, unit: Organization | None = None) -> bool:
    if unit is not None and unit.kind not in UNIT_KINDS:
        return False
    return policy.has_capability(user, "inforeport.submit", unit)


def info_report_submit(*, actor, unit: Organization, title: str, text: str,
                       files: Iterable[tuple[BinaryIO, str, int]] = ()) -> InfoReport:
    """A unit reports an information item to the justice bureau (W3). When it is the
    month's ``INFO_REPORTS_PER_MONTH``-th, the unit's duty for the month is met — the
    first report alone does not meet it."""
    may_submit.require(actor, unit)
    if not title.strip():
        raise ValidationError({"title": "请填写标题。"})
    if not text.strip():
        raise ValidationError({"text": "请填写正文。"})
    month = month_start(timezone.localdate())
    report = InfoReport(unit=unit, month=month, title=title.strip(), text=text.strip(), created_by=actor)
    report.full_clean()
    with transaction.atomic():
        # One unit's reports are counted under a lock on the unit, so two reports sent at
        # once do not both see themselves as the first.
        Organization.objects.select_for_update().filter(pk=unit.pk).first()
        report.save()
        for fileobj, name, size in files:
            attachment_store(actor=actor, organization=unit, fileobj=fileobj, name=name, size=size,
                             target=report, description="执法信息附件")
        audit_record(actor=actor, verb="inforeports.report.submit", target=report, organization=unit,
                     changes={"title": [None, report.title]})
        count = InfoReport.objects.filter(unit=unit, month=month).count()
        if count >= settings.INFO_REPORTS_PER_MONTH:
            deadline_meet(target=unit, rule=RULE, actor=actor, period=f"{month:%Y-%m}")
        notification_send(recipients=[justice_bureau()], subject=f"执法信息：{report.title}",
                          body=f"{unit.name}报送本月第 {count} 篇执法信息。", target=report, actor=actor)
    return report


def info_report_adopt(*, actor, report: InfoReport) -> InfoReport:
    """The justice bureau adopts the item; the unit is told."""
    with transaction.atomic():
        transition_apply(workflow=REPORT_WORKFLOW, obj=report, target=ReportStatus.ADOPTED, actor=actor,
                         updates={"adopted_at": timezone.now(), "adopted_by": actor})
        notification_send(recipients=[report.unit], subject=f"执法信息已采用：{report.title}",
                          target=report, actor=actor)
    return report
