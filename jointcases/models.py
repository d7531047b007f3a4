"""Joint case handling (M6): a joint operation in a key field, led by one department with
the participating departments and townships — its work plan and emergency plan, each
participant's confirmation, the consultations and the cases each participant opened, and
the results summary that closes it (M6.1); and the tasks a higher unit gives a lower one —
a unified action, a division of supervision focus — with a due date and a report back
(M6.2)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cases.models import EnforcementField
from core.models import Attachment, Organization, Recorded
from deadlines.calendar import end_of_day


class OperationStatus(models.TextChoices):
    """Moves only through jointcases.workflow.OPERATION_WORKFLOW."""

    PREPARING = "preparing", "筹备中"  # plans written, participants confirming
    UNDER_WAY = "under_way", "实施中"  # started: consultations and cases are recorded
    CLOSED = "closed", "已结束"  # closed with its results summary


class JointOperation(Recorded):
    lead = models.ForeignKey(Organization, verbose_name="牵头部门", on_delete=models.PROTECT,
                             related_name="+")
    title = models.CharField("行动名称", max_length=200)
    field = models.CharField("执法领域", max_length=30, choices=EnforcementField.choices)
    scope = models.TextField("行动内容", max_length=3000,
                             help_text="整治对象、区域和需要各部门配合的事项。")
    starts_on = models.DateField("计划开始日期")
    ends_on = models.DateField("计划结束日期")
    work_plan = models.TextField("工作方案", max_length=10000, blank=True)
    work_plan_file = models.ForeignKey(Attachment, verbose_name="工作方案文件", null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="+")
    emergency_plan = models.TextField("应急预案", max_length=10000, blank=True)
    emergency_plan_file = models.ForeignKey(Attachment, verbose_name="应急预案文件", null=True,
                                            blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=20, choices=OperationStatus.choices,
                              default=OperationStatus.PREPARING)
    started_at = models.DateTimeField("启动时间", null=True, blank=True)
    results = models.TextField("行动成果", max_length=10000, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "联合执法行动"
        verbose_name_plural = "联合执法行动"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="joint_operation_ends_after_start"),
            models.CheckConstraint(condition=~Q(status=OperationStatus.CLOSED) | ~Q(results=""),
                                   name="joint_operation_closed_has_results"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jointcases:detail", args=[self.pk])


class Participant(models.Model):
    """A participating department or township, and its confirmation (M6.1 与有关部门沟通协商)."""

    operation = models.ForeignKey(JointOperation, verbose_name="联合执法行动",
                                  on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey(Organization, verbose_name="参加单位", on_delete=models.PROTECT,
                             related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "参加单位"
        verbose_name_plural = "参加单位"
        ordering = ["operation", "unit__kind", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["operation", "unit"],
                                               name="joint_participant_once")]

    def __str__(self) -> str:
        return f"{self.operation}：{self.unit.name}"

    def get_absolute_url(self) -> str:
        return f"{self.operation.get_absolute_url()}#participants"


class Consultation(Recorded):
    """A consultation among the lead and the participants (M6.1 沟通协商)."""

    operation = models.ForeignKey(JointOperation, verbose_name="联合执法行动",
                                  on_delete=models.CASCADE, related_name="consultations")
    held_on = models.DateField("会商日期")
    subject = models.CharField("会商事项", max_length=200)
    conclusion = models.TextField("会商意见", max_length=5000)
    units = models.ManyToManyField(Organization, verbose_name="参加会商单位", related_name="+")

    class Meta:
        verbose_name = "会商记录"
        verbose_name_plural = "会商记录"
        ordering = ["operation", "held_on", "id"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return f"{self.operation.get_absolute_url()}#consultation-{self.pk}"


class LinkedCase(models.Model):
    """A case a participant (or the lead) opened in the operation."""

    operation = models.ForeignKey(JointOperation, verbose_name="联合执法行动",
                                  on_delete=models.CASCADE, related_name="cases")
    case = models.ForeignKey("cases.EnforcementCase", verbose_name="案件", on_delete=models.PROTECT,
                             related_name="+")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="关联人",
                                  on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField("关联时间", auto_now_add=True)

    class Meta:
        verbose_name = "联合执法案件"
        verbose_name_plural = "联合执法案件"
        ordering = ["operation", "linked_at", "id"]
        constraints = [models.UniqueConstraint(fields=["operation", "case"],
                                               name="joint_case_once")]

    def __str__(self) -> str:
        return f"{self.operation}：{self.case.number}"

    def get_absolute_url(self) -> str:
        return f"{self.operation.get_absolute_url()}#cases"


class TaskKind(models.TextChoices):
    UNIFIED = "unified", "统一联动执法行动"
    FOCUS = "focus", "监管重点分工"
    RECTIFY = "rectify", "综合整治"


class TaskStatus(models.TextChoices):
    """Moves only through jointcases.workflow.TASK_WORKFLOW."""

    ASSIGNED = "assigned", "待反馈"  # the lower unit carries it out and reports by the due date
    REPORTED = "reported", "待认可"  # reported; the higher unit accepts or sends it back
    RETURNED = "returned", "已退回"  # sent back with a reason: the lower unit reports again
    ACCEPTED = "accepted", "已认可"  # accepted by the higher unit


class GuidanceTask(Recorded):
    """M6.2: a task a higher unit gives a township or a lower unit, with its due date (the
    ``guidance_report`` deadline: inaction shows as overdue, slow action as late)."""

    giver = models.ForeignKey(Organization, verbose_name="下达单位", on_delete=models.PROTECT,
                              related_name="+")
    receiver = models.ForeignKey(Organization, verbose_name="承办单位", on_delete=models.PROTECT,
                                 related_name="+")
    kind = models.CharField("任务类别", max_length=20, choices=TaskKind.choices)
    title = models.CharField("任务名称", max_length=200)
    content = models.TextField("任务要求", max_length=5000)
    due_on = models.DateField("反馈期限")
    status = models.CharField("状态", max_length=20, choices=TaskStatus.choices,
                              default=TaskStatus.ASSIGNED)
    report = models.TextField("落实情况", max_length=5000, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="反馈人", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField("反馈时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", max_length=2000, blank=True)
    accepted_at = models.DateTimeField("认可时间", null=True, blank=True)

    class Meta:
        verbose_name = "督导任务"
        verbose_name_plural = "督导任务"
        ordering = ["due_on", "-id"]
        constraints = [models.CheckConstraint(
            condition=Q(status=TaskStatus.ASSIGNED) | ~Q(report=""), name="guidance_reported_has_text")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jointcases:task", args=[self.pk])

    @property
    def due(self):
        return end_of_day(self.due_on)
