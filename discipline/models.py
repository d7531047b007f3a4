"""Discipline referrals (M10): when a case closes with an administrative penalty on a
party member or state functionary, the department refers the leads to the discipline
inspection commission within 10 working days of closure (M10.3)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cases.models import EnforcementCase, Party
from core.models import Attachment, Organization


class ReferralStatus(models.TextChoices):
    """Moves only through discipline.workflow.REFERRAL_WORKFLOW."""

    # Opened by the case's closure; the department writes the leads.
    DRAFTING = "drafting", "待撰写线索"
    # The leads are with the department head to sign (or return for revision).
    SIGNING = "signing", "待负责人签字"
    # Signed (who, when); the seal is confirmed and the penalty decision attached next.
    SIGNED = "signed", "已签字"
    # The numbered 违纪线索移送函 was issued and delivered to the commission in the system:
    # this is "sent" for M10.3 and meets the 10-working-day deadline.
    DELIVERED = "delivered", "已移送"
    # The commission acknowledged receipt.
    ACKNOWLEDGED = "acknowledged", "已签收"
    # The department judged there is no discipline matter and recorded why (the justice
    # bureau reviews these, M10.4 "failing to notice").
    NO_MATTER = "no_matter", "经研判无违纪线索"


SIGNED_STATES = (ReferralStatus.SIGNED, ReferralStatus.DELIVERED, ReferralStatus.ACKNOWLEDGED)
SENT_STATES = (ReferralStatus.DELIVERED, ReferralStatus.ACKNOWLEDGED)


class DisciplineReferral(models.Model):
    case = models.OneToOneField(EnforcementCase, verbose_name="案件", on_delete=models.PROTECT,
                                related_name="discipline_referral")
    department = models.ForeignKey(Organization, verbose_name="移送单位", on_delete=models.PROTECT,
                                   related_name="discipline_referrals")
    parties = models.ManyToManyField(Party, verbose_name="涉及人员", related_name="+",
                                     help_text="被处罚的中共党员或国家公职人员。")
    status = models.CharField("状态", max_length=20, choices=ReferralStatus.choices,
                              default=ReferralStatus.DRAFTING)
    leads = models.TextField("违纪线索", blank=True, max_length=5000,
                             help_text="涉嫌违纪违法的事实、证据及处罚情况。")
    commission = models.ForeignKey(Organization, verbose_name="接收的纪检监察机关", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签字负责人", null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField("签字时间", null=True, blank=True)
    seal_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用印确认人",
                                          null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    seal_confirmed_at = models.DateTimeField("用印确认时间", null=True, blank=True)
    penalty_decision = models.ForeignKey(Attachment, verbose_name="行政处罚决定书", null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    letter_number = models.CharField("移送函文号", max_length=60, blank=True)
    delivered_at = models.DateTimeField("移送时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签收人",
                                        null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    no_matter_reason = models.TextField("无违纪线索的理由", blank=True, max_length=2000)
    created_at = models.DateTimeField("启动时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "违纪线索移送"
        verbose_name_plural = "违纪线索移送"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=SIGNED_STATES)
                | Q(signed_by__isnull=False, signed_at__isnull=False),
                name="referral_signed_has_signer_and_time"),
            models.CheckConstraint(
                condition=~Q(status__in=SENT_STATES)
                | Q(delivered_at__isnull=False, commission__isnull=False,
                    seal_confirmed_at__isnull=False, penalty_decision__isnull=False)
                & ~Q(letter_number=""),
                name="referral_sent_is_complete"),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.ACKNOWLEDGED) | Q(acknowledged_at__isnull=False),
                name="referral_acknowledged_has_time"),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.NO_MATTER) | ~Q(no_matter_reason=""),
                name="referral_no_matter_has_reason"),
        ]
        indexes = [models.Index(fields=["department", "status"], name="referral_dept_status")]

    def __str__(self) -> str:
        return f"案件{self.case.number}违纪线索移送"

    def get_absolute_url(self) -> str:
        return reverse("discipline:detail", args=[self.pk])
