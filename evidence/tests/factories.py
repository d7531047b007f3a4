"""Evidence for the evidence and discipline tests, built as rows in the state a test
needs; cases and parties come from ``cases.testing`` (the one place tests build them),
re-exported here for the tests that import them from this module."""
from __future__ import annotations

import io

import factory
from django.utils import timezone

from cases.testing import CaseFactory, PartyFactory
from evidence.models import EvidenceItem, EvidenceKind

__all__ = ["COMPLETE", "PNG", "CaseFactory", "EvidenceFactory", "PartyFactory", "confirmed_evidence"]

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


class EvidenceFactory(factory.django.DjangoModelFactory):
    """An item with nothing of its checklist ticked (unconfirmed)."""

    class Meta:
        model = EvidenceItem

    case = factory.SubFactory(CaseFactory)
    kind = EvidenceKind.INQUIRY_RECORD
    title = factory.Sequence(lambda n: f"询问笔录{n}")
    proves = "当事人销售过期食品的事实"
    source = "现场询问"
    obtained_on = factory.LazyFunction(timezone.localdate)
    created_by = factory.LazyAttribute(lambda o: o.case.created_by)


# What each type's checklist needs to be complete (M13.2–M13.6).
COMPLETE: dict[str, dict] = {
    EvidenceKind.INQUIRY_RECORD: {"verified": True, "has_alterations": True,
                                  "alterations_confirmed": True},
    EvidenceKind.DOCUMENTARY: {"verified": True, "checked_against_original": True,
                               "collected_at": timezone.now(), "pages_signed": True,
                               "true_expression_stated": True},
    EvidenceKind.PHYSICAL: {"verified": True, "original_kept": True, "counterpart_signed": True},
    EvidenceKind.AUDIO_VISUAL: {"verified": True, "original_carrier_kept": True,
                                "production_method": "执法记录仪摄录", "produced_at": timezone.now(),
                                "producer": "执法员甲", "has_audio": True,
                                "transcript": "执法人员：请出示营业执照。"},
    EvidenceKind.COPY: {"verified": True, "original_unobtainable_reason": "原件由市场监管总局存档",
                        "provider_marked": True,
                        "marked_on": timezone.localdate(), "provider_signed": True},
    EvidenceKind.OTHER: {"verified": True},
}


def confirmed_evidence(case, actor=None) -> EvidenceItem:
    """One confirmed inquiry record on ``case``, registered and scanned through the evidence
    services by ``actor`` (an officer of the case's department by default): what a penalty
    decision needs (M13), for the tests of every app that decide a penalty case."""
    from core.models import Role
    from core.testing import member
    from evidence import services

    actor = actor or member(Role.OFFICER, case.department)
    item = services.evidence_add(actor=actor, case=case, kind=EvidenceKind.INQUIRY_RECORD, data={
        "title": "询问笔录（当事人）", "proves": "当事人的违法事实", "source": "现场询问",
        "obtained_on": timezone.localdate(), **COMPLETE[EvidenceKind.INQUIRY_RECORD]})
    services.evidence_attach(actor=actor, item=item, fileobj=io.BytesIO(PNG), name="询问笔录扫描件.png",
                             size=len(PNG))
    return item
