"""Case transfers (M4) — one machinery for the three kinds: to the competent department
(M4.2), a suspected crime to the police (M4.3), and township ↔ district department (M15.1)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Attachment, Organization


class TransferKind(models.TextChoices):
    COMPETENT = "competent", "移送有管辖权的部门"  # M4.2
    CRIMINAL = "criminal", "涉嫌犯罪案件移送公安机关"  # M4.3
    TOWNSHIP = "township", "乡镇（街道）与区职能部门相互移送"  # M15.1


class TransferStatus(models.TextChoices):
    """Allowed moves are in transfers.workflow.TRANSFER_WORKFLOW."""

    DRAFT = "draft", "草稿"  # prepared by the sender, materials being gathered
    PENDING_APPROVAL = "pending_approval", "待负责人审批"  # M4.3: reported to the head (3 days)
    APPROVED = "approved", "已批准移送"  # M4.3: the transfer must go within 24 hours
    CANCELLED = "cancelled", "已撤销"  # the head refused, or the sender dropped the draft
    SENT = "sent", "已移送"  # with the receiver, awaiting acceptance or a filing decision
    ACCEPTED = "accepted", "已接收"  # M4.2/M15.1: the receiver took the case
    RETURNED = "returned", "已退回"  # the receiver sent it back with reasons
    # M4.4: the competent department decided not to file (接收部门决定不予立案): the
    # sender may then decide the case itself.
    REFUSED = "refused", "接收部门不予立案"
    FILED = "filed", "公安已立案"  # M4.3
    NOT_FILED = "not_filed", "不予立案"  # M4.3: the sender may ask for reconsideration
    RECONSIDERATION = "reconsideration", "复议中"  # M4.3: answer due in 3 days
    # M4.4: the sender asked the procuratorate to supervise the refusal (立案监督).
    FILING_SUPERVISION = "filing_supervision", "检察院立案监督中"
    DROPPED = "dropped", "撤销案件"  # the police dropped a filed case
    CONCLUDED = "concluded", "司法处理终结"  # the procuratorate's or court's outcome recorded


# Before sending, only the sender sees a transfer.
UNSENT = (TransferStatus.DRAFT, TransferStatus.PENDING_APPROVAL, TransferStatus.APPROVED,
          TransferStatus.CANCELLED)


class CriminalOutcome(models.TextChoices):
    """How the receiver's, the police's or the judicial track ended. All but a conviction
    let the department decide the administrative case itself (M4.4)."""

    NOT_FILED = "not_filed", "不予立案"
    DROPPED = "dropped", "撤销案件"
    NOT_PROSECUTED = "not_prosecuted", "不起诉"
    ACQUITTED = "acquitted", "无罪判决"
    EXEMPTED = "exempted", "免于刑事处罚"
    CONVICTED = "convicted", "有罪判决"


RELEASING_OUTCOMES = (CriminalOutcome.NOT_FILED, CriminalOutcome.DROPPED,
                      CriminalOutcome.NOT_PROSECUTED, CriminalOutcome.ACQUITTED,
                      CriminalOutcome.EXEMPTED)


class MaterialType(models.TextChoices):
    TRANSFER_LETTER = "transfer_letter", "案件移送书"
    INVESTIGATION_REPORT = "investigation_report", "案件调查报告"
    ITEM_LIST = "item_list", "涉案物品清单"
    INSPECTION_REPORT = "inspection_report", "检验报告或鉴定结论"
    ADMINISTRATIVE_DECISION = "administrative_decision", "行政执法决定书"  # M4.4: travels along
    OTHER = "other", "其他材料"


# M4.2/M4.3: a transfer lacking one of these cannot be sent. Township transfers carry the
# transfer letter and the written statement of basic facts (M15.1). A decision already
# made adds the 行政执法决定书 (M4.4, transfers.workflow.required_materials).
REQUIRED_MATERIALS: dict[str, tuple[str, ...]] = {
    TransferKind.COMPETENT: (MaterialType.TRANSFER_LETTER, MaterialType.INVESTIGATION_REPORT,
                             MaterialType.ITEM_LIST, MaterialType.INSPECTION_REPORT),
    TransferKind.CRIMINAL: (MaterialType.TRANSFER_LETTER, MaterialType.INVESTIGATION_REPORT,
                            MaterialType.ITEM_LIST, MaterialType.INSPECTION_REPORT),
    TransferKind.TOWNSHIP: (MaterialType.TRANSFER_LETTER,),
}


class Transfer(models.Model):
    kind = models.CharField("移送类别", max_length=20, choices=TransferKind.choices)
    sender = models.ForeignKey(Organization, verbose_name="移送单位", on_delete=models.PROTECT,
                               related_name="transfers_sent")
    receiver = models.ForeignKey(Organization, verbose_name="接收单位", on_delete=models.PROTECT,
                                 related_name="transfers_received")
    # Township transfers may concern a matter the sender has not registered as a case.
    case = models.ForeignKey("cases.EnforcementCase", verbose_name="案件", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="transfers")
    subject = models.CharField("事由", max_length=200)
    reason = models.TextField("移送理由", max_length=2000,
                              help_text="超出管辖范围的法律、事实或金额依据；涉嫌犯罪的罪名及依据。")
    basic_facts = models.TextField("基本事实书面说明", max_length=5000, blank=True)
    discovered_at = models.DateTimeField("发现时间", null=True, blank=True)
    is_urgent = models.BooleanField("紧急移送", default=False,
                                    help_text="紧急情况须在发现后 24 小时内移送。")
    status = models.CharField("状态", max_length=20, choices=TransferStatus.choices,
                              default=TransferStatus.DRAFT)
    # Organisations that receive a copy for record (M4.3: procuratorate, justice bureau,
    # next-higher authority); filled when the transfer is sent.
    copied_to = models.ManyToManyField(Organization, verbose_name="抄送单位", blank=True,
                                       related_name="transfers_copied")
    # M4.4: an administrative decision made before the transfer travels with it and does
    # not wait for the criminal outcome.
    decision_travels = models.BooleanField("已作出的行政处理决定随案移送", default=False)
    outcome = models.CharField("处理结果", max_length=20, blank=True,
                               choices=CriminalOutcome.choices)
    outcome_note = models.TextField("处理结果说明", max_length=2000, blank=True)
    # M4.4: the outcome is recorded by the organ that made it (or, for a court's
    # judgment, the procuratorate or the justice bureau on its behalf), with its document.
    outcome_document = models.ForeignKey(Attachment, verbose_name="处理结果文书", null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    outcome_by = models.ForeignKey(Organization, verbose_name="处理结果登记单位", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    # M4.3: the next-higher enforcement authority the criminal transfer was reported to
    # when sent; empty when none was configured (the supervision list shows those).
    reported_to = models.ForeignKey(Organization, verbose_name="报告的上一级行政执法机关",
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    return_reason = models.TextField("退回理由", max_length=2000, blank=True)
    reconsidered = models.BooleanField("已申请复议", default=False)
    supervision_requested = models.BooleanField("已建议检察院立案监督", default=False)
    sent_at = models.DateTimeField("移送时间", null=True, blank=True)
    answered_at = models.DateTimeField("接收方处理时间", null=True, blank=True)
    # M4.5: the supervisor's order this transfer answers, if any.
    order = models.ForeignKey("transfers.TransferOrder", verbose_name="责令移送", null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="transfers")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "案件移送"
        verbose_name_plural = "案件移送"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(sender=models.F("receiver")),
                                   name="transfer_sender_not_receiver"),
            models.CheckConstraint(condition=Q(case__isnull=False) | Q(kind=TransferKind.TOWNSHIP),
                                   name="transfer_case_required_unless_township"),
            models.CheckConstraint(condition=Q(discovered_at__isnull=False) | ~Q(kind=TransferKind.TOWNSHIP),
                                   name="transfer_township_has_discovery"),
            models.CheckConstraint(condition=~Q(basic_facts="") | ~Q(kind=TransferKind.TOWNSHIP),
                                   name="transfer_township_has_basic_facts"),
        ]
        indexes = [
            models.Index(fields=["receiver", "status", "-created_at"], name="transfer_inbox_idx"),
            models.Index(fields=["sender", "status", "-created_at"], name="transfer_outbox_idx"),
            models.Index(fields=["kind", "status"], name="transfer_kind_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("transfers:detail", args=[self.pk])


class TransferMaterial(models.Model):
    transfer = models.ForeignKey(Transfer, verbose_name="移送", on_delete=models.CASCADE,
                                 related_name="materials")
    material_type = models.CharField("材料类别", max_length=30, choices=MaterialType.choices)
    attachment = models.ForeignKey(Attachment, verbose_name="文件", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    # The 案件移送书 is issued by the system as a numbered PDF.
    document = models.ForeignKey("documents.Document", verbose_name="公文", null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField("说明", max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="添加人",
                                 on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "移送材料"
        verbose_name_plural = "移送材料"
        ordering = ["material_type", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attachment__isnull=False) | Q(document__isnull=False),
                name="transfer_material_has_file"),
        ]

    def __str__(self) -> str:
        return self.get_material_type_display()

    def get_absolute_url(self) -> str:
        """The file itself: the issued document's page, or the uploaded file."""
        if self.document_id:
            return self.document.get_absolute_url()
        return self.attachment.get_absolute_url()


class ResponsibleHead(models.TextChoices):
    """M4.5: whom the sanction is proposed against."""

    PRINCIPAL = "principal", "正职负责人"
    ACTING = "acting", "主持工作的负责人"


class Sanction(models.TextChoices):
    """M4.5: 记过 or heavier (行政机关公务员处分条例 art. 6)."""

    DEMERIT = "demerit", "记过"
    MAJOR_DEMERIT = "major_demerit", "记大过"
    DEMOTION = "demotion", "降级"
    REMOVAL = "removal", "撤职"
    DISMISSAL = "dismissal", "开除"


class TransferOrder(models.Model):
    """M4.5: a supervisor orders a department to transfer a case by a deadline
    (责令限期移送通知书), and may propose a sanction of the responsible head."""

    issuer = models.ForeignKey(Organization, verbose_name="责令单位", on_delete=models.PROTECT,
                               related_name="transfer_orders_issued")
    department = models.ForeignKey(Organization, verbose_name="被责令单位",
                                   on_delete=models.PROTECT, related_name="transfer_orders")
    case = models.ForeignKey("cases.EnforcementCase", verbose_name="案件",
                             on_delete=models.PROTECT, related_name="transfer_orders")
    receiver = models.ForeignKey(Organization, verbose_name="应移送至", on_delete=models.PROTECT,
                                 related_name="+")
    kind = models.CharField("移送类别", max_length=20, choices=TransferKind.choices,
                            default=TransferKind.CRIMINAL)
    reason = models.TextField("应移送的理由", max_length=2000)
    due = models.DateTimeField("移送期限")
    notice = models.ForeignKey("documents.Document", verbose_name="责令限期移送通知书", null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    complied_at = models.DateTimeField("移送时间", null=True, blank=True)
    # 记过 or heavier, proposed to the government against the responsible head.
    sanction_proposal = models.TextField("处分建议理由", max_length=2000, blank=True)
    sanction_target = models.CharField("责任人", max_length=100, blank=True)
    sanction_post = models.CharField("责任人职务", max_length=20, blank=True,
                                     choices=ResponsibleHead.choices)
    sanction = models.CharField("建议处分", max_length=20, blank=True, choices=Sanction.choices)
    sanction_proposed_at = models.DateTimeField("提出处分建议时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("责令时间", auto_now_add=True)

    class Meta:
        verbose_name = "责令限期移送"
        verbose_name_plural = "责令限期移送"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"责令限期移送：{self.case}"

    def get_absolute_url(self) -> str:
        return reverse("transfers:order_detail", args=[self.pk])
