"""Joint meetings (M1; M14.1 and M14.3's meeting side): one machinery for both bodies of
the plan — the enforcement coordination joint meeting convened by the coordination office
(M1.1) and the approval–supervision joint meeting with its office at the approval bureau
(M14.1). A body has member units, one liaison per member (M1.4, M14.3), regular and
temporary meetings (M1.2) with their agenda (M1.3), and the matters agreed at a meeting,
each assigned to departments that report back until the office accepts (M1.5)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Attachment, Organization, Recorded
from deadlines.calendar import end_of_day


class BodyKind(models.TextChoices):
    # M1.1: convened by the coordination office; the procuratorate, the staffing office
    # and every enforcement department are members; at least once a year (M1.2).
    COORDINATION = "coordination", "行政执法协调监督联席会议"
    # M14.1: its office at the approval bureau; the supervising departments are members;
    # at least once a quarter.
    APPROVAL = "approval", "行政审批与事中事后监管联席会议"


# The recurring duty (deadlines.rules) a regular meeting of each body meets.
REGULAR_RULE = {BodyKind.COORDINATION: "annual_joint_meeting",
                BodyKind.APPROVAL: "approval_linkage_meeting"}


class JointBody(models.Model):
    kind = models.CharField("联席会议", max_length=20, choices=BodyKind.choices, unique=True)
    convener = models.ForeignKey(Organization, verbose_name="召集单位（联席会议办公室）",
                                 on_delete=models.PROTECT, related_name="convened_bodies")
    members = models.ManyToManyField(Organization, verbose_name="成员单位",
                                     related_name="joint_bodies")

    class Meta:
        verbose_name = "联席会议"
        verbose_name_plural = "联席会议"
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def get_absolute_url(self) -> str:
        return reverse("meetings:body", args=[self.pk])

    @property
    def regular_rule(self) -> str:
        return REGULAR_RULE[self.kind]


class Liaison(models.Model):
    """A member unit's liaison for one body: a section head (M1.4) or, for the approval
    body, the officer with the supervisory duties linked to approval (M14.3)."""

    body = models.ForeignKey(JointBody, verbose_name="联席会议", on_delete=models.CASCADE,
                             related_name="liaisons")
    unit = models.ForeignKey(Organization, verbose_name="成员单位", on_delete=models.PROTECT,
                             related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="联络员",
                               on_delete=models.PROTECT, related_name="+")
    post = models.CharField("职务", max_length=50, help_text="如：法制科科长。")
    phone = models.CharField("联系电话", max_length=30, blank=True)
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确定人",
                                 on_delete=models.PROTECT, related_name="+")
    named_at = models.DateTimeField("确定时间")

    class Meta:
        verbose_name = "联络员"
        verbose_name_plural = "联络员"
        ordering = ["body", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["body", "unit"], name="liaison_one_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit.name}联络员{self.person}"

    def get_absolute_url(self) -> str:
        return self.body.get_absolute_url()


class ProposalStatus(models.TextChoices):
    """Moves only through meetings.workflow.PROPOSAL_WORKFLOW."""

    PROPOSED = "proposed", "待召集单位决定"  # a member unit asked for a temporary meeting
    ACCEPTED = "accepted", "已同意召开"  # the convener set the meeting up (``meeting``)
    DECLINED = "declined", "不予召开"  # the convener declined, with its reason


class MeetingProposal(Recorded):
    """M1.2 遇有特殊情况，经一方提议: a member unit proposes a temporary meeting."""

    body = models.ForeignKey(JointBody, verbose_name="联席会议", on_delete=models.PROTECT,
                             related_name="proposals")
    proposer = models.ForeignKey(Organization, verbose_name="提议单位", on_delete=models.PROTECT,
                                 related_name="+")
    subject = models.CharField("拟议事项", max_length=200)
    reason = models.TextField("提议理由", max_length=2000,
                              help_text="需要召开临时会议的特殊情况。")
    status = models.CharField("状态", max_length=20, choices=ProposalStatus.choices,
                              default=ProposalStatus.PROPOSED)
    decline_reason = models.TextField("不予召开的理由", max_length=2000, blank=True)

    class Meta:
        verbose_name = "临时会议提议"
        verbose_name_plural = "临时会议提议"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(
            condition=~Q(status=ProposalStatus.DECLINED) | ~Q(decline_reason=""),
            name="proposal_declined_has_reason")]

    def __str__(self) -> str:
        return f"{self.proposer.short_name}提议：{self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:proposal", args=[self.pk])


class MeetingKind(models.TextChoices):
    REGULAR = "regular", "例会"
    TEMPORARY = "temporary", "临时会议"


class MeetingStatus(models.TextChoices):
    """Moves only through meetings.workflow.MEETING_WORKFLOW."""

    PREPARING = "preparing", "筹备中"  # date, place and agenda being settled
    NOTIFIED = "notified", "已通知"  # the notice reached every member unit's inbox
    HELD = "held", "已召开"  # attendance and minutes recorded; matters may be assigned
    CANCELLED = "cancelled", "已取消"  # called off, with the reason (members are told)


class Meeting(Recorded):
    body = models.ForeignKey(JointBody, verbose_name="联席会议", on_delete=models.PROTECT,
                             related_name="meetings")
    kind = models.CharField("会议类别", max_length=20, choices=MeetingKind.choices)
    proposal = models.OneToOneField(MeetingProposal, verbose_name="临时会议提议", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="meeting")
    title = models.CharField("会议名称", max_length=200)
    starts_at = models.DateTimeField("召开时间")
    place = models.CharField("地点", max_length=100)
    status = models.CharField("状态", max_length=20, choices=MeetingStatus.choices,
                              default=MeetingStatus.PREPARING)
    notified_at = models.DateTimeField("通知时间", null=True, blank=True)
    held_at = models.DateTimeField("实际召开时间", null=True, blank=True)
    attended = models.ManyToManyField(Organization, verbose_name="出席单位", blank=True,
                                      related_name="+")
    summary = models.TextField("会议纪要摘要", max_length=5000, blank=True)
    minutes = models.ForeignKey(Attachment, verbose_name="会议纪要", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "联席会议会议"
        verbose_name_plural = "联席会议会议"
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MeetingStatus.HELD)
                | Q(held_at__isnull=False, minutes__isnull=False),
                name="meeting_held_has_time_and_minutes"),
            models.CheckConstraint(
                condition=Q(proposal__isnull=True) | Q(kind=MeetingKind.TEMPORARY),
                name="meeting_on_proposal_is_temporary"),
        ]
        indexes = [models.Index(fields=["body", "status", "held_at"], name="meeting_body_held")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])


class Topic(models.TextChoices):
    # M1.3: the coordination joint meeting's duties.
    PRIORITIES = "priorities", "研究工作重点"
    EXPERIENCE = "experience", "交流通报工作经验和有关情况"
    RULES = "rules", "加强制度建设"
    INSPECTION = "inspection", "开展专项检查"
    ACCOUNTABILITY = "accountability", "落实责任追究"
    CITY_MATTERS = "city_matters", "研究协调市委市政府交办的重要事项"
    # M14.1: the approval–supervision joint meeting's duties.
    REFORM = "reform", "贯彻落实行政审批制度改革重大政策"
    LINKAGE = "linkage", "协调解决审批与监管联动的重大问题"
    MECHANISM = "mechanism", "建立完善协调联动工作机制"


BODY_TOPICS = {
    BodyKind.COORDINATION: (Topic.PRIORITIES, Topic.EXPERIENCE, Topic.RULES, Topic.INSPECTION,
                            Topic.ACCOUNTABILITY, Topic.CITY_MATTERS),
    BodyKind.APPROVAL: (Topic.REFORM, Topic.LINKAGE, Topic.MECHANISM),
}


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE,
                                related_name="agenda")
    topic = models.CharField("议题类别", max_length=20, choices=Topic.choices)
    title = models.CharField("议题", max_length=200)

    class Meta:
        verbose_name = "议题"
        verbose_name_plural = "议题"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class ResolutionStatus(models.TextChoices):
    """Moves only through meetings.workflow.RESOLUTION_WORKFLOW."""

    OPEN = "open", "落实中"  # some assignee's report is not yet accepted
    CLOSED = "closed", "已办结"  # every assignee's report was accepted (M1.5)


class Resolution(Recorded):
    """An agreed matter 议定事项 (M1.5), assigned by the office to departments."""

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.PROTECT,
                                related_name="resolutions")
    title = models.CharField("议定事项", max_length=200)
    content = models.TextField("具体要求", max_length=5000)
    due_on = models.DateField("反馈期限")
    status = models.CharField("状态", max_length=20, choices=ResolutionStatus.choices,
                              default=ResolutionStatus.OPEN)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "议定事项"
        verbose_name_plural = "议定事项"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(
            condition=~Q(status=ResolutionStatus.CLOSED) | Q(closed_at__isnull=False),
            name="resolution_closed_has_time")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:resolution", args=[self.pk])

    @property
    def due(self):
        """The end of the due date (24:00), as the feedback deadlines run to it."""
        return end_of_day(self.due_on)


class AssignmentStatus(models.TextChoices):
    """Moves only through meetings.workflow.ASSIGNMENT_WORKFLOW."""

    ASSIGNED = "assigned", "待反馈"  # the department carries the matter out and reports
    REPORTED = "reported", "待认可"  # reported; the office accepts it or sends it back
    RETURNED = "returned", "已退回"  # sent back with a reason; the department reports again
    ACCEPTED = "accepted", "已认可"  # the office accepted the report: the deadline is met


class Assignment(models.Model):
    """One department's part of a matter, with its report and the office's answer; the
    ``resolution_feedback`` deadline runs on it (M1.5)."""

    resolution = models.ForeignKey(Resolution, verbose_name="议定事项", on_delete=models.CASCADE,
                                   related_name="assignments")
    department = models.ForeignKey(Organization, verbose_name="责任单位", on_delete=models.PROTECT,
                                   related_name="+")
    status = models.CharField("状态", max_length=20, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.ASSIGNED)
    report = models.TextField("落实情况", max_length=5000, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="反馈人", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField("反馈时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", max_length=2000, blank=True)
    times_returned = models.PositiveSmallIntegerField("退回次数", default=0)
    accepted_at = models.DateTimeField("认可时间", null=True, blank=True)

    class Meta:
        verbose_name = "议定事项责任单位"
        verbose_name_plural = "议定事项责任单位"
        ordering = ["resolution", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "department"],
                                    name="assignment_one_per_department"),
            models.CheckConstraint(
                condition=Q(status=AssignmentStatus.ASSIGNED) | ~Q(report=""),
                name="assignment_reported_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.resolution.title}（{self.department.name}）"

    def get_absolute_url(self) -> str:
        return f"{self.resolution.get_absolute_url()}#assignment-{self.pk}"
