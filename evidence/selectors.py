"""Reads of evidence, its visibility scope, and the confirmation check other apps call
(the case workflow's guards, transfers before sending)."""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Cast

from cases.models import ActType, EnforcementCase
from core import policy
from core.models import Attachment

from .models import NO_FILE_GAP, EvidenceItem


@policy.register_scope(EvidenceItem)
def _evidence_of_visible_cases(viewer: policy.Viewer) -> Q:
    # Evidence follows its case: whoever sees the case (its department, a transfer's
    # receiver …) sees the evidence.
    return Q(case_id__in=policy.visible_pks(viewer, EnforcementCase))


def with_file_counts(qs: models.QuerySet[EvidenceItem]) -> models.QuerySet[EvidenceItem]:
    files = (
        Attachment.objects.filter(target_type=ContentType.objects.get_for_model(EvidenceItem),
                                  target_id=Cast(OuterRef("pk"), models.CharField()))
        .order_by().values("target_id").annotate(n=Count("pk")).values("n")
    )
    return qs.annotate(file_count=models.functions.Coalesce(Subquery(files), 0))


def item_gaps(item: EvidenceItem) -> list[str]:
    """What ``item`` lacks before it is confirmed (checklist and files); empty = confirmed."""
    gaps = item.gaps()
    file_count = getattr(item, "file_count", None)
    if file_count is None:
        file_count = Attachment.objects.filter(
            target_type=ContentType.objects.get_for_model(EvidenceItem), target_id=str(item.pk)
        ).count()
    if not file_count:
        gaps.append(NO_FILE_GAP)
    return gaps


def evidence_for_case(user, case: EnforcementCase) -> list[EvidenceItem]:
    """The case's evidence the user may see, each with ``missing`` (list) and ``confirmed``."""
    items = list(with_file_counts(policy.visible_to(user, EvidenceItem).filter(case=case)))
    for item in items:
        item.missing = item_gaps(item)
        item.confirmed = not item.missing
    return items


def evidence_blockers(case: EnforcementCase) -> list[str]:
    """M13: one line per unconfirmed item of ``case``, naming it and what it lacks (Chinese);
    empty when every item is confirmed. A system check, not a user's view: no scope."""
    blockers = []
    for item in with_file_counts(EvidenceItem.objects.filter(case=case)):
        gaps = item_gaps(item)
        if gaps:
            blockers.append(f"证据{item}未确认：{'；'.join(gaps)}。")
    return blockers


def evidence_files(user, item: EvidenceItem) -> models.QuerySet[Attachment]:
    return policy.visible_to(user, Attachment).filter(
        target_type=ContentType.objects.get_for_model(EvidenceItem), target_id=str(item.pk)
    ).select_related("uploaded_by")



NO_CONFIRMED_EVIDENCE = "作出行政处罚决定须至少有一项已确认的证据，请先登记证据并补齐确认要求。"


def penalty_evidence_blockers(case: EnforcementCase) -> list[str]:
    """M13 (with M13.1): a penalty is decided on evidence — at least one confirmed item.
    Entry guard of 决定 on the case workflow; other act types are not held to it here."""
    if case.act_type != ActType.PENALTY:
        return []
    items = with_file_counts(EvidenceItem.objects.filter(case=case))
    if any(not item_gaps(item) for item in items):
        return []
    return [NO_CONFIRMED_EVIDENCE]


def _blank(name: str) -> Q:
    return Q(**{name: ""}) | Q(**{f"{name}__regex": r"^\s+$"})


def unconfirmed_q() -> Q:
    """The items not confirmed, as one condition (``CHECKLISTS`` and the files, in SQL): for
    set-based reads over every case — the M7.3 monitoring leads. Kept equal to
    ``item_gaps`` by inspections/tests/test_leads.py."""
    from .models import EvidenceKind as K

    altered = Q(has_alterations=True, alterations_confirmed=False)
    per_kind = {
        K.INQUIRY_RECORD: altered,
        K.DOCUMENTARY: (Q(checked_against_original=False) | Q(collected_at__isnull=True)
                        | Q(pages_signed=False) | Q(true_expression_stated=False) | altered),
        K.PHYSICAL: (Q(original_kept=False) & _blank("original_not_kept_reason")
                     | Q(counterpart_signed=False) & (_blank("counterpart_unable_reason")
                                                      | _blank("corroboration"))),
        K.AUDIO_VISUAL: (Q(original_carrier_kept=False) | _blank("production_method")
                         | Q(produced_at__isnull=True) | _blank("producer")
                         | Q(has_audio=True) & _blank("transcript")),
        K.COPY: (_blank("original_unobtainable_reason") | Q(provider_marked=False)
                 | Q(marked_on__isnull=True) | Q(provider_signed=False)),
    }
    lacking = Q(verified=False)
    for kind, condition in per_kind.items():
        lacking |= Q(kind=kind) & condition
    files = Attachment.objects.filter(
        target_type=ContentType.objects.get_for_model(EvidenceItem),
        target_id=Cast(OuterRef("pk"), models.CharField()))
    return lacking | ~models.Exists(files)
