"""The sweep's two paths — the set-based statements PostgreSQL runs and the portable ORM
path of SQLite (``make run``) — write the same rows (issue 22 item 6)."""
import datetime as dt

import pytest
from django.db import transaction

from core import audit_chain
from core.models import Event, Membership, Role
from core.testing import OrganizationFactory, UserFactory, member
from deadlines import services, sweep
from deadlines.models import Deadline, Notification, Reminder

from .test_sweep import START, WARN, open_many


class _Undo(Exception):
    pass


def _writes(now, portable: bool, monkeypatch) -> dict:
    """What one sweep at ``now`` on the given path wrote, undone afterwards."""
    from deadlines import notifications

    queued: list[int] = []
    monkeypatch.setattr(notifications, "queue_emails", queued.extend)
    before = set(Event.objects.values_list("pk", flat=True))
    earlier = set(Notification.objects.values_list("pk", flat=True))
    out = {}
    try:
        with transaction.atomic():
            result = sweep.sweep(now=now, batch_size=4, portable=portable)
            notes = Notification.objects.exclude(pk__in=earlier).order_by("pk")
            out = {
                "result": (result.warned, result.overdue, result.reminders, result.failed),
                "deadlines": sorted(Deadline.objects.values_list(
                    "pk", "state", "reminder_stage", "escalation_level", "remind_at")),
                "reminders": sorted(Reminder.objects.values_list("deadline_id", "kind")),
                "notifications": sorted(notes.values_list(
                    "recipient_id", "organization_id", "subject", "body", "target_type_id",
                    "target_id", "url", "read_at", "emailed_at")),
                "queued": sorted(queued) == list(notes.values_list("pk", flat=True)),
                "events": sorted((e.verb, e.actor_id, e.organization_id, e.target_type_id,
                                  e.target_id, e.target_repr, str(e.changes), e.note, e.ip)
                                 for e in Event.objects.exclude(pk__in=before)),
            }
            raise _Undo
    except _Undo:
        pass
    return out


@pytest.mark.django_db
def test_the_set_based_and_the_portable_paths_write_the_same_rows(target, department, officer,
                                                                  jdy, monkeypatch):
    """Issue 22 item 6: the statements PostgreSQL runs write exactly what the ORM path
    writes — each reminder, each notification (the unit's active members once each, the
    person responsible, the supervisors for an escalation), each audit event."""
    member(Role.SUPERVISOR, jdy.memberships.get().organization)
    head = member(Role.DEPARTMENT_HEAD, department)
    Membership.objects.create(user=head, organization=department, role=Role.OFFICER)  # twice a member
    member(Role.OFFICER, department, is_active=False)  # never told
    outsider = UserFactory()
    other = OrganizationFactory(name="北戴河区城市管理综合执法局", short_name="北城管")
    other_officer = member(Role.OFFICER, other)
    week = dt.timedelta(days=7)
    warned_first = [services.deadline_open(target=target, rule="township_transfer",
                                           responsible=department, start=START - week,
                                           actor=officer, person=outsider) for _ in range(3)]
    sweep.sweep(now=WARN - week)  # these three were warned a week ago; now they are overdue
    late = [services.deadline_open(target=target, rule="township_transfer", responsible=other,
                                   start=START - week, actor=officer) for _ in range(2)]
    soon = [*open_many(4, department, officer, target),
            services.deadline_open(target=target, rule="township_transfer", responsible=other,
                                   start=START, actor=officer, person=officer)]
    set_based_writes = _writes(WARN, False, monkeypatch)
    assert set_based_writes == _writes(WARN, True, monkeypatch)
    assert set_based_writes["result"] == (5, 5, 15, [])
    assert set_based_writes["queued"] is True
    recipients = [n[0] for n in set_based_writes["notifications"]]
    assert recipients.count(jdy.pk) == 5 and recipients.count(outsider.pk) == 3
    assert recipients.count(head.pk) == 7 and recipients.count(other_officer.pk) == 3
    assert recipients.count(officer.pk) == 8  # a member, and the person responsible for one more
    verbs = [e[0] for e in set_based_writes["events"]]
    assert (verbs.count("deadline.due_soon"), verbs.count("deadline.overdue")) == (5, 5)
    states = {pk: (state, stage) for pk, state, stage, *_ in set_based_writes["deadlines"]}
    assert {states[d.pk] for d in [*warned_first, *late]} == {("overdue", 1), ("overdue", 0)}
    assert {states[d.pk] for d in soon} == {("open", 1)}
    # The events the statement inserted are sealed into the audit hash chain like any other.
    assert sweep.sweep(now=WARN, batch_size=4).reminders == 15
    assert audit_chain.seal() >= 10
    assert audit_chain.verify() == []
    assert not Event.objects.filter(verb__startswith="deadline.", seq__isnull=True).exists()
