"""Guiding cases (M11): a department nominates cases from its own closed cases for the
previous year, classed by act type, with the reasons of M11.1 (M11.2); the justice bureau
may propose a case itself and organises expert review (M11.5); the government publishes
the approved ones — gazette, press, the year's compilation (M11.3). At least three a
year per department is the norm (M11.4).

What a guiding case says (title, facts, handling, significance) is written for the
public: the services store it with the parties' names and ID numbers removed
(``deidentify``), so no page, PDF or portal page of a guiding case can show them."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cases.models import ActType, EnforcementCase
from core.models import Organization, Recorded
from deadlines.calendar import end_of_day


class Origin(models.TextChoices):
    DEPARTMENT = "department", "部门报送"  # M11.2
    BUREAU = "bureau", "司法局选取"  # M11.5 可以选择有关工作部门的行政执法案件


class GuidingStatus(models.TextChoices):
    """Moves only through guidingcases.workflow.GUIDING_WORKFLOW."""

    SUBMITTED = "submitted", "待审查"  # nominated; the justice bureau reviews it
    REVIEWING = "reviewing", "专家论证中"  # experts invited; their opinions awaited
    APPROVED = "approved", "审查通过待发布"  # the bureau approved it; the government publishes
    REJECTED = "rejected", "审查未通过"  # with the bureau's reasons
    PUBLISHED = "published", "已发布"  # published by the government (M11.3)


# M11.1: why a case was chosen (one or more).
REASONS = {
    "reason_numerous": "办理数量较大",
    "reason_concern": "社会普遍关注",
    "reason_error_prone": "容易发生执法偏差",
    "reason_effect": "法律、政治、社会效果较好",
}


class GuidingCase(Recorded):
    case = models.OneToOneField(EnforcementCase, verbose_name="原案件", on_delete=models.PROTECT,
                                related_name="guiding_case")
    department = models.ForeignKey(Organization, verbose_name="办案单位", on_delete=models.PROTECT,
                                   related_name="+")
    year = models.PositiveSmallIntegerField("案例年度", help_text="案件办结的年度。")
    origin = models.CharField("来源", max_length=20, choices=Origin.choices)
    act_type = models.CharField("行为类别", max_length=20, choices=ActType.choices)
    reason_numerous = models.BooleanField(REASONS["reason_numerous"], default=False)
    reason_concern = models.BooleanField(REASONS["reason_concern"], default=False)
    reason_error_prone = models.BooleanField(REASONS["reason_error_prone"], default=False)
    reason_effect = models.BooleanField(REASONS["reason_effect"], default=False)
    title = models.CharField("案例标题", max_length=200)
    facts = models.TextField("基本案情", max_length=5000)
    handling = models.TextField("处理结果", max_length=3000)
    significance = models.TextField("指导意义", max_length=3000)
    legal_basis = models.TextField("法律依据", max_length=2000, blank=True)
    status = models.CharField("状态", max_length=20, choices=GuidingStatus.choices,
                              default=GuidingStatus.SUBMITTED)
    decision_note = models.TextField("审查意见", max_length=2000, blank=True)
    decided_at = models.DateTimeField("审查时间", null=True, blank=True)
    in_gazette = models.BooleanField("政府公报", default=False)
    in_press = models.BooleanField("报刊", default=False)
    in_compilation = models.BooleanField("案例汇编", default=False)
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "行政执法指导案例"
        verbose_name_plural = "行政执法指导案例"
        ordering = ["-year", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason_numerous=True) | Q(reason_concern=True)
                | Q(reason_error_prone=True) | Q(reason_effect=True),
                name="guidingcase_has_reason"),
            models.CheckConstraint(
                condition=~Q(status="published") | (Q(published_on__isnull=False) & (
                    Q(in_gazette=True) | Q(in_press=True) | Q(in_compilation=True))),
                name="guidingcase_published_has_channel"),
        ]
        indexes = [models.Index(fields=["year", "department"], name="guidingcase_year_dept")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guidingcases:detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("guidingcases_public:detail", args=[self.pk])

    @property
    def reasons_text(self) -> str:
        return "、".join(label for name, label in REASONS.items() if getattr(self, name))

    @property
    def channels_text(self) -> str:
        return "、".join(str(self._meta.get_field(n).verbose_name)
                        for n in ("in_gazette", "in_press", "in_compilation") if getattr(self, n))


class OpinionConclusion(models.TextChoices):
    AGREE = "agree", "同意作为指导案例"
    REVISE = "revise", "修改后作为指导案例"
    DISAGREE = "disagree", "不同意作为指导案例"


class ExpertOpinion(models.Model):
    """One invited expert's opinion on a case (M11.5 专家论证), with its own deadline
    (``expert_opinion``, the due the bureau set in the invitation)."""

    guiding_case = models.ForeignKey(GuidingCase, verbose_name="指导案例", on_delete=models.CASCADE,
                                     related_name="opinions")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="论证专家",
                               on_delete=models.PROTECT, related_name="+")
    pool = models.ForeignKey(Organization, verbose_name="专家库", on_delete=models.PROTECT,
                             related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="邀请人",
                                   on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField("邀请时间", auto_now_add=True)
    due_on = models.DateField("意见期限")
    conclusion = models.CharField("论证结论", max_length=20, choices=OpinionConclusion.choices,
                                  blank=True)
    opinion = models.TextField("论证意见", max_length=5000, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        verbose_name = "专家论证意见"
        verbose_name_plural = "专家论证意见"
        ordering = ["guiding_case", "invited_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["guiding_case", "expert"], name="opinion_one_per_expert"),
            models.CheckConstraint(condition=Q(submitted_at__isnull=True) | ~Q(opinion=""),
                                   name="opinion_submitted_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.expert}对“{self.guiding_case}”的论证意见"

    def get_absolute_url(self) -> str:
        return f"{self.guiding_case.get_absolute_url()}#opinion-{self.pk}"

    @property
    def due(self):
        return end_of_day(self.due_on)
