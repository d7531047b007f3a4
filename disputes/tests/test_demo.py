"""The demo district's disputes (disputes/demo.py), made once through the services."""
from __future__ import annotations

import pytest

from core import demo
from core.models import OrgKind, User
from deadlines.models import Deadline, DeadlineState
from disputes.models import Dispute, DisputeKind, DisputeStatus
from disputes.selectors import awaiting_ruling
from documents.models import Document

pytestmark = pytest.mark.django_db


def test_demo_has_a_settled_an_awaiting_ruling_an_opinion_gathering_and_a_jurisdiction_dispute():
    demo.seed()
    demo.seed()  # idempotent
    by_kind = {d.kind: d for d in Dispute.objects.all()}
    assert len(by_kind) == 5
    settled = by_kind[DisputeKind.DUTY]
    assert settled.status == DisputeStatus.SETTLED
    assert all(p.confirmed_by_id for p in settled.parties.all())
    waiting = by_kind[DisputeKind.STANDARD]
    assert waiting.status == DisputeStatus.SUBMITTED
    assert list(awaiting_ruling(User.objects.get(username="zf"))) == [waiting]
    gathering = by_kind[DisputeKind.PROCEDURE]
    assert gathering.status == DisputeStatus.COORDINATING
    states = {p.organization.name: bool(p.opinion) for p in gathering.parties.all()}
    assert sorted(states.values()) == [False, True]
    owed = gathering.parties.get(opinion="")
    assert Deadline.objects.get(target_id=str(owed.pk), rule="dispute_opinion").state == DeadlineState.OPEN
    # M15.6: a township and a department, ruled by the government with the competent unit.
    jurisdiction = by_kind[DisputeKind.JURISDICTION]
    assert {p.organization.kind for p in jurisdiction.parties.all()} == {OrgKind.TOWNSHIP, OrgKind.DEPARTMENT}
    assert jurisdiction.status == DisputeStatus.RULED and jurisdiction.competent.kind == OrgKind.TOWNSHIP
    assert Document.objects.filter(kind="dispute_recommendation").count() == 2
    assert by_kind[DisputeKind.BASIS].status == DisputeStatus.DRAFT
