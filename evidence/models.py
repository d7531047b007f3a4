"""Evidence items on a case and their confirmation checklists (M13).

Each type of evidence has its clause's checklist as explicit fields. Whether an item is
confirmed is never typed in: ``EvidenceItem.gaps`` derives it from the checklist (and
``evidence.selectors`` adds the files), so the state cannot disagree with the facts.
"""
from __future__ import annotations

from typing import Callable

from django.conf import settings
from django.db import models
from django.urls import reverse

from cases.models import EnforcementCase


class EvidenceKind(models.TextChoices):
    INQUIRY_RECORD = "inquiry_record", "询问笔录"          # M13.2
    DOCUMENTARY = "documentary", "书证"                     # M13.3
    PHYSICAL = "physical", "物证"                           # M13.4
    AUDIO_VISUAL = "audio_visual", "视听资料"               # M13.5
    COPY = "copy", "复制件"                                 # M13.6
    OTHER = "other", "其他"                                 # M13.1 only


class EvidenceItem(models.Model):
    case = models.ForeignKey(EnforcementCase, verbose_name="案件", on_delete=models.CASCADE,
                             related_name="evidence_items")
    kind = models.CharField("证据类型", max_length=20, choices=EvidenceKind.choices)
    title = models.CharField("证据名称", max_length=200)
    proves = models.TextField("证明事项", max_length=2000, help_text="该证据拟证明的案件事实。")
    source = models.CharField("来源", max_length=200,
                              help_text="从何处、由何人取得（如：当事人提供、现场提取）。")
    obtained_on = models.DateField("取得日期")

    # M13.1 — every type
    verified = models.BooleanField("经查证属实", default=False,
                                   help_text="已查证属实，形式和来源合法，能够证明案件事实。")

    # Alterations (M13.2 inquiry records, M13.3 documentary evidence)
    has_alterations = models.BooleanField("有涂改", default=False)
    # M13.2: signature, seal or other mark of the interviewee; M13.3: fingerprint.
    alterations_confirmed = models.BooleanField(
        "涂改处已确认", default=False,
        help_text="询问笔录：被询问人签名、盖章或以其他方式确认；书证：涂改处按指印。")

    # M13.3 documentary evidence
    checked_against_original = models.BooleanField("已与原件核对", default=False,
                                                   help_text="复印、复制的书证已与原件核对无误。")
    pages_signed = models.BooleanField(
        "逐页签名或盖章", default=False,
        help_text="每页均由执法人员、当事人和制作人签名或盖章。")
    true_expression_stated = models.BooleanField("已注明是否真实意思表示", default=False)
    collected_at = models.DateTimeField("提取时间", null=True, blank=True)

    # M13.4 physical evidence
    original_kept = models.BooleanField("已保存原物", default=False)
    original_not_kept_reason = models.TextField(
        "未保存原物的原因", blank=True, max_length=1000, help_text="原物确实无法保存时，说明原因。")
    counterpart_signed = models.BooleanField("当事人已签字确认", default=False)
    # M13.4: other corroboration stands in for the signature only where the counterpart
    # cannot sign, and the reason is recorded.
    counterpart_unable_reason = models.TextField(
        "当事人无法签字的原因", blank=True, max_length=1000,
        help_text="当事人确实无法签字时（如拒绝签字、下落不明），说明原因。")
    corroboration = models.TextField("其他佐证", blank=True, max_length=2000,
                                     help_text="当事人无法签字时，以何种方式印证（如见证人、照片、录像）。")

    # M13.5 audio-visual material
    original_carrier_kept = models.BooleanField("已保存原始载体", default=False)
    production_method = models.CharField("制作方法", max_length=200, blank=True)
    produced_at = models.DateTimeField("制作时间", null=True, blank=True)
    producer = models.CharField("制作人", max_length=100, blank=True)
    has_audio = models.BooleanField("含声音", default=False)
    transcript = models.TextField("声音内容的文字记录", blank=True, max_length=20000)

    # M13.6 copies (复制件), only where obtaining the original is difficult
    original_unobtainable_reason = models.TextField(
        "调取原始证据有困难的原因", blank=True, max_length=1000,
        help_text="只有调取原始证据确有困难时才能以复制件作为证据，说明困难所在。")
    provider_marked = models.BooleanField(
        "提供人已注明“经核对与原件无误”", default=False)
    marked_on = models.DateField("注明日期", null=True, blank=True)
    provider_signed = models.BooleanField("提供人已签名或盖章", default=False)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = "证据"
        ordering = ["case", "id"]
        constraints = [
            # An alteration cannot be confirmed where there is none.
            models.CheckConstraint(
                condition=models.Q(has_alterations=True) | models.Q(alterations_confirmed=False),
                name="evidence_alterations_confirmed_needs_alterations",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}“{self.title}”"

    def get_absolute_url(self) -> str:
        return reverse("evidence:detail", args=[self.pk])

    def gaps(self) -> list[str]:
        """What the item's checklist still lacks (Chinese), files aside; empty = complete."""
        return [label for check, label in CHECKLISTS[self.kind] if not check(self)]


Check = tuple[Callable[[EvidenceItem], bool], str]

_VERIFIED: Check = (lambda i: i.verified, "未经查证属实")

# The checklist of each type, clause by clause: (condition, what is missing when it fails).
CHECKLISTS: dict[str, list[Check]] = {
    EvidenceKind.INQUIRY_RECORD: [
        _VERIFIED,
        (lambda i: not i.has_alterations or i.alterations_confirmed,
         "涂改处未经被询问人签名、盖章或以其他方式确认"),
    ],
    EvidenceKind.DOCUMENTARY: [
        _VERIFIED,
        (lambda i: i.checked_against_original, "未与原件核对"),
        (lambda i: i.collected_at is not None, "未注明提取时间"),
        (lambda i: i.pages_signed, "未逐页由执法人员、当事人和制作人签名或盖章"),
        (lambda i: i.true_expression_stated, "未注明是否为真实意思表示"),
        (lambda i: not i.has_alterations or i.alterations_confirmed, "涂改处未按指印"),
    ],
    EvidenceKind.PHYSICAL: [
        _VERIFIED,
        (lambda i: i.original_kept or bool(i.original_not_kept_reason.strip()),
         "未保存原物，也未说明原因"),
        (lambda i: i.counterpart_signed or bool(i.counterpart_unable_reason.strip()),
         "当事人未签字确认，也未说明无法签字的原因"),
        (lambda i: i.counterpart_signed or bool(i.corroboration.strip()),
         "当事人未签字确认，也无其他佐证"),
    ],
    EvidenceKind.AUDIO_VISUAL: [
        _VERIFIED,
        (lambda i: i.original_carrier_kept, "未保存原始载体"),
        (lambda i: bool(i.production_method.strip()), "未注明制作方法"),
        (lambda i: i.produced_at is not None, "未注明制作时间"),
        (lambda i: bool(i.producer.strip()), "未注明制作人"),
        (lambda i: not i.has_audio or bool(i.transcript.strip()),
         "声音资料没有文字记录"),
    ],
    EvidenceKind.COPY: [
        _VERIFIED,
        (lambda i: bool(i.original_unobtainable_reason.strip()), "未说明调取原始证据有困难的原因"),
        (lambda i: i.provider_marked, "提供人未注明“经核对与原件无误”"),
        (lambda i: i.marked_on is not None, "未注明日期"),
        (lambda i: i.provider_signed, "提供人未签名或盖章"),
    ],
    EvidenceKind.OTHER: [_VERIFIED],
}

# The checklist fields each type's form shows (common fields aside), in order.
CHECKLIST_FIELDS: dict[str, tuple[str, ...]] = {
    EvidenceKind.INQUIRY_RECORD: ("verified", "has_alterations", "alterations_confirmed"),
    EvidenceKind.DOCUMENTARY: ("verified", "checked_against_original", "collected_at",
                               "pages_signed", "true_expression_stated", "has_alterations",
                               "alterations_confirmed"),
    EvidenceKind.PHYSICAL: ("verified", "original_kept", "original_not_kept_reason",
                            "counterpart_signed", "counterpart_unable_reason", "corroboration"),
    EvidenceKind.AUDIO_VISUAL: ("verified", "original_carrier_kept", "production_method",
                                "produced_at", "producer", "has_audio", "transcript"),
    EvidenceKind.COPY: ("verified", "original_unobtainable_reason", "provider_marked",
                        "marked_on", "provider_signed"),
    EvidenceKind.OTHER: ("verified",),
}
COMMON_FIELDS = ("title", "proves", "source", "obtained_on")
# What an item lacks while no file is attached: evidence is only on file when the scan,
# photo or recording itself is attached.
NO_FILE_GAP = "未上传证据文件（扫描件、照片或音视频）"
