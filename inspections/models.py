"""Supervision checks (M7): a check planned and run by the justice bureau for the
government, or by a department's legal unit inside its department (M7.1), of a kind and
by a method (M7.3), over the items of M7.2, of the units it names; each unit checked is
notified (not for an unannounced visit) and provides what is asked by a date (M7.4); the
findings per unit and item, the numbered 问题通报 and for each unit with findings one of
the three instruments of the 条例 with its rectification loop (M7.5). Also the case-file
review (案卷评查) of a sample of a department's closed cases scored against a standard
kept as data, and the leads of the big-data monitoring rules (M7.3, ``leads.py``)."""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Organization, Recorded
from deadlines.calendar import end_of_day


class CheckKind(models.TextChoices):
    # 《行政执法监督条例》(2026): routine, a major case, a key field.
    ROUTINE = "routine", "日常监督检查"
    MAJOR = "major", "重点监督检查（重大案件）"
    SPECIAL = "special", "专项监督检查（重点领域）"


class CheckMethod(models.TextChoices):
    """M7.3: the ways the supervising organ works."""

    DAILY = "daily", "日常监督"
    SPECIAL = "special", "专项监督"
    BIG_DATA = "big_data", "大数据监测分析"
    THIRD_PARTY = "third_party", "委托第三方评估"
    SPOT_CHECK = "spot_check", "抽查"
    UNANNOUNCED = "unannounced", "暗访"


class CheckItem(models.TextChoices):
    """M7.2: what is checked."""

    LEGALITY = "legality", "行政执法主体、执法权限、执法程序的合法性"
    TEAM = "team", "行政执法队伍管理情况"
    DECISIONS = "decisions", "行政执法决定的合法性和适当性"
    DUTIES = "duties", "行政执法职责履行情况"
    RESPONSIBILITY = "responsibility", "行政执法责任制落实情况"
    DISCRETION = "discretion", "行政裁量基准制度落实情况"
    THREE_SYSTEMS = "three_systems", "行政执法公示、全过程记录、重大执法决定法制审核制度落实情况"
    CASE_FILES = "case_files", "行政执法案卷管理情况"
    MAJOR_FILING = "major_filing", "重大行政处罚备案制度落实情况"
    CIVILITY = "civility", "文明执法情况"
    OTHER = "other", "依法要监督的其他内容"


class CheckStatus(models.TextChoices):
    """Moves only through inspections.workflow.CHECK_WORKFLOW."""

    PLANNED = "planned", "拟定"  # the plan is being settled: units, items, team
    UNDERWAY = "underway", "检查中"  # started: the units were notified (unless 暗访)
    FINISHED = "finished", "检查结束"  # findings recorded; the bulletin follows
    CIRCULATED = "circulated", "已通报"  # the 问题通报 was issued to every unit
    CLOSED = "closed", "已办结"  # every instrument's rectification was accepted
    CANCELLED = "cancelled", "已取消"  # called off before it started, with the reason


class Check(Recorded):
    organizer = models.ForeignKey(Organization, verbose_name="组织单位", on_delete=models.PROTECT,
                                  related_name="organized_checks")
    title = models.CharField("检查名称", max_length=200)
    kind = models.CharField("检查类别", max_length=20, choices=CheckKind.choices)
    method = models.CharField("检查方式", max_length=20, choices=CheckMethod.choices)
    items = models.JSONField("检查内容", default=list)
    field_note = models.CharField("检查领域或案件", max_length=200, blank=True,
                                  help_text="专项检查的重点领域，或重点检查的重大案件。")
    units = models.ManyToManyField(Organization, verbose_name="被检查单位", through="CheckUnit",
                                   related_name="checks")
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="检查组成员",
                                  related_name="inspection_checks")
    starts_on = models.DateField("检查开始日期")
    ends_on = models.DateField("检查结束日期")
    materials_request = models.TextField(
        "需提供的材料", max_length=3000, blank=True,
        help_text="被检查单位应如实提供的情况和材料（暗访不通知，可不填）。")
    materials_due_on = models.DateField("材料报送期限", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=CheckStatus.choices,
                              default=CheckStatus.PLANNED)
    started_at = models.DateTimeField("启动时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    bulletin = models.OneToOneField("documents.Document", verbose_name="问题通报", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    cancel_reason = models.TextField("取消理由", max_length=2000, blank=True)

    class Meta:
        verbose_name = "监督检查"
        verbose_name_plural = "监督检查"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="check_ends_after_start"),
            models.CheckConstraint(
                condition=Q(method=CheckMethod.UNANNOUNCED) | Q(materials_due_on__isnull=False),
                name="check_announced_has_materials_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:detail", args=[self.pk])

    @property
    def announced(self) -> bool:
        return self.method != CheckMethod.UNANNOUNCED

    @property
    def item_labels(self) -> list[str]:
        return [str(CheckItem(i).label) for i in self.items if i in CheckItem.values]

    @property
    def materials_due(self):
        return end_of_day(self.materials_due_on) if self.materials_due_on else None


class UnitStatus(models.TextChoices):
    """Moves only through inspections.workflow.UNIT_WORKFLOW."""

    PENDING = "pending", "未通知"  # before the start, and for an unannounced visit
    ASKED = "asked", "待报送材料"  # notified; the materials deadline runs (M7.4)
    PROVIDED = "provided", "已报送材料"  # the unit uploaded what was asked


class CheckUnit(models.Model):
    """One unit checked, with what it provided (M7.4) and the instrument it received."""

    check_record = models.ForeignKey(Check, verbose_name="监督检查", on_delete=models.CASCADE,
                                     related_name="unit_rows", db_column="check_id")
    unit = models.ForeignKey(Organization, verbose_name="被检查单位", on_delete=models.PROTECT,
                             related_name="+")
    status = models.CharField("材料报送", max_length=20, choices=UnitStatus.choices,
                              default=UnitStatus.PENDING)
    provided_note = models.TextField("报送说明", max_length=3000, blank=True)
    provided_at = models.DateTimeField("报送时间", null=True, blank=True)
    instrument = models.OneToOneField("documents.Document", verbose_name="监督文书", null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "被检查单位"
        verbose_name_plural = "被检查单位"
        ordering = ["check_record", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["check_record", "unit"],
                                               name="check_unit_once")]

    def __str__(self) -> str:
        return f"{self.check_record}（{self.unit.name}）"

    def get_absolute_url(self) -> str:
        return f"{self.check_record.get_absolute_url()}#unit-{self.pk}"


class FindingSource(models.TextChoices):
    CHECK = "check", "现场检查"
    LEAD = "lead", "大数据监测线索"
    REVIEW = "review", "案卷评查"


class Finding(Recorded):
    """A problem found at one unit under one item of M7.2, with its evidence (attachments)."""

    check_record = models.ForeignKey(Check, verbose_name="监督检查", on_delete=models.PROTECT,
                                     related_name="findings", db_column="check_id")
    unit = models.ForeignKey(Organization, verbose_name="被检查单位", on_delete=models.PROTECT,
                             related_name="+")
    item = models.CharField("检查内容", max_length=20, choices=CheckItem.choices)
    description = models.TextField("发现的问题", max_length=3000)
    source = models.CharField("来源", max_length=10, choices=FindingSource.choices,
                              default=FindingSource.CHECK)

    class Meta:
        verbose_name = "检查发现的问题"
        verbose_name_plural = "检查发现的问题"
        ordering = ["check_record", "unit__name", "item", "id"]

    def __str__(self) -> str:
        return f"{self.unit.name}：{self.get_item_display()}"

    def get_absolute_url(self) -> str:
        return f"{self.check_record.get_absolute_url()}#finding-{self.pk}"


# --- case-file review (案卷评查) -----------------------------------------------------------
class ReviewStandard(models.Model):
    """A scoring standard kept as data: items with points and veto items."""

    name = models.CharField("评查标准", max_length=100, unique=True)
    pass_mark = models.PositiveSmallIntegerField("合格分数线", default=80)
    is_default = models.BooleanField("默认标准", default=False)

    class Meta:
        verbose_name = "案卷评查标准"
        verbose_name_plural = "案卷评查标准"
        ordering = ["-is_default", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def total(self) -> int:
        return sum(c.points for c in self.criteria.all())


class ReviewSection(models.TextChoices):
    SUBJECT = "subject", "执法主体"
    FACTS = "facts", "事实与证据"
    LAW = "law", "法律适用"
    PROCEDURE = "procedure", "执法程序"
    DISCRETION = "discretion", "裁量权行使"
    DOCUMENTS = "documents", "文书制作与立卷归档"


class ReviewCriterion(models.Model):
    standard = models.ForeignKey(ReviewStandard, verbose_name="评查标准", on_delete=models.CASCADE,
                                 related_name="criteria")
    section = models.CharField("评查类别", max_length=20, choices=ReviewSection.choices)
    text = models.CharField("评查项目", max_length=300)
    points = models.PositiveSmallIntegerField("分值", default=0)
    # A veto item fails the file whatever its score (否决项).
    is_veto = models.BooleanField("否决项", default=False)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "评查项目"
        verbose_name_plural = "评查项目"
        ordering = ["standard", "order", "id"]
        constraints = [models.CheckConstraint(condition=Q(is_veto=True, points=0) | Q(is_veto=False),
                                              name="criterion_veto_has_no_points")]

    def __str__(self) -> str:
        return self.text


class ReviewStatus(models.TextChoices):
    """Moves only through inspections.workflow.REVIEW_WORKFLOW."""

    SCORING = "scoring", "评查中"  # the sample was drawn; reviewers score the files
    DONE = "done", "评查完成"  # every file scored; results per department fixed


class CaseReview(Recorded):
    """A case-file review within a check: a random sample of one department's closed cases
    for a period, drawn reproducibly from the recorded ``seed``, stratified by act type."""

    check_record = models.ForeignKey(Check, verbose_name="监督检查", on_delete=models.PROTECT,
                                     related_name="reviews", db_column="check_id")
    department = models.ForeignKey(Organization, verbose_name="被评查单位", on_delete=models.PROTECT,
                                   related_name="+")
    standard = models.ForeignKey(ReviewStandard, verbose_name="评查标准", on_delete=models.PROTECT,
                                 related_name="+")
    closed_from = models.DateField("结案日期自")
    closed_to = models.DateField("结案日期至")
    sample_size = models.PositiveSmallIntegerField("抽取案卷数")
    seed = models.BigIntegerField("随机种子")
    status = models.CharField("状态", max_length=20, choices=ReviewStatus.choices,
                              default=ReviewStatus.SCORING)
    finding = models.OneToOneField(Finding, verbose_name="转为检查发现", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "案卷评查"
        verbose_name_plural = "案卷评查"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(closed_to__gte=models.F("closed_from")),
                                              name="review_period_ordered")]

    def __str__(self) -> str:
        return f"{self.department.name}案卷评查（{self.closed_from:%Y年%m月%d日}至{self.closed_to:%Y年%m月%d日}）"

    def get_absolute_url(self) -> str:
        return reverse("inspections:review", args=[self.pk])


class ReviewFile(models.Model):
    review = models.ForeignKey(CaseReview, verbose_name="案卷评查", on_delete=models.CASCADE,
                               related_name="files")
    case = models.ForeignKey("cases.EnforcementCase", verbose_name="案卷", on_delete=models.PROTECT,
                             related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评查人", null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField("得分", null=True, blank=True)
    vetoed = models.BooleanField("触及否决项", default=False)
    passed = models.BooleanField("合格", null=True)
    comment = models.TextField("评查意见", max_length=3000, blank=True)
    scored_at = models.DateTimeField("评查时间", null=True, blank=True)

    class Meta:
        verbose_name = "评查案卷"
        verbose_name_plural = "评查案卷"
        ordering = ["review", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "case"], name="review_file_once")]

    def __str__(self) -> str:
        return f"{self.case.number}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:review_file", args=[self.pk])


class ReviewScore(models.Model):
    file = models.ForeignKey(ReviewFile, verbose_name="评查案卷", on_delete=models.CASCADE,
                             related_name="scores")
    criterion = models.ForeignKey(ReviewCriterion, verbose_name="评查项目", on_delete=models.PROTECT,
                                  related_name="+")
    points = models.PositiveSmallIntegerField("得分", default=0)
    veto_hit = models.BooleanField("触及否决项", default=False)
    comment = models.CharField("扣分理由", max_length=500, blank=True)

    class Meta:
        verbose_name = "评查得分"
        verbose_name_plural = "评查得分"
        ordering = ["file", "criterion__order"]
        constraints = [models.UniqueConstraint(fields=["file", "criterion"], name="review_score_once")]


# --- big-data monitoring leads (M7.3) ------------------------------------------------------
class LeadStatus(models.TextChoices):
    """Moves only through inspections.workflow.LEAD_WORKFLOW."""

    OPEN = "open", "待处理"  # computed by a rule; the bureau looks at it
    DISMISSED = "dismissed", "已排除"  # not a problem, with the reason
    FINDING = "finding", "已转为检查发现"  # recorded as a finding of a check


class Lead(models.Model):
    """A record a monitoring rule (``inspections.leads``) picked out. Written by the nightly
    computation in one INSERT … SELECT per rule; one row per rule and record."""

    rule = models.CharField("监测规则", max_length=40)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    organization = models.ForeignKey(Organization, verbose_name="涉及单位", on_delete=models.PROTECT,
                                     related_name="+")
    subject = models.CharField("事项", max_length=200)
    observed_on = models.DateField("发现日期")
    status = models.CharField("状态", max_length=20, choices=LeadStatus.choices,
                              default=LeadStatus.OPEN)
    dismiss_reason = models.TextField("排除理由", max_length=2000, blank=True)
    finding = models.OneToOneField(Finding, verbose_name="检查发现", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="lead")
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "监测线索"
        verbose_name_plural = "监测线索"
        ordering = ["-observed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "target_type", "target_id"], name="lead_once"),
            models.CheckConstraint(condition=~Q(status=LeadStatus.DISMISSED) | ~Q(dismiss_reason=""),
                                   name="lead_dismissed_has_reason"),
        ]
        # The leads list reads one window of the newest rows (all, by rule or by state):
        # an index in its order spares sorting every lead (make bench ARGS=inspections).
        indexes = [models.Index(fields=["status", "rule", "-observed_on", "-id"], name="lead_list_idx"),
                   models.Index(fields=["-observed_on", "-id"], name="lead_recent_idx"),
                   models.Index(fields=["rule", "-observed_on", "-id"], name="lead_rule_idx"),
                   models.Index(fields=["organization", "status"], name="lead_org_idx")]

    def __str__(self) -> str:
        from .leads import rule_label

        return f"{rule_label(self.rule)}：{self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:lead", args=[self.pk])

    def target_url(self) -> str:
        from core import links

        return links.url_for(self.target_type_id, self.target_id)
