"""Information sharing (M5): each department's four publicity channels and what each must
publish (M5.1–M5.2), the justice bureau's quarterly web inspection with the committee's
review and the circulated bulletin (M5.3), statistics requests and each unit's report
(M5.4), and queries between agencies with the answer or a refusal on a named ground
(M5.5)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cases.models import PublicityChannel
from core.models import Attachment, Organization, Recorded
from deadlines.calendar import end_of_day


class PublicityItem(models.TextChoices):
    """What the three systems (行政执法公示制度) ask a unit to publish."""

    SUBJECT = "subject", "执法主体"
    STAFF = "staff", "执法人员"
    DUTIES = "duties", "职责权限"
    BASIS = "basis", "执法依据"
    PROCEDURE = "procedure", "执法程序"
    REMEDIES = "remedies", "救济方式"
    RESULTS = "results", "执法结果"


# M5.2: what each channel must carry. The “两法衔接” platform carries the cases (results)
# and the basis they rest on; the other three carry the whole of the three systems.
CHANNEL_ITEMS: dict[str, tuple[str, ...]] = {
    PublicityChannel.PROVINCE_PLATFORM: tuple(PublicityItem.values),
    PublicityChannel.TWO_LAWS_PLATFORM: (PublicityItem.SUBJECT, PublicityItem.BASIS,
                                         PublicityItem.RESULTS),
    PublicityChannel.DISTRICT_COLUMN: tuple(PublicityItem.values),
    PublicityChannel.DEPARTMENT_WEBSITE: tuple(PublicityItem.values),
}


class Channel(models.Model):
    """A unit's address on one of the four channels (M5.2); the unit keeps it current."""

    unit = models.ForeignKey(Organization, verbose_name="执法单位", on_delete=models.PROTECT,
                             related_name="publicity_channels")
    kind = models.CharField("公示渠道", max_length=30, choices=PublicityChannel.choices)
    address = models.URLField("网址", max_length=300)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人",
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "公示渠道"
        verbose_name_plural = "公示渠道"
        ordering = ["unit__name", "kind"]
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="channel_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.unit.name}·{self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("infosharing:channels") + f"?unit={self.unit_id}"

    @property
    def items(self) -> list[str]:
        return [PublicityItem(i).label for i in CHANNEL_ITEMS[self.kind]]


# --- the quarterly web inspection (M5.3) ------------------------------------------------
class InspectionStatus(models.TextChoices):
    """Moves only through infosharing.workflow.INSPECTION_WORKFLOW."""

    CHECKING = "checking", "巡查中"  # the bureau walks unit × channel × item
    REPORTED = "reported", "已报区委依法治区委员会"  # the report awaits the committee's review
    REVIEWED = "reviewed", "委员会已审议"  # the review recorded; the bulletin may go out
    CIRCULATED = "circulated", "已通报"  # the bulletin went to every unit; the duty is met


class WebInspection(Recorded):
    bureau = models.ForeignKey(Organization, verbose_name="巡查机关", on_delete=models.PROTECT,
                               related_name="+")
    period = models.CharField("巡查季度", max_length=10, unique=True)  # "2026-Q3"
    status = models.CharField("状态", max_length=20, choices=InspectionStatus.choices,
                              default=InspectionStatus.CHECKING)
    summary = models.TextField("巡查总体情况", max_length=5000, blank=True)
    reported_at = models.DateTimeField("报送审议时间", null=True, blank=True)
    # The committee is no user of the platform: the bureau records its review as a step.
    reviewed_on = models.DateField("审议日期", null=True, blank=True)
    review_body = models.CharField("审议会议", max_length=200, blank=True,
                                   help_text="如：区委全面依法治区委员会第三次会议。")
    review_remarks = models.TextField("审议意见", max_length=3000, blank=True)
    review_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审议意见登记人",
                                           null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+")
    circulated_at = models.DateTimeField("通报时间", null=True, blank=True)
    rectify_by = models.DateField("整改期限", null=True, blank=True)
    bulletin = models.ForeignKey("documents.Document", verbose_name="网上巡查情况通报", null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "网上巡查"
        verbose_name_plural = "网上巡查"
        ordering = ["-period"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[InspectionStatus.CHECKING, InspectionStatus.REPORTED])
                | (Q(reviewed_on__isnull=False) & ~Q(review_remarks="")),
                name="inspection_reviewed_has_review"),
            models.CheckConstraint(
                condition=~Q(status=InspectionStatus.CIRCULATED) | Q(bulletin__isnull=False),
                name="inspection_circulated_has_bulletin"),
        ]

    def __str__(self) -> str:
        return f"{self.period_label}网上巡查"

    @property
    def period_label(self) -> str:
        year, quarter = self.period.split("-Q")
        return f"{year}年第{'一二三四'[int(quarter) - 1]}季度"

    def get_absolute_url(self) -> str:
        return reverse("infosharing:inspection", args=[self.pk])


class FindingState(models.TextChoices):
    PRESENT = "present", "已公示"
    MISSING = "missing", "未公示"
    OUTDATED = "outdated", "未及时更新"


class UnitResult(models.Model):
    """One unit's result in an inspection: its findings per channel and item, the
    decisions it published late in the quarter (from the cases' publicity deadlines), a
    screenshot and a note; a unit with problems gets a supervision notice to rectify."""

    inspection = models.ForeignKey(WebInspection, verbose_name="网上巡查", on_delete=models.CASCADE,
                                   related_name="results")
    unit = models.ForeignKey(Organization, verbose_name="执法单位", on_delete=models.PROTECT,
                             related_name="+")
    checked = models.BooleanField("已巡查", default=False)
    late_publications = models.PositiveIntegerField("逾期公示的执法决定", default=0)
    problems = models.PositiveIntegerField("发现问题数", default=0)
    note = models.TextField("巡查说明", max_length=3000, blank=True)
    screenshot = models.ForeignKey(Attachment, verbose_name="巡查截图", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="巡查人", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField("巡查时间", null=True, blank=True)
    notice = models.ForeignKey("documents.Document", verbose_name="整改通知书", null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "网上巡查单位结果"
        verbose_name_plural = "网上巡查单位结果"
        ordering = ["inspection", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "unit"], name="result_one_per_unit"),
            models.CheckConstraint(condition=Q(checked=False) | Q(screenshot__isnull=False),
                                   name="result_checked_has_screenshot"),
        ]

    def __str__(self) -> str:
        return f"{self.inspection}·{self.unit.name}"

    def get_absolute_url(self) -> str:
        return reverse("infosharing:result", args=[self.pk])


class Finding(models.Model):
    result = models.ForeignKey(UnitResult, verbose_name="单位结果", on_delete=models.CASCADE,
                               related_name="findings")
    channel = models.CharField("公示渠道", max_length=30, choices=PublicityChannel.choices)
    item = models.CharField("公示内容", max_length=20, choices=PublicityItem.choices)
    state = models.CharField("巡查结果", max_length=20, choices=FindingState.choices)

    class Meta:
        verbose_name = "巡查发现"
        verbose_name_plural = "巡查发现"
        ordering = ["result", "channel", "item"]
        constraints = [models.UniqueConstraint(fields=["result", "channel", "item"],
                                               name="finding_one_per_item")]


# --- statistics (M5.4) -----------------------------------------------------------------
class StatCategory(models.TextChoices):
    LICENSING = "licensing", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LEVY = "levy", "行政征收"
    CHARGE = "charge", "行政收费"
    INSPECTION = "inspection", "行政检查"
    MAJOR = "major", "重大具体行政行为"


class StatisticsRequest(models.Model):
    # None: asked by the platform itself (the January request for the previous year).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    bureau = models.ForeignKey(Organization, verbose_name="统计机关", on_delete=models.PROTECT,
                               related_name="+")
    title = models.CharField("统计事项", max_length=200)
    period_start = models.DateField("统计期间自")
    period_end = models.DateField("统计期间至")
    due_on = models.DateField("报送期限")
    # The previous year's statistics, asked for each January (one per year).
    annual_year = models.PositiveSmallIntegerField("年度统计", null=True, blank=True, unique=True)
    units = models.ManyToManyField(Organization, verbose_name="报送单位", related_name="+")

    class Meta:
        verbose_name = "统计报送要求"
        verbose_name_plural = "统计报送要求"
        ordering = ["-due_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                              name="statistics_period_ordered")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("infosharing:statistics", args=[self.pk])

    @property
    def due(self):
        return end_of_day(self.due_on)


class ReportStatus(models.TextChoices):
    """Moves only through infosharing.workflow.REPORT_WORKFLOW."""

    DRAFT = "draft", "待报送"  # pre-filled from the platform's cases; the unit corrects it
    SUBMITTED = "submitted", "已报送"  # the unit submitted it: its deadline is met


class StatisticsReport(models.Model):
    request = models.ForeignKey(StatisticsRequest, verbose_name="统计报送要求",
                                on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(Organization, verbose_name="报送单位", on_delete=models.PROTECT,
                             related_name="+")
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT)
    licensing = models.PositiveIntegerField("行政许可", default=0)
    penalty = models.PositiveIntegerField("行政处罚", default=0)
    coercion = models.PositiveIntegerField("行政强制", default=0)
    levy = models.PositiveIntegerField("行政征收", default=0)
    charge = models.PositiveIntegerField("行政收费", default=0)
    inspection = models.PositiveIntegerField("行政检查", default=0)
    major = models.PositiveIntegerField("重大具体行政行为", default=0)
    # What the platform counted from the unit's cases when the request was issued.
    prefill = models.JSONField("平台统计数", default=dict)
    note = models.TextField("说明", max_length=2000, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报送人", null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)

    class Meta:
        verbose_name = "统计报表"
        verbose_name_plural = "统计报表"
        ordering = ["request", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["request", "unit"], name="report_one_per_unit"),
            models.CheckConstraint(condition=Q(status=ReportStatus.DRAFT) | Q(submitted_at__isnull=False),
                                   name="report_submitted_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.request}（{self.unit.name}）"

    def get_absolute_url(self) -> str:
        return reverse("infosharing:report", args=[self.pk])

    def figures(self) -> dict[str, int]:
        return {c: getattr(self, c) for c in StatCategory.values}


# --- queries between agencies (M5.5) ---------------------------------------------------
class RefusalGround(models.TextChoices):
    STATE_SECRET = "state_secret", "涉及国家秘密"
    COMMERCIAL_SECRET = "commercial_secret", "涉及商业秘密"
    PRIVACY = "privacy", "涉及个人隐私"
    OTHER_LEGAL = "other_legal", "其他法定事由"


class QueryStatus(models.TextChoices):
    """Moves only through infosharing.workflow.QUERY_WORKFLOW."""

    ASKED = "asked", "待答复"  # the asked agency answers within the setting's working days
    ANSWERED = "answered", "已答复"
    REFUSED = "refused", "不予提供"  # on a named ground (M5.5); the justice bureau sees it


class InfoQuery(Recorded):
    requester = models.ForeignKey(Organization, verbose_name="查询单位", on_delete=models.PROTECT,
                                  related_name="+")
    addressee = models.ForeignKey(Organization, verbose_name="被查询单位", on_delete=models.PROTECT,
                                  related_name="+")
    subject = models.CharField("查询事项", max_length=200)
    purpose = models.TextField("查询用途", max_length=2000)
    case = models.ForeignKey("cases.EnforcementCase", verbose_name="所涉案件", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=20, choices=QueryStatus.choices,
                              default=QueryStatus.ASKED)
    answer = models.TextField("答复内容", max_length=5000, blank=True)
    refusal_ground = models.CharField("不予提供的理由", max_length=20, blank=True,
                                      choices=RefusalGround.choices)
    refusal_law = models.CharField("法律依据", max_length=300, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "执法信息查询"
        verbose_name_plural = "执法信息查询"
        ordering = ["-created_at", "-id"]
        constraints = [
            # M5.5: a refusal names its ground; "another legal reason" cites the law.
            models.CheckConstraint(
                condition=~Q(status=QueryStatus.REFUSED) | (
                    ~Q(refusal_ground="") & (~Q(refusal_ground=RefusalGround.OTHER_LEGAL)
                                             | ~Q(refusal_law=""))),
                name="query_refusal_has_ground"),
            models.CheckConstraint(condition=~Q(status=QueryStatus.ANSWERED) | ~Q(answer=""),
                                   name="query_answer_has_text"),
            models.CheckConstraint(condition=~Q(requester=models.F("addressee")),
                                   name="query_to_another_agency"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("infosharing:query", args=[self.pk])
