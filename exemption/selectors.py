"""Reads of interference records and exemption claims, and their visibility (M12.2):

- a record is read by the officer who made it, the head (部门负责人) of his unit, the
  discipline commission and the justice bureau — and never by the interfering person's
  unit, unless it is the officer's own (``_not_the_interferers``, applied also to the
  justice bureau and the commission, whom ``policy.visible_to`` lets see all);
- a claim follows its proceeding's visibility."""
from __future__ import annotations

from typing import Any, Mapping

from django.db import models
from django.db.models import Q

from accountability.models import Proceeding
from core import policy
from core.models import Attachment, Role

from .models import ClaimStatus, ExemptionClaim, InterferenceRecord


def _not_the_interferers(viewer: policy.Viewer) -> Q:
    orgs = sorted(viewer.org_ids)
    return ~Q(interferer_org_id__in=orgs) | Q(unit_id__in=orgs)


@policy.register_scope(InterferenceRecord)
def _records(viewer: policy.Viewer) -> Q:
    heads = sorted({org for org, role in viewer.roles if role == Role.DEPARTMENT_HEAD})
    readers = Q(recorded_by_id=viewer.user_id) | Q(unit_id__in=heads)
    if any(role == Role.DISCIPLINE for _org, role in viewer.roles):
        readers = Q(pk__isnull=False)  # the discipline commission reads every record
    return readers & _not_the_interferers(viewer)


@policy.register_scope(ExemptionClaim)
def _claims(viewer: policy.Viewer) -> Q:
    return Q(proceeding_id__in=Proceeding.objects.filter(policy.scope_q(viewer, Proceeding))
             .values("pk"))


def records_visible(user) -> models.QuerySet[InterferenceRecord]:
    """The scope, and for those who see all, still never the interfering unit's."""
    qs = policy.visible_to(user, InterferenceRecord)
    return qs.filter(_not_the_interferers(policy.viewer(user)))


def record_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[InterferenceRecord]:
    """Visible records, filtered by unit, kind, method, refused, whether corrected, dates
    of the interference and q (interfering person, unit, demand, case number)."""
    filters = filters or {}
    qs = records_visible(user).select_related("unit", "recorded_by", "case", "corrects")
    for name in ("unit", "kind", "method"):
        if filters.get(name):
            qs = qs.filter(**{name: filters[name]})
    if filters.get("refused"):
        qs = qs.filter(refused=filters["refused"] == "yes")
    if filters.get("corrected"):
        corrected = Q(pk__in=InterferenceRecord.objects.exclude(corrects=None).values("corrects_id"))
        qs = qs.filter(corrected if filters["corrected"] == "yes" else ~corrected)
    if filters.get("since"):
        qs = qs.filter(occurred_at__date__gte=filters["since"])
    if filters.get("until"):
        qs = qs.filter(occurred_at__date__lte=filters["until"])
    if filters.get("q"):
        text = filters["q"].strip()
        qs = qs.filter(Q(interferer_name__icontains=text) | Q(interferer_unit__icontains=text)
                       | Q(demand__icontains=text) | Q(case__number__icontains=text))
    return qs.order_by("-seq")


def record_get(user, pk) -> InterferenceRecord:
    return policy.access(user, records_visible(user).select_related(
        "unit", "recorded_by", "case", "corrects", "interferer_org"), pk)


def corrections_of(user, record: InterferenceRecord) -> models.QuerySet[InterferenceRecord]:
    return records_visible(user).filter(corrects=record).order_by("seq")


def files_of(user, record: InterferenceRecord) -> models.QuerySet[Attachment]:
    from core.selectors import attachments_of

    return attachments_of(user, record)


def own_records(user) -> models.QuerySet[InterferenceRecord]:
    """The records a claimant may cite (M12.3, a refused demand)."""
    return InterferenceRecord.objects.filter(recorded_by_id=user.pk).order_by("-seq")


def claims_of(user, proceeding: Proceeding) -> models.QuerySet[ExemptionClaim]:
    return policy.visible_to(user, ExemptionClaim).filter(proceeding=proceeding).select_related(
        "claimant", "decided_by", "interference").order_by("created_at", "id")


def pending_claim(proceeding: Proceeding) -> ExemptionClaim | None:
    return proceeding.exemption_claims.filter(status=ClaimStatus.PENDING).first()
