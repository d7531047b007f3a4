"""Complaints and reports (M3), one ledger for the district: each unit's published
channels (M3.1), its registration-and-handling ledger (M3.2) — which the township
complaint loop of M15.2 is part of (转办 to the competent unit, the result reported back)
—, the justice bureau's supervision and direct handling (M3.3), and the one assistance
machinery: 协助调查 of a complaint handled directly (M3.4), technical support and archive
requests between townships and departments (M15.5)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Attachment, Organization, Recorded


class ComplaintChannel(models.Model):
    """M3.1: where the public complains to a unit — published on the portal."""

    organization = models.OneToOneField(Organization, verbose_name="单位", on_delete=models.PROTECT,
                                        related_name="complaint_channel")
    handling_office = models.CharField("受理投诉举报的工作机构", max_length=100,
                                       help_text="如：法制科。")
    phone = models.CharField("投诉举报电话", max_length=50, blank=True)
    postal = models.CharField("投诉举报信箱（通信地址）", max_length=200, blank=True)
    email = models.EmailField("电子邮箱", max_length=120, blank=True)
    address = models.CharField("来访接待地址", max_length=200, blank=True)
    hours = models.CharField("接待时间", max_length=100, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="公布人",
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("公布时间", auto_now=True)

    class Meta:
        verbose_name = "投诉举报渠道"
        verbose_name_plural = "投诉举报渠道"
        ordering = ["organization__kind", "organization__name"]
        constraints = [models.CheckConstraint(
            condition=~Q(phone="") | ~Q(postal="") | ~Q(email=""), name="channel_has_a_way_in")]

    def __str__(self) -> str:
        return f"{self.organization.name}投诉举报渠道"

    def get_absolute_url(self) -> str:
        return reverse("complaints:channels")


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"


class Channel(models.TextChoices):
    """How the complaint reached the unit (M3.2)."""

    PHONE = "phone", "电话"
    LETTER = "letter", "信函"
    VISIT = "visit", "来访"
    MAILBOX = "mailbox", "投诉举报信箱"
    WEBSITE = "website", "单位网站"
    HOTLINE = "hotline", "12345热线"  # with its work-order number
    PORTAL = "portal", "网上投诉（公开服务网站）"
    TRANSFER = "transfer", "其他单位转办"  # M15.2: handed on by the unit that received it


class ComplaintStatus(models.TextChoices):
    """Moves only through complaints.workflow.COMPLAINT_WORKFLOW."""

    REGISTERED = "registered", "已登记"  # the unit decides within 7 working days
    ACCEPTED = "accepted", "已受理"  # the handling period runs
    REJECTED = "rejected", "不予受理"  # with the reason told to the complainant
    TRANSFERRED = "transferred", "已转办"  # to the competent unit, whose ledger continues it
    INVESTIGATING = "investigating", "调查处理中"
    CONCLUDED = "concluded", "已办结"  # the result; the answer is due within 5 working days
    ANSWERED = "answered", "已答复"  # how and when the complainant was told
    ARCHIVED = "archived", "已归档"  # with the complainant's satisfaction


# What the public status page says of each status: the ledger's own steps, in words a
# complainant reads (never who handles it inside the unit).
PUBLIC_STATUS = {
    ComplaintStatus.REGISTERED: "已收到，待决定是否受理",
    ComplaintStatus.ACCEPTED: "已受理，正在办理",
    ComplaintStatus.REJECTED: "不予受理",
    ComplaintStatus.TRANSFERRED: "已转有权处理的单位办理",
    ComplaintStatus.INVESTIGATING: "正在调查处理",
    ComplaintStatus.CONCLUDED: "已办结，待答复",
    ComplaintStatus.ANSWERED: "已答复",
    ComplaintStatus.ARCHIVED: "已答复",
}

LIVE_STATUSES = (ComplaintStatus.REGISTERED, ComplaintStatus.ACCEPTED,
                 ComplaintStatus.INVESTIGATING, ComplaintStatus.CONCLUDED)


class AnswerMethod(models.TextChoices):
    PHONE = "phone", "电话告知"
    SMS = "sms", "短信告知"
    LETTER = "letter", "书面答复"
    IN_PERSON = "in_person", "当面告知"
    PORTAL = "portal", "网上答复"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"
    UNKNOWN = "unknown", "未评价"


# The complainant's identity and contact (举报人保密): shown only where
# services.may_see_complainant allows — pages, API, exports, search.
CONFIDENTIAL_FIELDS = ("complainant_name", "complainant_id_number", "complainant_phone",
                       "complainant_address", "tracking_code")


class Complaint(models.Model):
    """One entry of a unit's registration-and-handling ledger (M3.2)."""

    unit = models.ForeignKey(Organization, verbose_name="办理单位", on_delete=models.PROTECT,
                             related_name="complaints")
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("顺序号")
    number = models.CharField("台账编号", max_length=60)
    kind = models.CharField("类别", max_length=10, choices=ComplaintKind.choices)
    channel = models.CharField("来源渠道", max_length=10, choices=Channel.choices)
    hotline_order = models.CharField("12345工单号", max_length=40, blank=True)
    received_at = models.DateTimeField("收到时间")
    anonymous = models.BooleanField("匿名", default=False)
    confidential = models.BooleanField("要求保密", default=False)
    complainant_name = models.CharField("投诉举报人", max_length=100, blank=True)
    complainant_id_number = models.CharField("身份证件号码", max_length=30, blank=True)
    complainant_phone = models.CharField("联系电话", max_length=30, blank=True)
    complainant_address = models.CharField("联系地址", max_length=200, blank=True)
    subject_org = models.ForeignKey(Organization, verbose_name="被投诉举报单位", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    subject_officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="被投诉举报人员",
                                        null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    subject_officer_name = models.CharField("被投诉举报人员姓名", max_length=100, blank=True)
    matter = models.TextField("投诉举报事项", max_length=5000)
    status = models.CharField("状态", max_length=20, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.REGISTERED)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    reject_reason = models.TextField("不予受理理由", max_length=2000, blank=True)
    transferred_to = models.ForeignKey(Organization, verbose_name="转办单位", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    # M15.2: the entry of the unit that received it and handed it on here; the result is
    # reported back to that unit.
    referred_from = models.OneToOneField("self", verbose_name="转办来源", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="successor")
    told_at = models.DateTimeField("告知投诉举报人时间", null=True, blank=True,
                                   help_text="不予受理的理由或转办的处理单位告知投诉举报人的时间。")
    extension_reason = models.TextField("延长办理期限理由", max_length=1000, blank=True)
    result = models.TextField("办理结果", max_length=5000, blank=True)
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    answer_method = models.CharField("答复方式", max_length=10, choices=AnswerMethod.choices,
                                     blank=True)
    answer = models.TextField("答复内容", max_length=5000, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    satisfaction = models.CharField("投诉举报人满意度", max_length=15, choices=Satisfaction.choices,
                                    blank=True)
    archived_at = models.DateTimeField("归档时间", null=True, blank=True)
    # The public form's 查询码 (with the phone given, the status page's key).
    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "投诉举报"
        verbose_name_plural = "投诉举报"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "sequence"], name="complaint_number_unique"),
            models.CheckConstraint(condition=~Q(channel="hotline") | ~Q(hotline_order=""),
                                   name="complaint_hotline_has_order"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(reject_reason=""),
                                   name="complaint_rejected_has_reason"),
            models.CheckConstraint(condition=~Q(status="transferred") | Q(transferred_to__isnull=False),
                                   name="complaint_transferred_has_unit"),
        ]
        indexes = [
            models.Index(fields=["unit", "-received_at", "-id"], name="complaint_unit_received"),
            # The ledger's order carrying the unit: a page's keys come from this index
            # alone (an index-only scan) under a unit's scope (make bench ARGS=complaints).
            models.Index(fields=["-received_at", "-id"], include=["unit"], name="complaint_received_unit"),
        ]  # subject_org: the foreign key's own index (a second, named one was removed)

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("complaints:detail", args=[self.pk])

    @property
    def is_direct(self) -> bool:
        """M3.3: accepted by the justice bureau itself about a department or an officer."""
        from core.models import OrgKind

        return self.unit.kind == OrgKind.JUSTICE_BUREAU and self.subject_org_id is not None


class ComplaintFile(models.Model):
    """A material of a complaint (what the complainant sent, what the unit gathered):
    read only by those who may see the complainant, since it may name them — so not a
    core Attachment, whose visibility follows the complaint's scope."""

    complaint = models.ForeignKey(Complaint, verbose_name="投诉举报", on_delete=models.PROTECT,
                                  related_name="files")
    file = models.FileField("文件", upload_to="complaints/%Y/%m/", max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=120)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "投诉举报材料"
        verbose_name_plural = "投诉举报材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("complaints:file", args=[self.pk])


class PortalAttempt(models.Model):
    """One use of the public form or status page from a client address (its keyed hash,
    never the address itself): the rate limit counts them, across every web process."""

    SUBMIT, TRACK = "submit", "track"
    action = models.CharField(max_length=10)
    address = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["action", "address", "at"], name="portal_attempt_key")]


class AssistanceKind(models.TextChoices):
    INVESTIGATION = "investigation", "协助调查"  # M3.4: a complaint handled directly
    TECHNICAL = "technical", "技术支持"  # M15.5: asked by written letter
    ARCHIVES = "archives", "调取档案"  # M15.5


class AssistanceStatus(models.TextChoices):
    REQUESTED = "requested", "待答复"  # the addressee replies by the due date
    REPLIED = "replied", "已答复"  # with materials and explanations
    DECLINED = "declined", "不予协助"  # with the reason


class AssistanceRequest(Recorded):
    """An assistance request with a due date (``assistance_reply``), escalated like every
    deadline: 协助调查 of a complaint the justice bureau or a higher department handles
    directly (M3.4), technical support and archive access between a township and a
    department (M15.5)."""

    requester = models.ForeignKey(Organization, verbose_name="请求单位", on_delete=models.PROTECT,
                                  related_name="+")
    addressee = models.ForeignKey(Organization, verbose_name="被请求单位", on_delete=models.PROTECT,
                                  related_name="+")
    kind = models.CharField("类别", max_length=20, choices=AssistanceKind.choices)
    complaint = models.ForeignKey(Complaint, verbose_name="投诉举报", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="assistance")
    subject = models.CharField("事项", max_length=200)
    content = models.TextField("请求内容", max_length=5000)
    letter = models.ForeignKey(Attachment, verbose_name="书面函件", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    reply_due = models.DateField("答复期限")
    status = models.CharField("状态", max_length=20, choices=AssistanceStatus.choices,
                              default=AssistanceStatus.REQUESTED)
    reply = models.TextField("答复", max_length=5000, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "协助请求"
        verbose_name_plural = "协助请求"
        ordering = ["-created_at", "-id"]
        constraints = [
            # M15.5: technical support is asked for by written letter.
            models.CheckConstraint(condition=Q(letter__isnull=False) | ~Q(kind="technical"),
                                   name="complaints_assistance_technical_letter"),
            models.CheckConstraint(condition=~Q(requester=models.F("addressee")),
                                   name="complaints_assistance_not_to_self"),
            # M3.4: 协助调查 is of one complaint.
            models.CheckConstraint(condition=~Q(kind="investigation") | Q(complaint__isnull=False),
                                   name="complaints_assistance_investigation_complaint"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("complaints:assistance", args=[self.pk])
