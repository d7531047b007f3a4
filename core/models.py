"""Users, organisations, roles, the audit trail and attachments (the shared pieces)."""
from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models


class OrgKind(models.TextChoices):
    JUSTICE_BUREAU = "justice_bureau", "区司法局"
    COORDINATION_OFFICE = "coordination_office", "执法协调小组办公室"
    DEPARTMENT = "department", "行政执法部门"
    TOWNSHIP = "township", "乡镇（街道）"
    PROCURATORATE = "procuratorate", "区人民检察院"
    POLICE = "police", "公安机关"
    DISCIPLINE = "discipline", "纪检监察机关"
    APPROVAL_BUREAU = "approval_bureau", "区行政审批局"
    GOVERNMENT = "government", "区人民政府"
    COURT = "court", "人民法院"
    STAFFING_OFFICE = "staffing_office", "区委编办"
    EXPERT_POOL = "expert_pool", "专家库"
    # An internal unit (科室、中队) of a department or township. It never sends a
    # transfer in its own name (M15.1), so forms that act for a unit exclude it — unless
    # a law empowers it to act in its own name (Organization.empowered_basis).
    INTERNAL_UNIT = "internal_unit", "内设机构"
    # A city-level enforcement authority above a district department: the next-higher
    # authority a criminal transfer is reported to (M4.3).
    HIGHER_AUTHORITY = "higher_authority", "上级行政执法机关"


class Role(models.TextChoices):
    """The SPEC roles table. What each may do is in core.policy.CAPABILITIES."""

    OFFICER = "officer", "执法人员"
    LEGAL_OFFICER = "legal_officer", "法制机构人员"
    DEPARTMENT_HEAD = "department_head", "部门负责人"
    LIAISON = "liaison", "联络员"
    SUPERVISOR = "supervisor", "监督员"
    COORDINATION_OFFICE = "coordination_office", "执法协调小组办公室人员"
    PROSECUTOR = "prosecutor", "检察官"
    POLICE = "police", "公安"
    DISCIPLINE = "discipline", "纪检监察"
    APPROVAL_STAFF = "approval_staff", "审批人员"
    GOVERNMENT = "government", "区政府"
    EXPERT = "expert", "专家"
    SYSTEM_ADMIN = "system_admin", "系统管理员"


class User(AbstractUser):
    real_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    certificate_no = models.CharField(
        "执法证号", max_length=40, blank=True,
        help_text="持有行政执法证件的人员填写。",
    )
    # Set when an administrator creates the account or sets its password: the user must
    # choose their own at the next sign-in (core.middleware.SignInStepsMiddleware).
    password_change_required = models.BooleanField("须修改初始密码", default=False)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_no"], condition=~models.Q(certificate_no=""),
                name="user_certificate_no_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.real_name or self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.username


class Organization(models.Model):
    name = models.CharField("全称", max_length=100, unique=True)
    short_name = models.CharField(
        "简称", max_length=20, help_text="用于文号，如“北司”。",
    )
    kind = models.CharField("类别", max_length=30, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    # M4.3: the next-higher enforcement authority a criminal transfer is reported to —
    # not ``parent``, which is the department an internal unit belongs to.
    higher_authority = models.ForeignKey(
        "self", verbose_name="上一级行政执法机关", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # M15.1 "法律法规规章明确规定的除外": an internal or dispatched unit that a law,
    # regulation or rule empowers to act in its own name, with that legal basis; set by
    # an administrator, never chosen on a transfer form.
    empowered_basis = models.CharField(
        "以自己名义执法的法定依据", max_length=300, blank=True,
        help_text="内设机构、派出机构经法律、法规、规章明确规定以自己名义执法的，填写依据（法规名称及条款）。",
    )
    complaint_phone = models.CharField("投诉举报电话", max_length=50, blank=True)
    complaint_mailbox = models.CharField("投诉举报信箱", max_length=120, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["short_name"], name="organization_short_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "上级单位不能是本单位。"})
        if self.higher_authority_id and self.higher_authority_id == self.pk:
            raise ValidationError({"higher_authority": "上一级行政执法机关不能是本单位。"})


class Membership(models.Model):
    """A user holds a role in an organisation; a user may hold several."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE,
                             related_name="memberships")
    organization = models.ForeignKey(Organization, verbose_name="单位", on_delete=models.CASCADE,
                                     related_name="memberships")
    role = models.CharField("角色", max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"],
                                    name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization.short_name} · {self.get_role_display()}"


class AppendOnlyError(Exception):
    pass


class Event(models.Model):
    """The audit trail: one row per change, written by the service that makes it.

    Append-only: the model refuses updates and deletes, the admin is read-only, and on
    PostgreSQL triggers refuse them (and TRUNCATE) in the database too and set the time
    (migrations 0002, 0007); the application's role may only read and insert
    (``manage.py db_roles``).
    """

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, verbose_name="操作人", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, verbose_name="单位", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    verb = models.CharField("动作", max_length=60)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更", default=dict, blank=True,
                               help_text="{字段: [原值, 新值]}")
    note = models.TextField("说明", blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    # The hash chain (PostgreSQL, migration 0007): the database seals committed events in
    # order — its number in the chain, its predecessor's hash and its own — so that
    # `manage.py audit_verify` finds a row changed, removed or inserted.
    seq = models.BigIntegerField("链序号", null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField("前一事件哈希", max_length=64, blank=True, editable=False)
    hash = models.CharField("哈希", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.verb} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("审计事件只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计事件只能追加，不能删除。")


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The user's file name never reaches the file system: only a random name and the
    # extension that matches the sniffed type.
    return f"attachments/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("文件类型", max_length=120)
    extension = models.CharField(max_length=10)
    uploaded_by = models.ForeignKey(User, verbose_name="上传人", on_delete=models.PROTECT,
                                    related_name="+")
    organization = models.ForeignKey(Organization, verbose_name="上传单位", on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField("上传时间")
    # What the file belongs to (a case, an evidence item, a transfer …); visibility
    # follows that object's scope.
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    description = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:attachment_download", args=[self.pk])


class Recorded(models.Model):
    """Who created a record and when: the two columns most mechanism records carry,
    declared once (HackSoft's BaseModel)."""

    created_by = models.ForeignKey(User, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        abstract = True


class Submission(models.Model):
    """A form's one-time key (``core.pages``): a POST that arrives again with the same key
    — a double click, a browser's retry of a slow submit — is not carried out twice (a
    retried slow submit once issued the same notice under two numbers)."""

    key = models.UUIDField("提交标识", unique=True)
    user = models.ForeignKey(User, verbose_name="提交人", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    result_url = models.CharField("结果页面", max_length=300, blank=True)

    class Meta:
        verbose_name = "表单提交"
        verbose_name_plural = "表单提交"


class ExportState(models.TextChoices):
    PENDING = "pending", "排队中"  # queued for the worker
    RUNNING = "running", "生成中"  # the worker is writing rows
    DONE = "done", "已完成"  # the file is ready to download
    FAILED = "failed", "失败"  # the worker stopped; ``error`` says why


def export_path(instance: "ExportJob", filename: str) -> str:
    return f"exports/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ExportJob(models.Model):
    """A large Excel export written in the background (core.exports): the page polls
    ``done``/``total`` for its progress bar and links the file when ready. Only its
    owner sees it."""

    owner = models.ForeignKey(User, verbose_name="导出人", on_delete=models.CASCADE,
                              related_name="export_jobs")
    kind = models.CharField("导出类型", max_length=60)
    title = models.CharField("名称", max_length=200)
    params = models.JSONField("筛选条件", default=dict, blank=True)
    state = models.CharField("状态", max_length=10, choices=ExportState.choices,
                             default=ExportState.PENDING)
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已写行数", default=0)
    file = models.FileField("文件", upload_to=export_path, max_length=200, blank=True)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")),
                                   name="export_done_within_total"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.state == ExportState.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0


class LoginDelay(models.Model):
    """Failed sign-ins per user name (core.login): past ``LOGIN_FAILURE_LIMIT`` each
    further failure makes the next attempt wait longer — a growing delay rather than a
    lock, which anyone who knows a user name could hold."""

    username = models.CharField("用户名", max_length=150, unique=True)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    retry_at = models.DateTimeField("可再次尝试时间", null=True, blank=True)

    class Meta:
        verbose_name = "登录延迟"
        verbose_name_plural = "登录延迟"

    def __str__(self) -> str:
        return self.username


class Heartbeat(models.Model):
    """The last time a periodic job finished (``/healthz``: the beat heartbeat is the
    deadline sweep's, which beat starts every minute). One row per job, updated in place."""

    name = models.CharField("任务", max_length=50, primary_key=True)
    at = models.DateTimeField("最近完成时间")

    class Meta:
        verbose_name = verbose_name_plural = "定时任务心跳"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def beat(cls, name: str) -> None:
        from django.utils import timezone

        cls.objects.update_or_create(name=name, defaults={"at": timezone.now()})
