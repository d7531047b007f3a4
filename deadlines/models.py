"""The working-day calendar, deadline rows, their reminders, and in-app notifications.

A deadline's ``due`` is computed once, when the row is opened, and stored (healthchecks'
``alert_after``): the sweep then compares columns with the clock and never does calendar
arithmetic, so a million open rows cost one index range scan per tick.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core import links
from core.models import Recorded


class DayKind(models.TextChoices):
    # A weekday the State Council's schedule makes a day off (法定节假日 or its bridge days).
    HOLIDAY = "holiday", "法定节假日"
    # A Saturday or Sunday the schedule turns into a working day (调休上班).
    WORKDAY = "workday", "调休上班"


class CalendarDay(models.Model):
    """A day that differs from Monday–Friday. A year with at least one row is a year
    whose schedule is loaded; other years fall back to weekends and fixed-date holidays
    and every deadline computed across them is provisional (SPEC, "Deadlines")."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类别", max_length=10, choices=DayKind.choices)
    name = models.CharField("节日", max_length=30, help_text="如“春节”“国庆节”。")

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}（{self.name}）"


class DeadlineState(models.TextChoices):
    # Running: the sweep watches it and reminds as due approaches.
    OPEN = "open", "进行中"
    # Done by the responsible organisation; late when met_at > due.
    MET = "met", "已完成"
    # Due passed while open; only the sweep sets this, and escalates once.
    OVERDUE = "overdue", "已逾期"
    # The obligation disappeared (the transfer was withdrawn …), with a reason.
    CANCELLED = "cancelled", "已取消"
    # The justice bureau excused it, with a reason.
    WAIVED = "waived", "已豁免"


class ReminderStage(models.IntegerChoices):
    # Where an open deadline is in its reminder sequence; the sweep moves it forward
    # with a conditional UPDATE on this column, so a step is taken once.
    NONE = 0, "未提醒"
    WARNED = 1, "已临期提醒"


class Deadline(models.Model):
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField("事项", max_length=200, blank=True)
    rule = models.CharField("时限规则", max_length=40, db_index=True)
    responsible = models.ForeignKey("core.Organization", verbose_name="责任单位",
                                    on_delete=models.PROTECT, related_name="deadlines")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任人", null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="deadlines")
    start = models.DateTimeField("起算时间")
    due = models.DateTimeField("届满时间")
    state = models.CharField("状态", max_length=10, choices=DeadlineState.choices,
                             default=DeadlineState.OPEN)
    met_at = models.DateTimeField("完成时间", null=True, blank=True)
    # Computed across a year whose holiday schedule was not loaded yet; recomputed when
    # the year is imported.
    provisional = models.BooleanField("暂定", default=False)
    escalation_level = models.PositiveSmallIntegerField("督办级别", default=0)
    # When a member of the justice bureau first read a notification about this deadline
    # (notifications.notification_read): the escalation is acknowledged (督办已签收). Kept on the
    # row so 督办无人签收 is a plain condition for the list, the tally and the dashboard.
    escalation_acknowledged_at = models.DateTimeField("督办签收时间", null=True, blank=True)
    reason = models.TextField("原因", max_length=1000, blank=True,
                              help_text="取消、豁免或延长的原因。")
    # Who wrote the due into a notice or an order (the justice bureau's supervision
    # notice, an order to transfer): only that organisation extends it, at the
    # responsible unit's request (issue 15 item 10). Empty for a time limit set by law.
    imposed_by = models.ForeignKey("core.Organization", verbose_name="设定期限的单位", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    # The recurring duty's period ("2026-Q1", "2026-03" …); blank for one-off deadlines.
    period = models.CharField("周期", max_length=10, blank=True)
    # When the "one working day left" reminder falls due (computed with ``due``).
    warn_at = models.DateTimeField("临期提醒时间")
    # The next moment the sweep has something to do for this row; NULL when nothing.
    remind_at = models.DateTimeField(null=True, blank=True)
    reminder_stage = models.PositiveSmallIntegerField(choices=ReminderStage.choices,
                                                      default=ReminderStage.NONE)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "期限"
        verbose_name_plural = "期限"
        ordering = ["due", "id"]
        indexes = [
            # The sweep's only query: open rows whose next step has come. Partial, so
            # met/cancelled history does not grow the index the sweep scans.
            models.Index(fields=["remind_at"], condition=Q(state="open"),
                         name="deadline_sweep_open"),
            models.Index(fields=["target_type", "target_id"], name="deadline_target"),
            models.Index(fields=["responsible", "state", "due"], name="deadline_responsible"),
            # 需关注's provisional list (open rows computed across an unloaded year), by due.
            models.Index(fields=["due", "id"], condition=Q(state="open", provisional=True),
                         name="deadline_open_provisional"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id", "rule", "period"],
                                    condition=~Q(period=""), name="deadline_period_unique"),
            models.CheckConstraint(condition=Q(due__gte=models.F("start")),
                                   name="deadline_due_after_start"),
            models.CheckConstraint(condition=Q(state="met", met_at__isnull=False)
                                   | ~Q(state="met"), name="deadline_met_has_time"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("deadlines:detail", args=[self.pk])

    def target_url(self) -> str:
        """The page of the record the time limit is kept on (a case, a transfer …), so a
        supervisor following an overdue figure reaches the record, not only the limit.
        Built from the target's type and id (``core.links``): no query for the record."""
        return links.url_for(self.target_type_id, self.target_id)

    def __str__(self) -> str:
        from .rules import rule_label

        return f"{rule_label(self.rule)}：{self.target_repr}"

    @property
    def rule_label(self) -> str:
        from .rules import rule_label

        return rule_label(self.rule)

    @property
    def is_late(self) -> bool:
        return self.met_at is not None and self.met_at > self.due


class ExtensionState(models.TextChoices):
    PENDING = "pending", "待决定"  # the imposing organisation has not answered yet
    APPROVED = "approved", "已批准"  # the deadline was moved to ``new_due``
    REFUSED = "refused", "不予延长"  # the deadline stands; ``answer`` says why


class ExtensionRequest(Recorded):
    """A responsible unit's request to extend a deadline that a supervisor imposed
    (``Deadline.imposed_by``), and the imposing organisation's answer (issue 15 item 10).
    At most one pending request per deadline."""

    deadline = models.ForeignKey(Deadline, verbose_name="期限", on_delete=models.CASCADE,
                                 related_name="extension_requests")
    new_due = models.DateTimeField("申请延长至")
    reason = models.TextField("申请理由", max_length=1000)
    state = models.CharField("状态", max_length=10, choices=ExtensionState.choices,
                             default=ExtensionState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    answer = models.TextField("答复", max_length=1000, blank=True)

    class Meta:
        verbose_name = "延长期限申请"
        verbose_name_plural = "延长期限申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["deadline"], condition=Q(state="pending"),
                                    name="extension_request_one_pending"),
        ]

    def __str__(self) -> str:
        return f"延长期限申请：{self.deadline}"

    def get_absolute_url(self) -> str:
        return self.deadline.get_absolute_url()


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "临期提醒"  # one working day before due, to the responsible unit
    DUE = "due", "到期提醒"  # at due, to the responsible unit: the time is up
    OVERDUE = "overdue", "逾期督办"  # at due, escalated to the justice bureau's supervisors


class Reminder(models.Model):
    """One reminder step taken for a deadline. The unique constraint is the last line
    of defence against a duplicate: even a sweep that lost its claim cannot insert a
    second row of a kind."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField("类别", max_length=10, choices=ReminderKind.choices)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        constraints = [
            models.UniqueConstraint(fields=["deadline", "kind"], name="reminder_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.deadline_id}"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人",
                                  on_delete=models.CASCADE, related_name="notifications")
    organization = models.ForeignKey("core.Organization", verbose_name="单位", null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", max_length=2000, blank=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The navbar badge on every page: unread count for one user.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                         name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        """The page of the record the message is about; else the page its sender named
        (an address on this site only); else the inbox."""
        return (links.url_for(self.target_type_id, self.target_id)
                or (self.url if self.url.startswith("/") and not self.url.startswith("//") else "")
                or reverse("deadlines:inbox"))


class CalendarFeed(models.Model):
    """A user's iCalendar subscription: its address names the user and this version, so
    resetting it (services.calendar_feed_reset) makes every earlier address stop working
    — for an address forwarded or on a lost phone. No row: version 0."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="calendar_feed")
    version = models.PositiveIntegerField("版本", default=0)
    reset_at = models.DateTimeField("重置时间", null=True, blank=True)

    class Meta:
        verbose_name = "日历订阅"
        verbose_name_plural = "日历订阅"

    def __str__(self) -> str:
        return f"{self.user} 的日历订阅（第 {self.version} 版）"


# --- tallies (core.tallies): the dashboard's figures, kept by the services and the sweep ---


class DeadlineTally(models.Model):
    """Live deadlines per responsible unit and rule (deadlines.tallies.LIVE)."""

    responsible = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=40)
    open = models.PositiveIntegerField(default=0)
    # Open with the one-working-day warning reached (warn_at <= the recount's time; the
    # sweep recounts as it passes each warn_at).
    due_soon = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    provisional = models.PositiveIntegerField(default=0)
    # Overdue, escalated, and no justice-bureau recipient has read the escalation.
    unacknowledged = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "期限汇总"
        verbose_name_plural = "期限汇总"
        constraints = [models.UniqueConstraint(fields=["responsible", "rule"],
                                               name="deadline_tally_key")]


class DeadlineMonthTally(models.Model):
    """Judged deadlines per responsible unit, rule and month of ``due`` (the on-time rate;
    deadlines.tallies.MONTHLY): met on time, met late, still overdue."""

    responsible = models.ForeignKey("core.Organization", on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=40)
    month = models.DateField()
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "期限按月汇总"
        verbose_name_plural = "期限按月汇总"
        constraints = [models.UniqueConstraint(fields=["responsible", "rule", "month"],
                                               name="deadline_month_tally_key")]
        indexes = [models.Index(fields=["month"], name="deadline_month_tally_month")]
