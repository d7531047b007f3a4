"""Approval–supervision linkage (M14.2, M14.4): the approval bureau's decisions enter the
platform automatically (its approval system's API, or an Excel/CSV import), are classed by
approval item type and routed by the bureau's routing table to the supervising department,
which claims each within 2 working days and records its supervision — inspections, results,
penalties with their cases — that flows back to the bureau."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Organization, Recorded


class Route(models.Model):
    """One row of the routing table the approval bureau keeps: an approval item type and
    the department that supervises what it approves (M14.2 数据库向对口监管部门开放)."""

    item_type = models.CharField("审批事项类型", max_length=100, unique=True)
    department = models.ForeignKey(Organization, verbose_name="对口监管部门",
                                   on_delete=models.PROTECT, related_name="+")
    note = models.CharField("说明", max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="维护人",
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("维护时间", auto_now=True)

    class Meta:
        verbose_name = "审批监管对应关系"
        verbose_name_plural = "审批监管对应关系"
        ordering = ["item_type"]

    def __str__(self) -> str:
        return f"{self.item_type} → {self.department.name}"

    def get_absolute_url(self) -> str:
        return reverse("approvals:routes") + f"#route-{self.pk}"


class Source(models.TextChoices):
    API = "api", "审批系统接口推送"
    IMPORT = "import", "批量导入"


class DecisionStatus(models.TextChoices):
    """Moves only through approvals.workflow.DECISION_WORKFLOW."""

    UNROUTED = "unrouted", "未匹配监管部门"  # no route for its item type yet: the bureau acts
    PUSHED = "pushed", "待认领"  # pushed to the supervising department: claim within 2 working days
    CLAIMED = "claimed", "监管中"  # claimed; the department records its supervision
    FED_BACK = "fed_back", "已反馈监管情况"  # supervision recorded and seen by the bureau


class Decision(Recorded):
    """An approval decision 审批决定 as the approval system sent it; ``number`` (the
    decision's 文号) identifies it, so the same decision sent twice is one row."""

    number = models.CharField("审批决定文号", max_length=60, unique=True)
    item_type = models.CharField("审批事项类型", max_length=100, db_index=True)
    item_name = models.CharField("审批事项名称", max_length=200)
    applicant = models.CharField("申请人", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    address = models.CharField("经营（项目）地址", max_length=200, blank=True)
    decided_on = models.DateField("决定日期")
    valid_until = models.DateField("有效期至", null=True, blank=True)
    content = models.TextField("决定内容", max_length=2000, blank=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    bureau = models.ForeignKey(Organization, verbose_name="审批机关", on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey(Organization, verbose_name="对口监管部门", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=20, choices=DecisionStatus.choices,
                              default=DecisionStatus.UNROUTED)
    pushed_at = models.DateTimeField("推送时间", null=True, blank=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="认领人", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    claimed_at = models.DateTimeField("认领时间", null=True, blank=True)

    class Meta:
        verbose_name = "审批决定"
        verbose_name_plural = "审批决定"
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["department", "status"], name="decision_dept_status")]
        constraints = [models.CheckConstraint(
            condition=Q(status=DecisionStatus.UNROUTED) | Q(department__isnull=False),
            name="decision_routed_has_department")]

    def __str__(self) -> str:
        return f"{self.number}（{self.applicant}）"

    def get_absolute_url(self) -> str:
        return reverse("approvals:detail", args=[self.pk])


class Result(models.TextChoices):
    COMPLIANT = "compliant", "未发现问题"
    RECTIFY = "rectify", "责令限期整改"
    PENALTY = "penalty", "立案查处"


class SupervisionRecord(models.Model):
    """One inspection the supervising department made on a decision and its result; a
    penalty names its case (cases.EnforcementCase), which the bureau can open."""

    decision = models.ForeignKey(Decision, verbose_name="审批决定", on_delete=models.CASCADE,
                                 related_name="records")
    inspected_on = models.DateField("检查日期")
    inspection = models.CharField("检查方式和内容", max_length=500)
    result = models.CharField("检查结果", max_length=20, choices=Result.choices)
    findings = models.TextField("处理情况", max_length=2000, blank=True)
    case = models.ForeignKey("cases.EnforcementCase", verbose_name="处罚案件", null=True,
                             blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人",
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "事中事后监管记录"
        verbose_name_plural = "事中事后监管记录"
        ordering = ["decision", "inspected_on", "id"]
        constraints = [models.CheckConstraint(
            condition=~Q(result=Result.PENALTY) | Q(case__isnull=False),
            name="supervision_penalty_has_case")]

    def __str__(self) -> str:
        return f"{self.decision.number}：{self.get_result_display()}"

    def get_absolute_url(self) -> str:
        return f"{self.decision.get_absolute_url()}#record-{self.pk}"
