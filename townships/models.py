"""Township–district cooperation (M15). Transfers either way are ``transfers.Transfer``
rows of kind ``township`` (M15.1); this app keeps what surrounds them. The complaint loop
(M15.2) and the assistance requests (M15.5) are the complaints app's ledger and its
assistance requests."""
from __future__ import annotations

from django.db import models
from django.urls import reverse

from core.models import Organization, Recorded


class Dissuasion(Recorded):
    """M15.1: an ongoing violation is stopped on the spot and the competent department
    told at once."""

    township = models.ForeignKey(Organization, verbose_name="劝阻单位", on_delete=models.PROTECT,
                                 related_name="dissuasions")
    competent = models.ForeignKey(Organization, verbose_name="主管部门", on_delete=models.PROTECT,
                                  related_name="dissuasions_notified")
    location = models.CharField("地点", max_length=200)
    violation = models.TextField("正在实施的违法行为", max_length=2000)
    measures = models.TextField("现场劝阻情况", max_length=2000)
    dissuaded_at = models.DateTimeField("劝阻时间")
    notified_at = models.DateTimeField("告知主管部门时间")
    transfer = models.ForeignKey("transfers.Transfer", verbose_name="后续移送", null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "现场劝阻"
        verbose_name_plural = "现场劝阻"
        ordering = ["-dissuaded_at", "-id"]

    def __str__(self) -> str:
        return f"现场劝阻：{self.location}"

    def get_absolute_url(self) -> str:
        return reverse("townships:dissuasion", args=[self.pk])


class ConsultationKind(models.TextChoices):
    CONSULTATION = "consultation", "会商"  # common, hot or hard problems
    JOINT_HANDLING = "joint_handling", "联合处置"  # a major case handled jointly


class ConsultationTopic(models.TextChoices):
    COMMON = "common", "共性问题"
    HOT = "hot", "热点问题"
    HARD = "hard", "难点问题"
    MAJOR_CASE = "major_case", "重大案件"


class Consultation(Recorded):
    """M15.4: consultations on common, hot or hard problems; joint handling of major cases."""

    kind = models.CharField("类别", max_length=20, choices=ConsultationKind.choices)
    topic = models.CharField("问题类型", max_length=20, choices=ConsultationTopic.choices)
    initiator = models.ForeignKey(Organization, verbose_name="发起单位", on_delete=models.PROTECT,
                                  related_name="+")
    participants = models.ManyToManyField(Organization, verbose_name="参加单位",
                                          related_name="consultations")
    subject = models.CharField("议题", max_length=200)
    content = models.TextField("情况说明", max_length=5000)
    case = models.ForeignKey("cases.EnforcementCase", verbose_name="涉及案件", null=True,
                             blank=True, on_delete=models.PROTECT, related_name="+")
    meeting_at = models.DateTimeField("会商时间")
    conclusion = models.TextField("会商意见或处置结果", max_length=5000, blank=True)
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "会商与联合处置"
        verbose_name_plural = "会商与联合处置"
        ordering = ["-meeting_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("townships:consultation", args=[self.pk])


class InfoNotice(Recorded):
    """M15.3: enforcement and administrative information shared between both sides."""

    sender = models.ForeignKey(Organization, verbose_name="通报单位", on_delete=models.PROTECT,
                               related_name="+")
    recipients = models.ManyToManyField(Organization, verbose_name="接收单位",
                                        related_name="info_notices")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", max_length=10000)

    class Meta:
        verbose_name = "信息通报"
        verbose_name_plural = "信息通报"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("townships:info_notice", args=[self.pk])
