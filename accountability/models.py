"""Accountability proceedings (M8, 行政执法责任追究): each enforcement agency pursues its
own officers' faults (M8.1) on one of the three grounds (M8.2); the fault determination's
conclusion decides the route — administrative handling by the agency, a sanction or post
change by the appointing or supervisory organ, a suspected crime to the judiciary (M8.3);
a matter the law reserves to the supervisory organ, the appointing organ or a higher agency
is recorded as such and not processed (M8.4). The justice bureau supervises every agency's
proceedings. A proceeding may come from a source another app registers
(``accountability.sources``)."""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Attachment, Organization, Recorded


class Ground(models.TextChoices):
    # M8.2
    NOT_PERFORMED = "not_performed", "未履行法定职责"
    IMPROPER = "improper", "不当履行法定职责"
    ILLEGAL = "illegal", "违法履行法定职责"


class ProceedingStatus(models.TextChoices):
    """Moves only through accountability.workflow.PROCEEDING_WORKFLOW."""

    # Opened by the agency; the fault is to be determined within the rule's time.
    OPEN = "open", "待认定过错责任"
    # Fault found; the route is chosen and its outcome awaited.
    DETERMINED = "determined", "已认定过错责任，待处理"
    # The outcome of the route is recorded with its document.
    CONCLUDED = "concluded", "已办结"
    # The determination found no fault: no liability.
    NOT_LIABLE = "not_liable", "认定无过错责任，不予追究"
    # A claim of lawful performance was accepted (M12.3, exemption app).
    EXEMPTED = "exempted", "依法履职免责"
    # M8.4: reserved to another organ; recorded, not processed.
    RESERVED = "reserved", "依法由其他机关处理，不适用本机制"


CLOSED_STATES = (ProceedingStatus.CONCLUDED, ProceedingStatus.NOT_LIABLE,
                 ProceedingStatus.EXEMPTED, ProceedingStatus.RESERVED)


class Route(models.TextChoices):
    # M8.3
    ADMINISTRATIVE = "administrative", "行政处理（由本机关按管理权限实施）"
    SANCTION = "sanction", "行政处分或职务调整（由人事任免机关或监察机关实施）"
    CRIMINAL = "criminal", "涉嫌犯罪，移送司法机关追究刑事责任"


class ReservedTo(models.TextChoices):
    # M8.4 依法要由监察机关、人事任免机关或者上级行政机关处理的案件
    SUPERVISORY = "supervisory", "监察机关"
    APPOINTING = "appointing", "人事任免机关"
    HIGHER = "higher", "上级行政机关"


class Proceeding(Recorded):
    subject = models.CharField("问责事项", max_length=200)
    agency = models.ForeignKey(Organization, verbose_name="责任追究机关", on_delete=models.PROTECT,
                               related_name="accountability_proceedings")
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="责任人员",
                                      related_name="accountability_proceedings")
    ground = models.CharField("问责情形", max_length=20, choices=Ground.choices)
    facts = models.TextField("问题事实", max_length=5000)
    # The source (accountability.sources): its kind, the object and its text when opened.
    source_kind = models.CharField("线索来源类别", max_length=40, blank=True)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    source_id = models.CharField(max_length=64, blank=True)
    source_text = models.CharField("问责线索来源", max_length=300, blank=True)
    status = models.CharField("状态", max_length=20, choices=ProceedingStatus.choices,
                              default=ProceedingStatus.OPEN)
    fault_determination = models.TextField("过错责任认定", max_length=5000, blank=True)
    determined_at = models.DateTimeField("认定时间", null=True, blank=True)
    route = models.CharField("处理方式", max_length=20, choices=Route.choices, blank=True)
    outcome_organ = models.CharField("实施机关", max_length=100, blank=True)
    outcome = models.TextField("处理结果", max_length=2000, blank=True)
    outcome_document = models.ForeignKey(Attachment, verbose_name="处理决定文书", null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    # When it ended, whichever way (办结, 不予追究, 免责, 不适用本机制): its age stops there.
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    reserved_to = models.CharField("依法处理的机关", max_length=20, choices=ReservedTo.choices,
                                   blank=True)
    reserved_reason = models.TextField("不适用本机制的依据", max_length=2000, blank=True)

    class Meta:
        verbose_name = "责任追究"
        verbose_name_plural = "责任追究"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "status"], name="proceeding_agency_status"),
                   models.Index(fields=["source_type", "source_id"], name="proceeding_source")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=[ProceedingStatus.DETERMINED, ProceedingStatus.CONCLUDED])
                | (~Q(route="") & ~Q(fault_determination="") & Q(determined_at__isnull=False)),
                name="proceeding_determined_has_route"),
            models.CheckConstraint(
                condition=~Q(status=ProceedingStatus.CONCLUDED)
                | (~Q(outcome="") & Q(outcome_document__isnull=False, closed_at__isnull=False)),
                name="proceeding_concluded_has_outcome"),
            models.CheckConstraint(
                condition=~Q(status__in=CLOSED_STATES) | Q(closed_at__isnull=False),
                name="proceeding_closed_has_time"),
            models.CheckConstraint(
                condition=~Q(status=ProceedingStatus.RESERVED)
                | (~Q(reserved_to="") & ~Q(reserved_reason="")),
                name="proceeding_reserved_has_organ"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("accountability:detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATES
