"""Enforcement information reports (W3; plan 四（三）): each unit reports enforcement
information items — title, text, attachments — to the justice bureau, at least
``settings.INFO_REPORTS_PER_MONTH`` a month (the monthly ``info_reports`` duty, met by the
month's second report); the bureau marks the items it adopts."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Organization, Recorded


class ReportStatus(models.TextChoices):
    """Moves only through inforeports.workflow.REPORT_WORKFLOW."""

    SUBMITTED = "submitted", "已报送"  # reached the justice bureau
    ADOPTED = "adopted", "已采用"  # the bureau adopted it (for its briefings, the website …)


class InfoReport(Recorded):
    unit = models.ForeignKey(Organization, verbose_name="报送单位", on_delete=models.PROTECT,
                             related_name="info_reports")
    month = models.DateField("所属月份", help_text="报送当月的第一天。")
    title = models.CharField("标题", max_length=200)
    text = models.TextField("正文", max_length=20000)
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices,
                              default=ReportStatus.SUBMITTED)
    adopted_at = models.DateTimeField("采用时间", null=True, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="采用人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "执法信息"
        verbose_name_plural = "执法信息"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(
            condition=~Q(status="adopted") | Q(adopted_at__isnull=False), name="inforeport_adopted_has_time")]
        indexes = [models.Index(fields=["month", "unit"], name="inforeport_month_unit")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inforeports:detail", args=[self.pk])
