"""Reads of the disputes and their visibility: a dispute is seen by its parties, by the
district government once it is asked to rule (M2.4, M15.6), and by the justice bureau,
which sees all (core.policy). A draft is its applicant's alone."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core import policy
from core.models import Attachment, Organization, OrgKind

from .models import (OPEN_STATES, CoordinationMeeting, Dispute, DisputeParty, DisputeStatus,
                     NegotiationPosition)


def _party_disputes(org_ids) -> models.QuerySet:
    return DisputeParty.objects.filter(organization_id__in=org_ids).values("dispute_id")


@policy.register_scope(Dispute)
def _disputes(viewer: policy.Viewer) -> Q:
    ids = viewer.org_ids
    return (Q(applicant_id__in=ids)
            | (Q(pk__in=_party_disputes(ids)) & ~Q(status=DisputeStatus.DRAFT))
            | Q(government_id__in=ids))


def _of_visible_disputes(viewer: policy.Viewer) -> Q:
    return Q(dispute_id__in=Dispute.objects.filter(_disputes(viewer)).values("pk"))


policy.register_scope(DisputeParty)(_of_visible_disputes)
policy.register_scope(NegotiationPosition)(_of_visible_disputes)
policy.register_scope(CoordinationMeeting)(_of_visible_disputes)


def coordinator() -> Organization | None:
    """The dispute coordination organ: the justice bureau (M2.1 司法行政机关)."""
    return Organization.objects.filter(kind=OrgKind.JUSTICE_BUREAU, is_active=True).order_by("pk").first()


def government() -> Organization | None:
    """The district government, which rules (M2.4, M15.6)."""
    return Organization.objects.filter(kind=OrgKind.GOVERNMENT, is_active=True).order_by("pk").first()


def acting_organizations(user, capability: str) -> models.QuerySet[Organization]:
    """The departments and township governments the user acts for with ``capability``
    (a dispute is between them, never an internal unit)."""
    return policy.organizations_with(user, capability).filter(
        kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP])


# --- lists -----------------------------------------------------------------------------
AGE_LABELS = {"30": "30日以内", "90": "31至90日", "older": "超过90日"}


def age_bounds(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The instants 30 and 90 days before ``now``: where the age buckets part."""
    now = now or timezone.now()
    return now - dt.timedelta(days=30), now - dt.timedelta(days=90)


def age_q(age: str, now: dt.datetime | None = None, *,
          bounds: tuple[dt.datetime, dt.datetime] | None = None) -> Q:
    """An open dispute's age since it was filed, in the dashboard's buckets (``bounds``:
    what ``age_bounds(now)`` gives)."""
    d30, d90 = bounds or age_bounds(now)
    return Q(status__in=OPEN_STATES) & {
        "30": Q(filed_at__gte=d30),
        "90": Q(filed_at__lt=d30, filed_at__gte=d90),
        "older": Q(filed_at__lt=d90),
    }[age]


def involving_q(org_ids) -> Q:
    """The disputes the organisations are party to, or asked to rule on."""
    return Q(government_id__in=org_ids) | Q(pk__in=_party_disputes(org_ids))


def dispute_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Dispute]:
    """Visible disputes, filtered by kind, status, party (a unit among the parties or the
    government asked to rule),
    age (``AGE_LABELS``, open ones), since/until (filed, local dates) and q (subject,
    facts, ruling)."""
    f = filters or {}
    qs = policy.visible_to(user, Dispute).select_related("applicant")
    for name in ("kind", "status"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("open"):
        qs = qs.filter(status__in=OPEN_STATES)
    if f.get("party"):
        qs = qs.filter(involving_q([f["party"].pk]))
    if f.get("age"):
        qs = qs.filter(age_q(f["age"]))
    if f.get("since"):
        qs = qs.filter(filed_at__date__gte=f["since"])
    if f.get("until"):
        qs = qs.filter(filed_at__date__lte=f["until"])
    if f.get("q"):
        text = f["q"]
        qs = qs.filter(Q(subject__icontains=text) | Q(facts__icontains=text) | Q(ruling__icontains=text))
    return qs.prefetch_related("parties__organization").order_by("-created_at", "-id")


def awaiting_ruling(user) -> models.QuerySet[Dispute]:
    """The disputes brought to the government, not yet ruled on: for the government the
    ones asked of it (its scope), for the justice bureau every one."""
    return dispute_list(user, {"status": DisputeStatus.SUBMITTED}).order_by("submitted_at", "id")


def dispute_get(user, pk) -> Dispute:
    return policy.access(user, Dispute.objects.select_related(
        "applicant", "coordinator", "government", "competent", "ruling_file", "created_by"), pk)


def parties_of(dispute: Dispute) -> models.QuerySet[DisputeParty]:
    return dispute.parties.select_related("organization", "opinion_by", "confirmed_by",
                                          "implemented_by")


def party_get(user, pk) -> DisputeParty:
    return policy.access(user, DisputeParty.objects.select_related(
        "dispute", "dispute__coordinator", "dispute__government", "organization"), pk)


def files_of(user, obj: models.Model) -> models.QuerySet[Attachment]:
    return policy.visible_to(user, Attachment).filter(
        target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
    ).select_related("uploaded_by")
