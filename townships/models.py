"""Township–district cooperation (M15). Transfers either way are ``transfers.Transfer``
rows of kind ``township`` (M15.1); this app keeps what surrounds them."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Attachment, Organization, Recorded


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


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", "已登记"  # a complaint reached this unit
    HANDLER_TOLD = "handler_told", "已告知处理单位"  # the complainant knows who handles it
    RESULT_REPORTED = "result_reported", "已反馈结果"  # result told and reported back (M15.2)


class ComplaintNotice(models.Model):
    """M15.2: whoever receives a complaint tells the complainant who will handle it; the
    township tells the complainant the result and reports it back to the department."""

    receiver = models.ForeignKey(Organization, verbose_name="接收单位", on_delete=models.PROTECT,
                                 related_name="+")
    handler = models.ForeignKey(Organization, verbose_name="处理单位", on_delete=models.PROTECT,
                                related_name="+")
    department = models.ForeignKey(Organization, verbose_name="区职能部门", on_delete=models.PROTECT,
                                   related_name="+", help_text="处理结果须反馈的区职能部门。")
    complainant_name = models.CharField("投诉人", max_length=100)
    complainant_contact = models.CharField("联系方式", max_length=100)
    summary = models.TextField("投诉内容", max_length=5000)
    received_at = models.DateTimeField("接收时间")
    status = models.CharField("状态", max_length=20, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.RECEIVED)
    told_at = models.DateTimeField("告知投诉人时间", null=True, blank=True)
    result = models.TextField("处理结果", max_length=2000, blank=True)
    result_at = models.DateTimeField("反馈时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人",
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "投诉告知与反馈"
        verbose_name_plural = "投诉告知与反馈"
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"投诉：{self.summary[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("townships:complaint", args=[self.pk])


class AssistanceKind(models.TextChoices):
    TECHNICAL = "technical", "技术支持（书面函件）"
    ARCHIVES = "archives", "调阅档案"


class AssistanceStatus(models.TextChoices):
    REQUESTED = "requested", "待答复"  # the addressee replies by the due date
    REPLIED = "replied", "已答复"
    DECLINED = "declined", "不予协助"  # with the reason


class AssistanceRequest(Recorded):
    """M15.5: requests for technical support (by written letter) and access to archives."""

    requester = models.ForeignKey(Organization, verbose_name="请求单位", on_delete=models.PROTECT,
                                  related_name="+")
    addressee = models.ForeignKey(Organization, verbose_name="被请求单位", on_delete=models.PROTECT,
                                  related_name="+")
    kind = models.CharField("类别", max_length=20, choices=AssistanceKind.choices)
    subject = models.CharField("事项", max_length=200)
    content = models.TextField("请求内容", max_length=5000)
    letter = models.ForeignKey(Attachment, verbose_name="书面函件", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    reply_due = models.DateField("答复期限")
    status = models.CharField("状态", max_length=20, choices=AssistanceStatus.choices,
                              default=AssistanceStatus.REQUESTED)
    reply = models.TextField("答复", max_length=2000, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "协助请求"
        verbose_name_plural = "协助请求"
        ordering = ["-created_at", "-id"]
        constraints = [
            # M15.5: technical support is asked for by written letter.
            models.CheckConstraint(condition=Q(letter__isnull=False) | ~Q(kind="technical"),
                                   name="assistance_technical_has_letter"),
            models.CheckConstraint(condition=~Q(requester=models.F("addressee")),
                                   name="assistance_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("townships:assistance", args=[self.pk])


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
