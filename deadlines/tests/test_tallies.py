"""The deadline tallies behind the dashboard (issue 7 item 3: "summaries kept up to date by
the services and the sweep"): after every service call and sweep, the summary equals a
recount from the deadline rows; a month's figures follow the 24:00 rule; a custom
period's partial months agree with the source."""
import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import grouping, tallies
from core.testing import OrganizationFactory
from deadlines import calendar, notifications, services, sweep
from deadlines.models import Deadline, DeadlineState, DeadlineTally, Notification
from deadlines.tallies import LIVE, MONTHLY, due_month, due_span

SH = calendar.SHANGHAI
START = dt.datetime(2026, 3, 2, 9, tzinfo=SH)  # Monday; township_transfer due 24:00 Thu 5 March
WARN = dt.datetime(2026, 3, 5, 0, 1, tzinfo=SH)
OVER = dt.datetime(2026, 3, 6, 0, 1, tzinfo=SH)

pytestmark = pytest.mark.django_db


def committed(fn, *args, **kwargs):
    """Run a service as its own committed transaction would: the recounts queued with
    on_commit run when it returns."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return fn(*args, **kwargs)


def assert_true_tallies():
    assert tallies.differences(LIVE) == []
    assert tallies.differences(MONTHLY) == []


def live(org, rule="township_transfer") -> dict:
    row = DeadlineTally.objects.filter(responsible=org, rule=rule).values(
        "open", "due_soon", "overdue", "provisional", "unacknowledged").first()
    return row or {}


def test_services_and_sweep_keep_the_tallies_equal_to_a_recount(department, officer, head, jdy):
    other = OrganizationFactory(name="北戴河区城市管理综合行政执法局")
    with time_machine.travel(START, tick=False):
        # Each deadline on its own target, so meeting one names exactly that one.
        targets = [OrganizationFactory(name=f"事项{i}") for i in range(5)]
        rows = [committed(services.deadline_open, target=t, rule="township_transfer",
                          responsible=org, start=START, actor=officer)
                for t, org in zip(targets, (department,) * 4 + (other,))]
        assert live(department) == {"open": 4, "due_soon": 0, "overdue": 0, "provisional": 0,
                                    "unacknowledged": 0}
        assert_true_tallies()
    with time_machine.travel(WARN, tick=False):
        committed(sweep.sweep, now=WARN)
        assert live(department)["due_soon"] == 4
        committed(services.deadline_meet, target=targets[0], rule="township_transfer",
                  actor=officer)
        committed(services.deadline_extend, deadline=rows[1], actor=head,
                  new_due=dt.datetime(2026, 4, 1, tzinfo=SH), reason="补正材料")
        committed(services.deadline_cancel, deadline=rows[2], actor=officer, reason="移送撤回")
        assert live(department) == {"open": 2, "due_soon": 1, "overdue": 0, "provisional": 0,
                                    "unacknowledged": 0}
        assert_true_tallies()
    with time_machine.travel(OVER, tick=False):
        committed(sweep.sweep, now=OVER)
        assert live(department)["overdue"] == 1 and live(department)["unacknowledged"] == 1
        assert live(other)["overdue"] == 1
        assert_true_tallies()
        # The justice bureau reads the escalation: acknowledged.
        notice = Notification.objects.get(recipient=jdy, target_id=str(rows[3].pk))
        committed(notifications.notification_read, notification=notice, actor=jdy)
        assert live(department)["unacknowledged"] == 0
        committed(services.deadline_waive, deadline=rows[4], actor=jdy, reason="情况特殊")
        committed(services.deadline_meet, target=targets[3], rule="township_transfer",
                  actor=officer)
        assert_true_tallies()
    march = tallies.totals(MONTHLY, group=("responsible_id",), first=dt.date(2026, 3, 1),
                           last=dt.date(2026, 3, 31))
    # Met on time at WARN (1), met late after OVER (the overdue one, 1); waived and
    # cancelled count nowhere; the extended one is open and due in April.
    assert {k: v for k, v in march.items() if any(v.values())} == {
        (department.pk,): {"on_time": 1, "late": 1, "overdue": 0}}


def test_bulk_writes_are_repaired_by_rebuild_and_the_check_command_says_so(target, department,
                                                                            officer):
    with time_machine.travel(START, tick=False):
        d = committed(services.deadline_open, target=target, rule="township_transfer",
                      responsible=department, start=START, actor=officer)
    Deadline.objects.filter(pk=d.pk).update(state=DeadlineState.OVERDUE)  # behind the services' back
    with pytest.raises(CommandError, match="不一致"):
        call_command("tallies", "--check")
    call_command("tallies")
    call_command("tallies", "--check")
    assert live(department)["overdue"] == 1


def _judged(org, due: dt.datetime, met_at: dt.datetime | None):
    return Deadline.objects.create(
        target_type=ContentType.objects.get_for_model(org), target_id=str(org.pk), rule="township_transfer", responsible=org,
        start=due - dt.timedelta(days=3), due=due, warn_at=due - dt.timedelta(days=1),
        state=DeadlineState.MET if met_at else DeadlineState.OVERDUE, met_at=met_at)


def test_month_of_due_follows_the_24_00_rule_and_partial_months_agree(department):
    """A deadline ending 24:00 on 31 March is March's; one ending 00:00:01 on 1 April is
    April's. Totals over whole and partial months equal a direct count."""
    assert due_month(dt.datetime(2026, 4, 1, 0, 0, tzinfo=SH)) == dt.date(2026, 3, 1)
    assert due_month(dt.datetime(2026, 4, 1, 0, 0, 1, tzinfo=SH)) == dt.date(2026, 4, 1)
    dues = [dt.datetime(2026, 3, 1, 0, 0, tzinfo=SH),   # 24:00 on 28 February
            dt.datetime(2026, 3, 15, 10, tzinfo=SH),
            dt.datetime(2026, 4, 1, 0, 0, tzinfo=SH),   # 24:00 on 31 March
            dt.datetime(2026, 4, 1, 0, 0, 1, tzinfo=SH),
            dt.datetime(2026, 4, 20, 18, tzinfo=SH),
            dt.datetime(2026, 5, 2, 9, tzinfo=SH)]
    for i, due in enumerate(dues):
        _judged(department, due, due + dt.timedelta(days=i % 3 - 1) if i % 4 else None)
    tallies.rebuild(MONTHLY)
    by_month = tallies.totals(MONTHLY, group=("month",))
    assert {m: sum(c.values()) for (m,), c in by_month.items()} == {
        dt.date(2026, 2, 1): 1, dt.date(2026, 3, 1): 2, dt.date(2026, 4, 1): 2, dt.date(2026, 5, 1): 1}

    for first, last in [(dt.date(2026, 3, 1), dt.date(2026, 4, 30)),   # whole months
                        (dt.date(2026, 2, 28), dt.date(2026, 4, 1)),   # partial both ends
                        (dt.date(2026, 3, 31), dt.date(2026, 3, 31)),  # one day
                        (dt.date(2026, 3, 10), dt.date(2026, 5, 5))]:
        summed = tallies.totals(MONTHLY, group=(), first=first, last=last).get((), {})
        direct = MONTHLY.source().filter(due_span(first, last))
        assert summed.get("on_time", 0) + summed.get("late", 0) + summed.get("overdue", 0) \
            == direct.count(), (first, last)
        assert summed.get("overdue", 0) == direct.filter(state=DeadlineState.OVERDUE).count()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_and_sweeps_leave_the_tallies_exact(department, officer):
    """Four threads opening and meeting deadlines of one unit and rule while a sweep runs:
    no error, no deadlock, and afterwards the summary equals a recount. (A stress test: it
    does not force the one interleaving the summary-row lock exists for; the lock's
    reasoning is in core/tallies.py.)"""
    import threading

    from django.db import connections

    targets = [OrganizationFactory(name=f"并发事项{i}") for i in range(4)]
    barrier, errors = threading.Barrier(5), []

    def writer(target):
        try:
            barrier.wait()
            for _ in range(6):
                services.deadline_open(target=target, rule="township_transfer",
                                       responsible=department, start=START, actor=officer)
            for _ in range(3):
                services.deadline_meet(target=target, rule="township_transfer", actor=officer,
                                       at=START)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    def sweeper():
        try:
            barrier.wait()
            for _ in range(3):
                sweep.sweep(now=OVER, batch_size=5)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(t,)) for t in targets]
    threads.append(threading.Thread(target=sweeper))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Deadline.objects.filter(responsible=department).count() == 24
    assert_true_tallies()
    row = live(department)
    assert row["open"] + row["overdue"] == 12


@pytest.mark.parametrize("grouping_sets", [True, False], ids=["grouping-sets", "union-all"])
def test_totals_by_adds_up_each_grouping_as_a_direct_count_does(department, monkeypatch,
                                                                 grouping_sets):
    """Several groupings read in one statement (PostgreSQL's GROUPING SETS, or the UNION ALL
    any backend runs) give what counting the rows gives, for whole months (one query) and
    with partial months at the edges."""
    monkeypatch.setattr(grouping, "_grouping_sets_supported", lambda: grouping_sets)
    other = OrganizationFactory(name="按月汇总对照单位")
    for i, day in enumerate([dt.datetime(2026, 3, 3, 10, tzinfo=SH), dt.datetime(2026, 3, 20, 9, tzinfo=SH),
                             dt.datetime(2026, 4, 8, 15, tzinfo=SH), dt.datetime(2026, 4, 30, 9, tzinfo=SH),
                             dt.datetime(2026, 5, 12, 9, tzinfo=SH)]):
        for org in (department, other):
            d = _judged(org, day, day - dt.timedelta(hours=1) if i % 2 else None)
            if i == 2:
                Deadline.objects.filter(pk=d.pk).update(rule="discipline_referral")
    tallies.rebuild(MONTHLY)
    groups = [("responsible_id", "rule"), ("responsible_id",), ("rule",), ("month",), ()]

    def direct(first, last, orgs):
        rows = MONTHLY.source().filter(due_span(first, last), responsible__in=orgs)
        out = []
        for group in groups:
            counted: dict = {}
            for d in rows:
                key = tuple(due_month(d.due) if f == "month" else getattr(d, f) for f in group)
                c = counted.setdefault(key, {"on_time": 0, "late": 0, "overdue": 0})
                c["overdue" if d.state == DeadlineState.OVERDUE else
                  "on_time" if d.met_at <= d.due else "late"] += 1
            out.append(counted)
        return out

    # Two whole months; one whole month (the summary's rows read as they are for the
    # per unit and rule grouping); partial months at the edges.
    for first, last in [(dt.date(2026, 3, 1), dt.date(2026, 4, 30)), (dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
                        (dt.date(2026, 3, 10), dt.date(2026, 5, 31))]:
        for orgs in ([department, other], [other]):
            with CaptureQueriesContext(connection) as queries:
                got = tallies.totals_by(MONTHLY, groups=groups, first=first, last=last,
                                        filters={"responsible_id__in": [o.pk for o in orgs]})
            assert got == direct(first, last, orgs), (first, last, orgs)
            partial_months = 0 if first.day == 1 else 1  # every grouping in one statement
            assert len(queries) == 1 + partial_months
    with pytest.raises(ValueError, match="只能按键字段"):
        tallies.totals(MONTHLY, group=("rule",), filters={"due__gte": dt.date(2026, 3, 1)})


def test_escalation_is_acknowledged_once_by_the_justice_bureau_reading_it(client, department, officer,
                                                                        jdy):
    """督办签收: the responsible unit reading its own notice acknowledges nothing; the first
    member of the justice bureau to read the escalation acknowledges it (one audit event,
    however many read it); the deadline list, the tally and the dashboard agree."""
    from core.audit import Event
    from core.testing import justice_bureau, member
    from core.models import Role
    from deadlines.selectors import deadline_list

    with time_machine.travel(START, tick=False):
        d = committed(services.deadline_open, target=department, rule="township_transfer",
                      responsible=department, start=START, actor=officer)
    with time_machine.travel(OVER, tick=False):
        committed(sweep.sweep, now=OVER)
    d.refresh_from_db()
    assert d.state == DeadlineState.OVERDUE and d.escalation_level == 1
    unacknowledged = deadline_list(jdy, {"escalation": "unacknowledged"})
    assert list(unacknowledged.values_list("pk", flat=True)) == [d.pk]
    assert live(department)["unacknowledged"] == 1
    client.force_login(officer)
    page = reverse("deadlines:detail", args=[d.pk])
    assert "区司法局尚未签收" in client.get(page).content.decode()

    own = Notification.objects.filter(recipient=officer, target_id=str(d.pk)).first()
    if own is not None:
        committed(notifications.notification_read, notification=own, actor=officer)
    d.refresh_from_db()
    assert d.escalation_acknowledged_at is None and live(department)["unacknowledged"] == 1

    second = member(Role.SUPERVISOR, justice_bureau())
    with time_machine.travel(OVER + dt.timedelta(hours=2), tick=False):
        notice = Notification.objects.get(recipient=jdy, target_id=str(d.pk))
        committed(notifications.notification_read, notification=notice, actor=jdy)
    for n in Notification.objects.filter(recipient=second, target_id=str(d.pk)):
        committed(notifications.notification_read, notification=n, actor=second)
    committed(notifications.notifications_read_all, actor=second)
    d.refresh_from_db()
    assert d.escalation_acknowledged_at == OVER + dt.timedelta(hours=2)
    assert "区司法局已于2026年3月6日 02:01签收" in client.get(page).content.decode()
    assert Event.objects.filter(verb="deadline.acknowledge", target_id=str(d.pk)).count() == 1
    assert not deadline_list(jdy, {"escalation": "unacknowledged"}).exists()
    assert live(department)["unacknowledged"] == 0
    assert_true_tallies()


def test_migration_backfills_acknowledgement_from_notifications_already_read(department, officer, jdy):
    """Deadlines escalated before 0004: a reading by the justice bureau before the field
    existed counts as the acknowledgement (the earliest); the unit's own reading does not."""
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("deadlines.migrations.0004_escalation_acknowledged_at").backfill
    with time_machine.travel(START, tick=False):
        read, unread = (committed(services.deadline_open, target=t, rule="township_transfer",
                                  responsible=department, start=START, actor=officer)
                        for t in (department, OrganizationFactory(name="回填对照事项")))
    ct = ContentType.objects.get_for_model(Deadline)
    first = dt.datetime(2026, 3, 7, 9, tzinfo=SH)
    for recipient, at, d in [(jdy, first + dt.timedelta(hours=1), read), (jdy, first, read),
                             (officer, first, unread)]:
        Notification.objects.create(recipient=recipient, subject="逾期督办", target_type=ct,
                                    target_id=str(d.pk), read_at=at)
    backfill(apps, None)
    read.refresh_from_db()
    unread.refresh_from_db()
    assert read.escalation_acknowledged_at == first
    assert unread.escalation_acknowledged_at is None


def test_a_tally_needs_one_summary_row_per_key():
    """The reads take a summary row as its key's whole count (core.grouping's ``unique``):
    a summary model without a unique constraint on the key fields is refused."""
    from django.db.models import Count

    with pytest.raises(ValueError, match="须对键字段"):
        tallies.register(tallies.Tally(name="test.unkeyed", model=Deadline,
                                       source=lambda: Deadline.objects.all(),
                                       keys=("responsible_id",), counts={"open": lambda: Count("id")}))
    assert "test.unkeyed" not in tallies.registered()


def test_many_touches_in_one_transaction_recount_each_key_once_and_a_rollback_loses_none():
    """An import opens its claim deadlines chunk by chunk: one recount per tally at the
    commit, not one per chunk; keys touched after a savepoint rolled back still count."""
    from django.db import transaction

    first, second = OrganizationFactory(), OrganizationFactory()

    def open_for(unit):
        services.deadlines_open_many(targets=[(unit, unit)], rule="approval_claim", start=START,
                                     actor=None)

    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        with transaction.atomic():
            for unit in (first, second, first, second):
                open_for(unit)
    assert len(callbacks) == 2  # LIVE and MONTHLY, each once
    assert_true_tallies()

    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        with transaction.atomic():
            open_for(first)
            with pytest.raises(ZeroDivisionError):
                with transaction.atomic():
                    open_for(second)
                    1 / 0
            open_for(second)
            open_for(first)
    assert len(callbacks) == 4
    assert Deadline.objects.filter(responsible=second).count() == 3  # 2 before, 1 after the rollback
    assert_true_tallies()
