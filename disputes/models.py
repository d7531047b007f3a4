"""Administrative enforcement dispute coordination (M2) and the jurisdiction disputes between
a township and a district department (M15.6), one machinery: a department (or township)
files with the record of the failed negotiation (M2.3); the justice bureau accepts or
refuses, asks each party for its written opinion, holds coordination meetings and closes
with an agreement confirmed by every party — or issues its written recommendation to the
district government (M2.4), which rules; each party reports it has carried the ruling out."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Attachment, Organization, Recorded


class DisputeKind(models.TextChoices):
    # M2.2: the matters departments may bring.
    DUTY = "duty", "职责"
    BASIS = "basis", "依据"
    PROCEDURE = "procedure", "程序"
    STANDARD = "standard", "标准"
    # M15.6: a jurisdiction dispute between a township and a district department.
    JURISDICTION = "jurisdiction", "管辖"


class DisputeStatus(models.TextChoices):
    """Moves only through disputes.workflow.DISPUTE_WORKFLOW."""

    DRAFT = "draft", "草稿"  # the applicant records the failed negotiation before filing
    FILED = "filed", "待受理"  # filed; the justice bureau accepts or refuses within the limit
    REFUSED = "refused", "不予受理"  # with the bureau's reason
    COORDINATING = "coordinating", "协调中"  # opinions asked, coordination meetings held
    AGREEMENT = "agreement", "协调意见待确认"  # the bureau's 协调意见, each party confirms
    SETTLED = "settled", "已协调解决"  # every party confirmed the agreement
    SUBMITTED = "submitted", "报请区政府裁决"  # coordination failed; the written recommendation issued
    RULED = "ruled", "区政府已裁决"  # each party reports that it carried the ruling out
    CLOSED = "closed", "裁决已执行"  # every party reported


# The states in which a dispute is still being handled (the dashboard's "open").
OPEN_STATES = (DisputeStatus.FILED, DisputeStatus.COORDINATING, DisputeStatus.AGREEMENT,
               DisputeStatus.SUBMITTED, DisputeStatus.RULED)


class Dispute(Recorded):
    applicant = models.ForeignKey(Organization, verbose_name="申请单位", on_delete=models.PROTECT,
                                  related_name="+")
    kind = models.CharField("争议类别", max_length=20, choices=DisputeKind.choices)
    subject = models.CharField("争议事项", max_length=200)
    facts = models.TextField("争议事实", max_length=5000)
    coordinator = models.ForeignKey(Organization, verbose_name="协调机关", on_delete=models.PROTECT,
                                    related_name="+")
    status = models.CharField("状态", max_length=20, choices=DisputeStatus.choices,
                              default=DisputeStatus.DRAFT)
    filed_at = models.DateTimeField("申请时间", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    refuse_reason = models.TextField("不予受理的理由", max_length=2000, blank=True)
    agreement = models.TextField("协调意见", max_length=5000, blank=True)
    agreed_at = models.DateTimeField("出具协调意见时间", null=True, blank=True)
    settled_at = models.DateTimeField("协调解决时间", null=True, blank=True)
    government = models.ForeignKey(Organization, verbose_name="裁决机关", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("报请裁决时间", null=True, blank=True)
    ruling = models.TextField("区政府裁决", max_length=5000, blank=True)
    competent = models.ForeignKey(Organization, verbose_name="确定的管辖单位", null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    ruling_file = models.ForeignKey(Attachment, verbose_name="裁决文书", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    ruled_at = models.DateTimeField("裁决时间", null=True, blank=True)
    closed_at = models.DateTimeField("执行完毕时间", null=True, blank=True)

    class Meta:
        verbose_name = "执法争议"
        verbose_name_plural = "执法争议"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(status=DisputeStatus.REFUSED) | ~Q(refuse_reason=""),
                                   name="dispute_refused_has_reason"),
            models.CheckConstraint(
                condition=~Q(status__in=[DisputeStatus.AGREEMENT, DisputeStatus.SETTLED]) | ~Q(agreement=""),
                name="dispute_agreement_has_text"),
            models.CheckConstraint(
                condition=~Q(status__in=[DisputeStatus.RULED, DisputeStatus.CLOSED])
                | (~Q(ruling="") & Q(ruled_at__isnull=False)),
                name="dispute_ruled_has_ruling"),
        ]
        indexes = [models.Index(fields=["status", "filed_at"], name="dispute_status_filed")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("disputes:detail", args=[self.pk])


class DisputeParty(models.Model):
    """One department (or township) party to a dispute, the applicant among them, with its
    written opinion (M2.1), its confirmation of the agreement and its report on carrying
    out the ruling (M2.4); the per-party deadlines run on this row."""

    dispute = models.ForeignKey(Dispute, verbose_name="争议", on_delete=models.CASCADE,
                                related_name="parties")
    organization = models.ForeignKey(Organization, verbose_name="当事单位", on_delete=models.PROTECT,
                                     related_name="+")
    is_applicant = models.BooleanField("申请单位", default=False)
    opinion_due = models.DateField("书面意见期限", null=True, blank=True)
    opinion = models.TextField("书面意见", max_length=5000, blank=True)
    opinion_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="意见提交人", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    opinion_at = models.DateTimeField("意见提交时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField("确认协调意见时间", null=True, blank=True)
    implement_due = models.DateField("执行期限", null=True, blank=True)
    implementation = models.TextField("执行情况", max_length=5000, blank=True)
    implemented_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报告人", null=True,
                                       blank=True, on_delete=models.PROTECT, related_name="+")
    implemented_at = models.DateTimeField("报告执行时间", null=True, blank=True)

    class Meta:
        verbose_name = "争议当事单位"
        verbose_name_plural = "争议当事单位"
        ordering = ["dispute", "-is_applicant", "organization__name"]
        constraints = [models.UniqueConstraint(fields=["dispute", "organization"],
                                               name="dispute_party_once")]

    def __str__(self) -> str:
        return f"{self.dispute}（{self.organization.name}）"

    def get_absolute_url(self) -> str:
        # An address of the key alone (core.links: a deadline's or a notification's row
        # links here without loading the dispute); it leads to the party's part of the page.
        return reverse("disputes:party", args=[self.pk])


class NegotiationPosition(models.Model):
    """M2.3 先行协商: one party's position at a negotiation before filing — when, who
    spoke for it, what it held. Filing needs one for every party."""

    dispute = models.ForeignKey(Dispute, verbose_name="争议", on_delete=models.CASCADE,
                                related_name="negotiations")
    party = models.ForeignKey(DisputeParty, verbose_name="当事单位", on_delete=models.CASCADE,
                              related_name="positions")
    negotiated_on = models.DateField("协商日期")
    representatives = models.CharField("参加协商人员", max_length=200)
    position = models.TextField("该方意见", max_length=3000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人",
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "先行协商记录"
        verbose_name_plural = "先行协商记录"
        ordering = ["negotiated_on", "id"]

    def __str__(self) -> str:
        return f"{self.party.organization.name}（{self.negotiated_on.year}年{self.negotiated_on.month}月{self.negotiated_on.day}日）"

    def get_absolute_url(self) -> str:
        return f"{self.dispute.get_absolute_url()}#negotiation"


class CoordinationMeeting(models.Model):
    """A coordination meeting the justice bureau held on the dispute (M2.1)."""

    dispute = models.ForeignKey(Dispute, verbose_name="争议", on_delete=models.CASCADE,
                                related_name="meetings")
    held_at = models.DateTimeField("协调时间")
    place = models.CharField("地点", max_length=100)
    attendees = models.CharField("参加人员", max_length=500)
    summary = models.TextField("协调情况", max_length=5000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人",
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "协调会"
        verbose_name_plural = "协调会"
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"协调会（{self.place}）"

    def get_absolute_url(self) -> str:
        return f"{self.dispute.get_absolute_url()}#meetings"
