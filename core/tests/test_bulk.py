"""core.bulk: many rows of one model by COPY (PostgreSQL) or bulk_create — the same rows
either way, their keys in order, text that COPY would otherwise misread kept as written."""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from core import bulk
from core.models import Event, Organization
from core.testing import OrganizationFactory

pytestmark = pytest.mark.django_db

TRICKY = "制表\t换行\n回车\r反斜杠\\N 与 \\. 结尾"


@pytest.fixture(params=["copy", "bulk_create"])
def path(request, monkeypatch):
    if request.param == "bulk_create":
        monkeypatch.setattr(bulk, "_copyable", lambda model: False)
    return request.param


def test_copy_rows_writes_every_value_as_given_and_returns_the_keys_in_order(path):
    unit = OrganizationFactory()
    kind = ContentType.objects.get_for_model(Organization)
    rows = [(unit.pk, "x.test", kind.pk, str(n), f"{TRICKY}{n}",
             {"状态": [None, "待认领"], "n": n, "嵌套": {"a": [1.5, True, None]}},
             TRICKY, "10.0.0.1" if n % 2 else None) for n in range(3)]
    ids = bulk.copy_rows(Event, ("organization_id", "verb", "target_type_id", "target_id",
                                 "target_repr", "changes", "note", "ip"), rows)
    assert ids == sorted(ids) and len(set(ids)) == 3
    events = Event.objects.in_bulk(ids)
    for pk, row in zip(ids, rows):
        e = events[pk]
        assert (e.organization_id, e.verb, e.target_type_id, e.target_id, e.target_repr,
                e.changes, e.note, e.ip) == row
        assert e.actor_id is None and e.created_at is not None  # a field not named: its default


def test_bulk_insert_sets_the_keys_and_writes_dates_and_nulls(path):
    from approvals.models import Decision, DecisionStatus, Source
    from core.testing import member
    from core.models import OrgKind, Role

    bureau = OrganizationFactory(kind=OrgKind.APPROVAL_BUREAU)
    staff = member(Role.APPROVAL_STAFF, bureau)
    objs = [Decision(number=f"审批〔2026〕{n}号", item_type="食品经营许可", item_name="核发",
                     applicant=TRICKY, decided_on=dt.date(2026, 9, 28), valid_until=None,
                     content="", source=Source.IMPORT, bureau=bureau, created_by=staff)
            for n in range(2)]
    assert bulk.bulk_insert(objs) == objs
    assert all(o.pk for o in objs) and not objs[0]._state.adding
    saved = Decision.objects.get(pk=objs[1].pk)
    assert (saved.number, saved.applicant, saved.decided_on, saved.valid_until, saved.status,
            saved.department_id) == ("审批〔2026〕1号", TRICKY, dt.date(2026, 9, 28), None,
                                     DecisionStatus.UNROUTED, None)
    assert saved.created_at is not None


def test_a_naive_datetime_is_refused_not_written_as_another_moment():
    from deadlines.models import Deadline

    unit = OrganizationFactory()
    kind = ContentType.objects.get_for_model(Organization)
    naive = dt.datetime(2026, 9, 30, 16, 0)
    with pytest.raises(ValueError, match="naive"):
        bulk.copy_rows(Deadline, ("target_type_id", "target_id", "rule", "responsible_id", "start",
                                  "due", "warn_at"), [(kind.pk, "1", "approval_claim", unit.pk,
                                                       naive, naive, naive)])


def test_events_written_by_copy_are_sealed_into_the_chain_and_verify():
    from core import audit_chain
    from core.audit import audit_record_rows

    unit = OrganizationFactory()
    audit_record_rows(actor=None, verb="create", model=Organization, rows=[
        (unit.pk, TRICKY, unit.pk, {"状态": [None, "待认领"]}, TRICKY) for _ in range(3)])
    assert audit_chain.seal() >= 3
    assert audit_chain.verify() == []
    assert Event.objects.filter(target_id=str(unit.pk), note=TRICKY, organization=unit).count() == 3
