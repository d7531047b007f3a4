"""The appraisal of the district's enforcement (M9): the justice bureau's yearly scheme —
indicators in the six areas of M9.3 with their weights —, each appraised unit's points
(scored by the bureau from what it learnt, M9.2, or computed by the platform from the
indicators the apps register, ``assessment.indicators``), the results with their grade,
the government's approval, feedback and publication (M9.4), commendation and criticism
(M9.5); the departments' self-assessment (M9.6) and their officers' half-yearly
evaluation (M9.7)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Organization, Recorded


def points_text(points) -> str:
    """12.0 → "12", 7.5 → "7.5"."""
    return f"{points:.1f}".removesuffix(".0")


class Area(models.TextChoices):
    """M9.3: the six areas an appraisal covers."""

    AWARENESS = "awareness", "提高工作人员特别是领导干部依法行政意识和能力"
    INSTITUTIONS = "institutions", "依法行政制度建设和实施"
    DECISIONS = "decisions", "依法、科学、民主决策"
    ENFORCEMENT = "enforcement", "规范行政执法"
    DISPUTES = "disputes", "依法化解社会矛盾纠纷"
    RESULTS = "results", "推进依法行政、建设法治政府取得实际效果"


class Method(models.TextChoices):
    SCORED = "scored", "司法局评分"  # from what the bureau learnt (M9.2), with notes and evidence
    COMPUTED = "computed", "平台计算"  # from an indicator an app registered


class Basis(models.TextChoices):
    """M9.2: how the bureau came to know what it scores."""

    DAILY = "daily", "日常掌握情况"
    CENTRAL = "central", "年度集中考核"
    OPEN_VISIT = "open_visit", "明察"
    UNANNOUNCED_VISIT = "unannounced_visit", "暗访"


class Grade(models.TextChoices):
    """M9.4, thresholds in settings.ASSESSMENT_GRADE_THRESHOLDS."""

    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class Honour(models.TextChoices):
    """M9.5: commendation for the best, criticism for the poor."""

    NONE = "", "无"
    COMMENDED = "commended", "表彰奖励"
    CRITICISED = "criticised", "通报批评"


class AppraisalStatus(models.TextChoices):
    """Moves only through assessment.workflow.APPRAISAL_WORKFLOW."""

    DRAFT = "draft", "方案制定中"  # indicators and weights editable
    OPEN = "open", "考核中"  # scheme fixed; the bureau scores, the platform computes
    PROPOSED = "proposed", "待区政府审定"  # totals and grades proposed to the government
    APPROVED = "approved", "已审定"  # approved (recorded); each unit was told its result
    PUBLISHED = "published", "已公布"  # the numbered 考核结果通报 issued, on the public portal


class Appraisal(Recorded):
    """One year's appraisal of the departments and the township governments (M9.1)."""

    year = models.PositiveSmallIntegerField("考核年度", unique=True)
    title = models.CharField("考核名称", max_length=100)
    organizer = models.ForeignKey(Organization, verbose_name="考核机关", on_delete=models.PROTECT,
                                  related_name="+")
    government = models.ForeignKey(Organization, verbose_name="审定机关", on_delete=models.PROTECT,
                                   related_name="+")
    status = models.CharField("状态", max_length=20, choices=AppraisalStatus.choices,
                              default=AppraisalStatus.DRAFT)
    units = models.ManyToManyField(Organization, verbose_name="被考核单位", blank=True,
                                   related_name="appraisals")
    opened_at = models.DateTimeField("开始考核时间", null=True, blank=True)
    proposed_at = models.DateTimeField("提请审定时间", null=True, blank=True)
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审定人", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    approval_note = models.TextField("审定意见", max_length=2000, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    report = models.ForeignKey("documents.Document", verbose_name="考核结果通报", null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "依法行政考核"
        verbose_name_plural = "依法行政考核"
        ordering = ["-year"]
        constraints = [models.CheckConstraint(
            condition=~Q(status=AppraisalStatus.PUBLISHED) | Q(report__isnull=False),
            name="appraisal_published_has_report")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessment:detail", args=[self.pk])


class Item(models.Model):
    """An indicator of the scheme, with its weight (points out of 100)."""

    appraisal = models.ForeignKey(Appraisal, verbose_name="考核", on_delete=models.CASCADE,
                                  related_name="items")
    area = models.CharField("考核内容", max_length=20, choices=Area.choices)
    title = models.CharField("考核指标", max_length=200)
    weight = models.DecimalField("分值", max_digits=5, decimal_places=1)
    method = models.CharField("评分方式", max_length=20, choices=Method.choices)
    # The key of a registered indicator (assessment.indicators) for a computed item.
    indicator = models.CharField("数据来源", max_length=60, blank=True)
    criteria = models.TextField("评分标准", max_length=2000, blank=True)

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        ordering = ["appraisal", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="item_weight_positive"),
            models.CheckConstraint(condition=Q(method=Method.SCORED) | ~Q(indicator=""),
                                   name="item_computed_has_indicator"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.appraisal.get_absolute_url()}#item-{self.pk}"

    @property
    def weight_text(self) -> str:
        return points_text(self.weight)


class Score(models.Model):
    """A unit's points on an item: entered by the bureau (scored), or fixed from the
    computed figure when the results are proposed (``value`` keeps the figure)."""

    item = models.ForeignKey(Item, verbose_name="考核指标", on_delete=models.CASCADE,
                             related_name="scores")
    unit = models.ForeignKey(Organization, verbose_name="被考核单位", on_delete=models.PROTECT,
                             related_name="+")
    points = models.DecimalField("得分", max_digits=5, decimal_places=1)
    value = models.FloatField("计算值", null=True, blank=True)
    basis = models.CharField("评分依据", max_length=20, choices=Basis.choices, blank=True)
    note = models.TextField("评分说明", max_length=2000, blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评分人", null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)

    class Meta:
        verbose_name = "考核得分"
        verbose_name_plural = "考核得分"
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="score_one_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit.name}：{self.item.title}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:unit", args=[self.item.appraisal_id, self.unit_id])


class Result(models.Model):
    """A unit's total and grade (M9.4), commendation or criticism (M9.5)."""

    appraisal = models.ForeignKey(Appraisal, verbose_name="考核", on_delete=models.CASCADE,
                                  related_name="results")
    unit = models.ForeignKey(Organization, verbose_name="被考核单位", on_delete=models.PROTECT,
                             related_name="+")
    total = models.DecimalField("总分", max_digits=6, decimal_places=1)
    grade = models.CharField("等次", max_length=20, choices=Grade.choices)
    honour = models.CharField("表彰或批评", max_length=20, choices=Honour.choices, blank=True)
    honour_note = models.TextField("表彰或批评事由", max_length=2000, blank=True)
    fed_back_at = models.DateTimeField("反馈时间", null=True, blank=True)

    class Meta:
        verbose_name = "考核结果"
        verbose_name_plural = "考核结果"
        ordering = ["appraisal", "-total", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["appraisal", "unit"],
                                               name="appraisal_result_one_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit.name}：{self.get_grade_display()}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:unit", args=[self.appraisal_id, self.unit_id])


class Reversal(models.Model):
    """The bureau's count of a unit's administrative reconsideration decisions reversed
    and lawsuits lost in a year (M9.3 依法化解社会矛盾纠纷): entered, not computed."""

    year = models.PositiveSmallIntegerField("年度")
    unit = models.ForeignKey(Organization, verbose_name="单位", on_delete=models.PROTECT,
                             related_name="+")
    reconsideration_reversed = models.PositiveSmallIntegerField("行政复议被纠错件数", default=0)
    litigation_lost = models.PositiveSmallIntegerField("行政诉讼败诉件数", default=0)
    note = models.TextField("说明", max_length=2000, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人",
                                   on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "复议纠错和诉讼败诉"
        verbose_name_plural = "复议纠错和诉讼败诉"
        ordering = ["-year", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["year", "unit"], name="reversal_one_per_year")]

    def __str__(self) -> str:
        return f"{self.unit.name}{self.year}年复议纠错和诉讼败诉"

    def get_absolute_url(self) -> str:
        return reverse("assessment:reversals") + f"?year={self.year}"

    @property
    def total(self) -> int:
        return self.reconsideration_reversed + self.litigation_lost


class ReportStatus(models.TextChoices):
    """A self-assessment's or an officer evaluation's course (assessment.workflow)."""

    DRAFT = "draft", "填报中"
    FILED = "filed", "已报送备案"  # reported (to the government) and filed with the justice bureau
    PUBLISHED = "published", "已公开"  # published on the public portal


class SelfAssessment(Recorded):
    """A department's year-end self-assessment against the year's scheme (M9.6)."""

    appraisal = models.ForeignKey(Appraisal, verbose_name="考核年度方案", on_delete=models.PROTECT,
                                  related_name="self_assessments")
    department = models.ForeignKey(Organization, verbose_name="自评单位", on_delete=models.PROTECT,
                                   related_name="+")
    summary = models.TextField("自评报告", max_length=20000)
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT)
    filed_at = models.DateTimeField("报送时间", null=True, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)

    class Meta:
        verbose_name = "考核自评"
        verbose_name_plural = "考核自评"
        ordering = ["-appraisal__year", "department__name"]
        constraints = [models.UniqueConstraint(fields=["appraisal", "department"],
                                               name="self_assessment_one_per_year")]

    def __str__(self) -> str:
        return f"{self.department.name}{self.appraisal.year}年度依法行政考核自评"

    def get_absolute_url(self) -> str:
        return reverse("assessment:self_assessment", args=[self.pk])

    @property
    def total(self):
        return sum((s.points for s in self.scores.all()), start=0)


class SelfScore(models.Model):
    self_assessment = models.ForeignKey(SelfAssessment, verbose_name="考核自评",
                                        on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(Item, verbose_name="考核指标", on_delete=models.PROTECT,
                             related_name="+")
    points = models.DecimalField("自评得分", max_digits=5, decimal_places=1)
    note = models.CharField("自评说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "自评得分"
        verbose_name_plural = "自评得分"
        ordering = ["item_id"]
        constraints = [models.UniqueConstraint(fields=["self_assessment", "item"],
                                               name="self_score_one_per_item")]


class OfficerGradeChoice(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASIC = "basic", "基本称职"
    INCOMPETENT = "incompetent", "不称职"


class OfficerEvaluation(Recorded):
    """A department's half-yearly evaluation of its enforcement officers (M9.7)."""

    department = models.ForeignKey(Organization, verbose_name="评议单位", on_delete=models.PROTECT,
                                   related_name="+")
    period = models.CharField("评议期间", max_length=10)  # "2026-H1": deadlines.rules.period_bounds
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT)
    filed_at = models.DateTimeField("备案时间", null=True, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)

    class Meta:
        verbose_name = "执法人员考核评议"
        verbose_name_plural = "执法人员考核评议"
        ordering = ["-period", "department__name"]
        constraints = [models.UniqueConstraint(fields=["department", "period"],
                                               name="officer_evaluation_one_per_period")]

    def __str__(self) -> str:
        return f"{self.department.name}{self.period_text}执法人员考核评议"

    def get_absolute_url(self) -> str:
        return reverse("assessment:officer_evaluation", args=[self.pk])

    @property
    def period_text(self) -> str:
        year, _, half = self.period.partition("-H")
        return f"{year}年{'上' if half == '1' else '下'}半年"


class OfficerGrade(models.Model):
    evaluation = models.ForeignKey(OfficerEvaluation, verbose_name="考核评议",
                                   on_delete=models.CASCADE, related_name="grades")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="执法人员",
                                on_delete=models.PROTECT, related_name="evaluation_grades")
    grade = models.CharField("评议等次", max_length=20, choices=OfficerGradeChoice.choices,
                             blank=True)
    remarks = models.CharField("评语", max_length=500, blank=True)

    class Meta:
        verbose_name = "执法人员评议等次"
        verbose_name_plural = "执法人员评议等次"
        ordering = ["evaluation", "officer__real_name"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "officer"],
                                               name="officer_grade_one_per_evaluation")]

    def __str__(self) -> str:
        return f"{self.officer}：{self.get_grade_display()}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:officer", args=[self.officer_id])
