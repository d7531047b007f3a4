"""The enforcement-case registry most mechanisms refer to."""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from core.models import Attachment, Organization, Recorded


class ActType(models.TextChoices):
    LICENSING = "licensing", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LEVY = "levy", "行政征收"
    CHARGE = "charge", "行政收费"
    INSPECTION = "inspection", "行政检查"
    ADJUDICATION = "adjudication", "行政裁决"
    CONFIRMATION = "confirmation", "行政确认"


class EnforcementField(models.TextChoices):
    FOOD_DRUG = "food_drug", "食品药品"
    WORK_SAFETY = "work_safety", "安全生产"
    ECOLOGY = "ecology", "生态环境"
    MARKET = "market", "市场监管"
    URBAN = "urban", "城市管理"
    NATURAL_RESOURCES = "natural_resources", "自然资源"
    CULTURE_TOURISM = "culture_tourism", "文化旅游"
    TRANSPORT = "transport", "交通运输"
    HEALTH = "health", "卫生健康"
    HOUSING = "housing", "住房城乡建设"
    AGRICULTURE = "agriculture", "农业农村"
    WATER = "water", "水务"
    LABOUR = "labour", "人力资源社会保障"
    EDUCATION = "education", "教育体育"
    OTHER = "other", "其他"


class CaseStatus(models.TextChoices):
    """The case's procedure. Allowed moves are in cases.workflow.CASE_WORKFLOW."""

    FILED = "filed", "立案"
    INVESTIGATING = "investigating", "调查取证"
    # Required before the decision when it is a major one 重大执法决定 (three systems).
    LEGAL_REVIEW = "legal_review", "法制审核"
    DECIDED = "decided", "决定"
    EXECUTING = "executing", "执行"
    CLOSED = "closed", "结案"


class PublicityChannel(models.TextChoices):
    """The four channels of M5.2."""

    PROVINCE_PLATFORM = "province_platform", "河北省政务服务平台"
    TWO_LAWS_PLATFORM = "two_laws_platform", "“两法衔接”平台"
    DISTRICT_COLUMN = "district_column", "区政府行政执法公示专栏"
    DEPARTMENT_WEBSITE = "department_website", "部门网站"


class EnforcementCase(Recorded):
    department = models.ForeignKey(Organization, verbose_name="办案单位", on_delete=models.PROTECT,
                                   related_name="cases")
    number = models.CharField("案件编号", max_length=60)
    act_type = models.CharField("行为类别", max_length=20, choices=ActType.choices)
    field = models.CharField("执法领域", max_length=30, choices=EnforcementField.choices)
    summary = models.TextField("案情摘要", max_length=5000)
    discovered_at = models.DateTimeField("发现时间")
    filed_on = models.DateField("立案日期")
    closed_on = models.DateField("结案日期", null=True, blank=True)
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="承办人员",
                                      related_name="cases")
    status = models.CharField("办理状态", max_length=20, choices=CaseStatus.choices,
                              default=CaseStatus.FILED)
    is_major_decision = models.BooleanField(
        "重大执法决定", default=False, help_text="重大执法决定须经法制审核后方可作出决定。")
    # The decision
    decision_date = models.DateField("决定日期", null=True, blank=True)
    decision_summary = models.TextField("决定内容", max_length=5000, blank=True)
    penalty_amount = models.DecimalField("罚没金额（元）", max_digits=14, decimal_places=2,
                                         null=True, blank=True,
                                         validators=[MinValueValidator(0)])
    decision_document = models.ForeignKey(Attachment, verbose_name="决定书", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    # Publicity of the decision (three systems)
    published_on = models.DateField("公示日期", null=True, blank=True)
    publicity_channel = models.CharField("公示渠道", max_length=30, blank=True,
                                         choices=PublicityChannel.choices)
    # created_by (登记人) and created_at (登记时间) from Recorded.
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "执法案件"
        verbose_name_plural = "执法案件"
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "number"], name="case_number_per_department"),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("filed_on")),
                name="case_closed_after_filed",
            ),
        ]
        indexes = [
            # The list: one department, one status, newest first.
            models.Index(fields=["department", "status", "-filed_on", "-id"], name="case_list_idx"),
            models.Index(fields=["status", "-filed_on", "-id"], name="case_status_idx"),
            # The unfiltered list (newest first) and lists whose scope is an OR of
            # several apps' conditions: read in order, filtered inside the index.
            models.Index(fields=["-filed_on", "-id"], name="case_recent_idx",
                         include=["department", "status"]),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])


class PartyKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANIZATION = "organization", "法人或其他组织"


class PoliticalStatus(models.TextChoices):
    CPC_MEMBER = "cpc_member", "中共党员"
    CPC_PROBATIONARY = "cpc_probationary", "中共预备党员"
    CYL_MEMBER = "cyl_member", "共青团员"
    DEMOCRATIC_PARTY = "democratic_party", "民主党派成员"
    NON_PARTISAN = "non_partisan", "无党派人士"
    MASSES = "masses", "群众"


# The political statuses of a member of the Communist Party (a probationary member is
# subject to party discipline too).
PARTY_MEMBER_STATUSES = (PoliticalStatus.CPC_MEMBER, PoliticalStatus.CPC_PROBATIONARY)


class Party(models.Model):
    """A party to a case (当事人) or another person involved. M10.1/M10.2: political
    status, employer and post are recorded, and party members and state functionaries
    are flagged truthfully — a closed penalty on them opens a discipline referral."""

    case = models.ForeignKey(EnforcementCase, verbose_name="案件", on_delete=models.CASCADE,
                             related_name="parties")
    kind = models.CharField("当事人类型", max_length=20, choices=PartyKind.choices)
    name = models.CharField("姓名或名称", max_length=200)
    # Stored whole; shown masked outside the case's department and the justice bureau
    # (cases.selectors.party_id_for).
    id_number = models.CharField("身份证号或统一社会信用代码", max_length=40)
    political_status = models.CharField("政治面貌", max_length=30, blank=True,
                                        choices=PoliticalStatus.choices)
    employer = models.CharField("工作单位", max_length=200, blank=True)
    post = models.CharField("职务", max_length=100, blank=True)
    is_party_member = models.BooleanField("中共党员", default=False)
    is_state_functionary = models.BooleanField("国家公职人员", default=False)

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        indexes = [models.Index(fields=["name"]), models.Index(fields=["id_number"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """A party has no page of its own: the parties table of its case."""
        return f"{reverse('cases:detail', args=[self.case_id])}#parties"

    @property
    def needs_discipline_check(self) -> bool:
        # M10.1–M10.2: 政治面貌 中共党员 and the 中共党员 flag are one fact; either counts.
        return (self.is_party_member or self.political_status in PARTY_MEMBER_STATUSES
                or self.is_state_functionary)


class CaseActTally(models.Model):
    """Cases per department, act type and month filed (core.tallies; the dashboard's case
    figures per act type and per department — cases.tallies.BY_ACT_TYPE)."""

    department = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    act_type = models.CharField(max_length=20)
    month = models.DateField()
    filed = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    major = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "案件按月汇总（行为类别）"
        verbose_name_plural = "案件按月汇总（行为类别）"
        constraints = [models.UniqueConstraint(fields=["department", "act_type", "month"],
                                               name="case_act_tally_key")]
        indexes = [models.Index(fields=["month"], name="case_act_tally_month")]


class CaseFieldTally(models.Model):
    """Cases per department, enforcement field and month filed (core.tallies; the
    dashboard's case figures per field — cases.tallies.BY_FIELD)."""

    department = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=30)
    month = models.DateField()
    filed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "案件按月汇总（执法领域）"
        verbose_name_plural = "案件按月汇总（执法领域）"
        constraints = [models.UniqueConstraint(fields=["department", "field", "month"],
                                               name="case_field_tally_key")]
        indexes = [models.Index(fields=["month"], name="case_field_tally_month")]
