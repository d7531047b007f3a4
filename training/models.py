"""Training of enforcement staff (W1; plan 四（一）): each session's topic — the three
systems, model creation, the responsibility system, other —, date, hours, trainer and
attendees; the hours add up per unit and per officer against a yearly target
(``settings.TRAINING_HOURS_PER_YEAR``)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Organization, Recorded


class Topic(models.TextChoices):
    THREE_SYSTEMS = "three_systems", "全面推行行政执法三项制度"
    MODEL_CREATION = "model_creation", "法治政府建设示范创建"
    RESPONSIBILITY = "responsibility", "落实行政执法责任制"
    OTHER = "other", "其他"


class TrainingSession(Recorded):
    organizer = models.ForeignKey(Organization, verbose_name="举办单位", on_delete=models.PROTECT,
                                  related_name="+")
    topic = models.CharField("培训内容", max_length=20, choices=Topic.choices)
    title = models.CharField("培训名称", max_length=200)
    held_on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1)
    trainer = models.CharField("授课人", max_length=100)
    place = models.CharField("地点", max_length=100, blank=True)

    class Meta:
        verbose_name = "执法培训"
        verbose_name_plural = "执法培训"
        ordering = ["-held_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=100),
                                              name="training_hours_in_range")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:detail", args=[self.pk])


class Attendance(models.Model):
    """One attendee of a session, with the unit he attended for (his hours count there)."""

    session = models.ForeignKey(TrainingSession, verbose_name="培训", on_delete=models.CASCADE,
                                related_name="attendances")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="参训人员",
                               on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, verbose_name="所在单位", on_delete=models.PROTECT,
                                     related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人",
                                 on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "参训人员"
        verbose_name_plural = "参训人员"
        ordering = ["session", "organization__name", "person__real_name"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_once")]
        indexes = [models.Index(fields=["organization", "session"], name="attendance_org")]

    def __str__(self) -> str:
        return f"{self.person}（{self.session}）"

    def get_absolute_url(self) -> str:
        return f"{self.session.get_absolute_url()}#attendees"
