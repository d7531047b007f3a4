"""Every write of duty-performance exemption (M12): an officer records an interference
(M12.1–M12.2) — a new record, or a correction linked to one of his own — chained by hash
under a lock; in an accountability proceeding an officer concerned claims lawful
performance and the agency's head decides, with reasons (M12.3)."""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import BinaryIO, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import policy
from core.audit import audit_record
from core.models import Membership, Organization, Role
from core.services import attachment_store
from core.workflow import transition_apply
from deadlines.notifications import notification_send

from . import chain
from .models import ClaimStatus, ExemptionClaim, ExemptionGround, InterferenceRecord
from .workflow import CLAIM_WORKFLOW

FileSpec = tuple[BinaryIO, str, int]


# --- who may do what (the pages ask the same predicates) --------------------------------
@policy.predicate("以该单位名义记录干预执法活动情况")
def may_record(user, unit: Organization | None = None) -> bool:
    return policy.has_capability(user, "interference.record", unit)


@policy.predicate("更正该干预记录")
def may_correct(user, record: InterferenceRecord) -> bool:
    """Only the officer who recorded it corrects it — by a new, linked record."""
    return record.recorded_by_id == getattr(user, "pk", None) and may_record(user, record.unit)


@policy.predicate("对该责任追究提出依法履职免责申请")
def may_claim(user, proceeding) -> bool:
    from accountability.models import ProceedingStatus

    return (proceeding.status == ProceedingStatus.OPEN
            and policy.has_capability(user, "accountability.claim", proceeding.agency_id)
            and proceeding.officers.filter(pk=getattr(user, "pk", None)).exists()
            and not proceeding.exemption_claims.filter(status=ClaimStatus.PENDING).exists())


@policy.predicate("决定该免责申请")
def may_decide_claim(user, claim: ExemptionClaim) -> bool:
    return (claim.status == ClaimStatus.PENDING
            and policy.has_capability(user, "accountability.decide", claim.proceeding.agency_id))


def _sha256(fileobj: BinaryIO) -> str:
    h = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        h.update(chunk)
    fileobj.seek(0)
    return h.hexdigest()


def _heads(unit: Organization):
    from core.models import User

    return User.objects.filter(memberships__organization=unit, is_active=True,
                               memberships__role=Role.DEPARTMENT_HEAD).distinct()


# --- interference records (M12.1–M12.2) ------------------------------------------------
def interference_record(*, actor, unit: Organization, kind: str, interferer_name: str,
                        interferer_unit: str, interferer_position: str, method: str,
                        occurred_at: dt.datetime, demand: str, refused: bool, response: str,
                        interferer_org: Organization | None = None, case=None,
                        files: Iterable[FileSpec] = (), corrects: InterferenceRecord | None = None,
                        correction_reason: str = "") -> InterferenceRecord:
    """Record an interference fully and truthfully (M12.2), or correct one of the actor's
    own records by a new record linked to it: nothing recorded is ever changed."""
    may_record.require(actor, unit)
    if corrects is not None:
        may_correct.require(actor, corrects)
        if corrects.unit_id != unit.pk:
            raise ValidationError("更正记录须以原记录的单位名义作出。")
        if not correction_reason.strip():
            raise ValidationError({"correction_reason": "请填写更正理由。"})
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": "干预时间不能晚于现在。"})
    if case is not None:
        from cases.models import EnforcementCase

        if not policy.visible_to(actor, EnforcementCase).filter(pk=case.pk).exists():
            raise ValidationError({"case": "只能关联本人可查看的案件。"})
    files = list(files)
    record = InterferenceRecord(
        recorded_by=actor, unit=unit, kind=kind, interferer_name=interferer_name.strip(),
        interferer_unit=interferer_unit.strip(), interferer_position=interferer_position.strip(),
        interferer_org=interferer_org, method=method, occurred_at=occurred_at,
        demand=demand.strip(), refused=refused, response=response.strip(), case=case,
        corrects=corrects, correction_reason=correction_reason.strip(),
        attachment_digests=[_sha256(f) for f, _name, _size in files],
        # Placeholders for full_clean; the chain fills them under its lock below.
        seq=1, prev_hash=chain.GENESIS, hash=chain.GENESIS, created_at=timezone.now())
    record.full_clean(exclude=["seq", "prev_hash", "hash"])
    with transaction.atomic():
        chain.lock()
        last_seq, last_hash = chain.head(InterferenceRecord)
        record.seq, record.prev_hash, record.created_at = last_seq + 1, last_hash, timezone.now()
        record.hash = chain.digest({name: getattr(record, name) for name in chain.FIELDS},
                                   record.prev_hash)
        record.save()
        for fileobj, name, size in files:
            attachment_store(actor=actor, organization=unit, fileobj=fileobj, name=name,
                             size=size, target=record, description="干预记录附件")
        # The trail says that a record was made, never whom it names (M12.2: the record
        # itself is read only by those the scope allows).
        audit_record(actor=actor, verb=("exemption.interference.correct" if corrects
                                        else "exemption.interference.record"),
                     target=record, organization=unit,
                     changes={"seq": [None, record.seq], "kind": [None, record.get_kind_display()],
                              "refused": [None, "是" if refused else "否"],
                              "corrects": [None, str(corrects) if corrects else ""]})
        notification_send(
            recipients=[u for u in _heads(unit) if u.pk != actor.pk],
            subject="本单位执法人员记录了干预执法活动情况" if not corrects else "干预记录已更正",
            body="请查阅干预执法活动记录（仅记录人所在单位负责人、区司法局和纪检监察机关可查看）。",
            target=record, actor=actor)
    return record


# --- exemption claims (M12.3) ----------------------------------------------------------
def exemption_claim_submit(*, actor, proceeding, ground: str, statement: str,
                           interference: InterferenceRecord | None = None) -> ExemptionClaim:
    """An officer concerned claims that he performed his duty lawfully (依法履职免责)."""
    may_claim.require(actor, proceeding)
    if ground not in ExemptionGround.values:
        raise ValidationError({"ground": "请选择免责事由。"})
    if not statement.strip():
        raise ValidationError({"statement": "请说明依法履职的事实和理由。"})
    if ground == ExemptionGround.REFUSED_DEMAND:
        if interference is None:
            raise ValidationError({"interference": "以拒绝违法要求为由的，请选择本人的干预记录。"})
    if interference is not None and interference.recorded_by_id != actor.pk:
        raise ValidationError({"interference": "只能引用本人的干预记录。"})
    claim = ExemptionClaim(proceeding=proceeding, claimant=actor, ground=ground,
                           statement=statement.strip(), interference=interference,
                           created_by=actor)
    with transaction.atomic():
        claim.save()
        audit_record(actor=actor, verb="exemption.claim.submit", target=claim,
                     organization=proceeding.agency,
                     changes={"ground": [None, claim.get_ground_display()]})
        notification_send(recipients=list(_heads(proceeding.agency)),
                          subject=f"依法履职免责申请：{proceeding.subject}",
                          body=f"{actor}提出依法履职免责申请，请作出决定。", target=proceeding,
                          actor=actor)
    return claim


def exemption_claim_decide(*, actor, claim: ExemptionClaim, accept: bool, reason: str
                           ) -> ExemptionClaim:
    """The agency's head decides a claim, with reasons: accepted, the proceeding ends as
    依法履职免责 — for a safety accident of the counterpart with no direct link to the
    duty performed no liability follows (M12.3); rejected, the determination proceeds."""
    may_decide_claim.require(actor, claim)
    if not reason.strip():
        raise ValidationError({"reason": "请填写决定理由。"})
    target = ClaimStatus.ACCEPTED if accept else ClaimStatus.REJECTED
    with transaction.atomic():
        transition_apply(workflow=CLAIM_WORKFLOW, obj=claim, target=target, actor=actor,
                         note=reason.strip(),
                         updates={"decision_reason": reason.strip(), "decided_by": actor,
                                  "decided_at": timezone.now()})
        notification_send(recipients=[claim.claimant],
                          subject=f"免责申请决定：{claim.get_status_display()}",
                          body=reason.strip(), target=claim.proceeding, actor=actor)
    return claim
