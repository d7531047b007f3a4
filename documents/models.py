"""Issued official documents and their number counters.

An issued document is a record: its file, sha256, number, issuer, time and the data it
was rendered from never change (the model refuses, and on PostgreSQL a trigger refuses
too — migration 0002). Only its status moves (issued → voided or corrected) through
``DOCUMENT_WORKFLOW``; a correction is a new version with the same number that points
to the version it replaces.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from core.models import Organization, Recorded


class ImmutableDocumentError(Exception):
    pass


class DocumentStatus(models.TextChoices):
    # In force: the current version of an issued document.
    ISSUED = "issued", "已签发"
    # Replaced by a corrected version (the newer row's ``previous`` points here).
    SUPERSEDED = "superseded", "已更正"
    # Withdrawn by the issuer; its number stays used and is never given again.
    VOIDED = "voided", "已作废"


def document_path(instance: "Document", filename: str) -> str:
    return (f"documents/{instance.year}/{instance.issuer_id}-{instance.number_code_slug}"
            f"-{instance.sequence}-v{instance.version}-{instance.sha256[:12]}.pdf")


class DocumentCounter(models.Model):
    """The last sequence given per (issuer, number code, year). Locked with SELECT … FOR
    UPDATE while a number is allocated, so numbers are gap-free and never repeat."""

    issuer = models.ForeignKey(Organization, verbose_name="发文机关", on_delete=models.PROTECT,
                               related_name="+")
    number_code = models.CharField("代字", max_length=8)
    year = models.PositiveSmallIntegerField("年份")
    last_sequence = models.PositiveIntegerField("已用到的顺序号", default=0)

    class Meta:
        verbose_name = "发文字号计数"
        verbose_name_plural = "发文字号计数"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number_code", "year"],
                                    name="document_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer.short_name}{self.number_code}〔{self.year}〕{self.last_sequence}"


class Document(models.Model):
    kind = models.CharField("文种", max_length=40, db_index=True)
    title = models.CharField("标题", max_length=200)
    issuer = models.ForeignKey(Organization, verbose_name="发文机关", on_delete=models.PROTECT,
                               related_name="issued_documents")
    addressee = models.ForeignKey(
        Organization, verbose_name="主送机关", null=True, blank=True, on_delete=models.PROTECT,
        related_name="received_documents", help_text="主送单位的人员可以查看本文件。")
    number_code = models.CharField("代字", max_length=8)
    year = models.PositiveSmallIntegerField("年份")
    sequence = models.PositiveIntegerField("顺序号")
    version = models.PositiveSmallIntegerField("版本", default=1)
    number = models.CharField("发文字号", max_length=60, db_index=True)
    previous = models.OneToOneField(
        "self", verbose_name="更正的版本", null=True, blank=True, on_delete=models.PROTECT,
        related_name="correction")
    data = models.JSONField("生成数据", default=dict)
    file = models.FileField("PDF 文件", upload_to=document_path, max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("大小（字节）")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签发人",
                                  on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("签发时间")
    status = models.CharField("状态", max_length=20, choices=DocumentStatus.choices,
                              default=DocumentStatus.ISSUED)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="作废人", null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    void_reason = models.TextField("作废理由", blank=True, max_length=1000)
    # What the document belongs to (a case, a transfer …): who sees that sees the document.
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")

    class Meta:
        verbose_name = "公文"
        verbose_name_plural = "公文"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number_code", "year", "sequence", "version"],
                                    name="document_number_version_unique"),
            models.CheckConstraint(condition=models.Q(sequence__gte=1) & models.Q(version__gte=1),
                                   name="document_sequence_version_positive"),
            models.CheckConstraint(
                condition=models.Q(version=1, previous__isnull=True)
                | models.Q(version__gt=1, previous__isnull=False),
                name="document_correction_points_to_previous"),
            models.CheckConstraint(
                condition=~models.Q(status=DocumentStatus.VOIDED) | ~models.Q(void_reason=""),
                name="document_void_has_reason"),
        ]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        suffix = f"（第{self.version}版）" if self.version > 1 else ""
        return f"{self.number} {self.title}{suffix}"

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def number_code_slug(self) -> str:
        return f"{ord(self.number_code[0]):x}" if self.number_code else "x"

    @property
    def kind_title(self) -> str:
        from .kinds import _KINDS

        registered = _KINDS.get(self.kind)
        return registered.title if registered else self.kind

    @property
    def is_current(self) -> bool:
        return self.status == DocumentStatus.ISSUED

    def save(self, *args, **kwargs):
        # The status moves through core.workflow (a conditional UPDATE), never through save.
        if self.pk is not None:
            raise ImmutableDocumentError("已签发的公文不能修改；如需更正，请签发更正版本。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocumentError("已签发的公文不能删除；如需撤回，请作废。")


class RectificationKind(models.TextChoices):
    # M7.5: what the unit did to rectify, with its materials.
    REPORT = "report", "整改情况报告"
    # The unit disagrees with the notice and says why; the bureau answers.
    OBJECTION = "objection", "异议"


class RectificationStatus(models.TextChoices):
    """Moves only through documents.rectification.RECTIFICATION_WORKFLOW."""

    SUBMITTED = "submitted", "待司法局审核"
    # The bureau verified the rectification: the notice's rectification deadline is met.
    ACCEPTED = "accepted", "已验收"
    # Sent back with a new deadline (the old one is cancelled, the new one opened).
    RETURNED = "returned", "已退回重新整改"
    ANSWERED = "answered", "已答复"


class RectificationReport(Recorded):
    """A unit's report of its rectification, or its objection, on a supervision notice
    (M7.5: rectification is reported and verified), with the bureau's reply."""

    notice = models.ForeignKey(Document, verbose_name="监督通知书", on_delete=models.PROTECT,
                               related_name="rectification_reports")
    kind = models.CharField("类别", max_length=20, choices=RectificationKind.choices)
    status = models.CharField("状态", max_length=20, choices=RectificationStatus.choices,
                              default=RectificationStatus.SUBMITTED)
    body = models.TextField("内容", max_length=5000)
    reply = models.TextField("司法局意见", blank=True, max_length=2000)
    new_deadline = models.DateField("重新整改期限", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = "整改情况报告"
        verbose_name_plural = "整改情况报告"
        ordering = ["notice", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=RectificationStatus.SUBMITTED) | ~models.Q(reply=""),
                name="rectification_reply_has_text_or_is_pending"),
            models.CheckConstraint(
                condition=~models.Q(status=RectificationStatus.RETURNED)
                | models.Q(new_deadline__isnull=False),
                name="rectification_returned_has_new_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.notice.number}的{self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return f"{self.notice.get_absolute_url()}#rectification-{self.pk}"
