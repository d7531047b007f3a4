"""Duty-performance exemption (M12, 行政执法人员依法履职免责):

- interference records (M12.1–M12.2): an officer who was asked to breach a duty or a
  procedure, or whose case someone tried to influence, records it fully and truthfully —
  who, in what capacity, how, when, what was asked, whether it was refused. The record is
  archived: append-only (the model, its queryset, the admin and the API refuse to change
  or delete it; on PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE, migration
  0002), a correction is a new record linked to the one it corrects, and each record is
  hash-chained to the one before (``exemption.chain``; ``manage.py interference_verify``);
- exemption claims (M12.3): in an accountability proceeding, the officer claims lawful
  performance; the agency decides with reasons, recorded on the proceeding.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import AppendOnlyError, Organization, Recorded


class InterferenceKind(models.TextChoices):
    # M12.2 违法干预行政执法活动、插手具体案件处理
    CASE_MEDDLING = "case_meddling", "插手具体案件处理"
    # M12.1 违反法定职责、法定程序或者妨碍公正执法的要求
    BREACH_OF_DUTY = "breach_of_duty", "要求违反法定职责"
    BREACH_OF_PROCEDURE = "breach_of_procedure", "要求违反法定程序"
    OBSTRUCTION = "obstruction", "妨碍公正执法"


class InterferenceMethod(models.TextChoices):
    IN_PERSON = "in_person", "当面提出"
    PHONE = "phone", "电话"
    MESSAGE = "message", "短信、微信等网络方式"
    WRITTEN = "written", "书面（批条、便签、函件）"
    INTERMEDIARY = "intermediary", "托人转达"
    OTHER = "other", "其他方式"


class AppendOnlyQuerySet(models.QuerySet):
    """``update`` and ``delete`` on a queryset bypass the model's own refusals."""

    def update(self, **kwargs):
        raise AppendOnlyError("干预记录只能追加，不能修改。")

    def delete(self):
        raise AppendOnlyError("干预记录只能追加，不能删除。")


class InterferenceRecord(models.Model):
    # The chain (exemption.chain): its place, its predecessor's hash, its own.
    seq = models.PositiveBigIntegerField("链序号", unique=True, editable=False)
    prev_hash = models.CharField("前一记录哈希", max_length=64, editable=False)
    hash = models.CharField("哈希", max_length=64, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人",
                                    on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Organization, verbose_name="记录人所在单位", on_delete=models.PROTECT,
                             related_name="interference_records")
    created_at = models.DateTimeField("记录时间", editable=False)
    kind = models.CharField("干预类别", max_length=30, choices=InterferenceKind.choices)
    interferer_name = models.CharField("干预人姓名", max_length=50)
    interferer_unit = models.CharField("干预人单位", max_length=100)
    interferer_position = models.CharField("干预人职务或身份", max_length=50)
    # When the interfering person's unit is on the platform: that unit never reads the
    # record (unless it is the officer's own), M12.2.
    interferer_org = models.ForeignKey(Organization, verbose_name="干预人所在单位（本平台）",
                                       null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    method = models.CharField("干预方式", max_length=20, choices=InterferenceMethod.choices)
    occurred_at = models.DateTimeField("干预时间")
    demand = models.TextField("干预内容", max_length=5000,
                              help_text="提出了什么要求、说了什么，如实、完整记录。")
    refused = models.BooleanField("是否拒绝")
    response = models.TextField("拒绝或处理情况", max_length=2000)
    case = models.ForeignKey("cases.EnforcementCase", verbose_name="涉及案件", null=True,
                             blank=True, on_delete=models.PROTECT, related_name="+")
    corrects = models.ForeignKey("self", verbose_name="更正的记录", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="corrections")
    correction_reason = models.CharField("更正理由", max_length=500, blank=True)
    # The SHA-256 of each file attached when recorded, so the chain covers them too.
    attachment_digests = models.JSONField("附件摘要", default=list, editable=False)

    objects = AppendOnlyQuerySet.as_manager()
    # Its files are read only by those who read the record (core.selectors._attachments).
    attachments_follow_target = True

    class Meta:
        verbose_name = "干预执法活动记录"
        verbose_name_plural = "干预执法活动记录"
        ordering = ["-seq"]
        constraints = [models.CheckConstraint(
            condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
            name="interference_correction_has_reason")]

    def __str__(self) -> str:
        return f"干预记录第{self.seq}号"

    def get_absolute_url(self) -> str:
        return reverse("exemption:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("干预记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("干预记录只能追加，不能删除。")


class ExemptionGround(models.TextChoices):
    # M12.3, after the plan's 履职免责 paragraph (二、（十二）).
    LAWFUL_PERFORMANCE = "lawful_performance", "严格依据监管责任和履职标准依法履行职责"
    NO_DIRECT_LINK = "no_direct_link", "行政相对人发生的安全事故与履职行为之间不存在直接关系"
    REFUSED_DEMAND = "refused_demand", "拒绝违反法定职责、法定程序或者妨碍公正执法的要求"


class ClaimStatus(models.TextChoices):
    """Moves only through exemption.services.exemption_claim_decide."""

    PENDING = "pending", "待决定"  # the agency's head decides, with reasons
    ACCEPTED = "accepted", "予以免责"  # the proceeding closes as 依法履职免责
    REJECTED = "rejected", "不予免责"  # the determination proceeds


class ExemptionClaim(Recorded):
    proceeding = models.ForeignKey("accountability.Proceeding", verbose_name="责任追究",
                                   on_delete=models.PROTECT, related_name="exemption_claims")
    claimant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人",
                                 on_delete=models.PROTECT, related_name="+")
    ground = models.CharField("免责事由", max_length=30, choices=ExemptionGround.choices)
    statement = models.TextField("申请理由", max_length=5000)
    interference = models.ForeignKey(InterferenceRecord, verbose_name="相关干预记录", null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=20, choices=ClaimStatus.choices,
                              default=ClaimStatus.PENDING)
    decision_reason = models.TextField("决定理由", max_length=5000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)

    class Meta:
        verbose_name = "依法履职免责申请"
        verbose_name_plural = "依法履职免责申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["proceeding"], condition=Q(status=ClaimStatus.PENDING),
                                    name="exemption_one_pending_claim"),
            models.CheckConstraint(
                condition=Q(status=ClaimStatus.PENDING)
                | (~Q(decision_reason="") & Q(decided_at__isnull=False)),
                name="exemption_decided_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.claimant}的依法履职免责申请"

    def get_absolute_url(self) -> str:
        return self.proceeding.get_absolute_url()
