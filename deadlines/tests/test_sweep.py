"""The sweep (issue 3 item 5): reminders once each, escalation once, claims that survive
parallel sweeps, crashes and bad rows — on both of its paths: the set-based statements
(PostgreSQL) and the portable ORM one (SQLite, ``make run``); test_sweep_paths.py checks
the two write the same rows (issue 22 item 6)."""
import datetime as dt
import threading

import pytest
from django.db import connection

from core.models import Event, Role
from core.testing import OrganizationFactory, member
from deadlines import calendar, services, sweep
from deadlines.models import Deadline, DeadlineState, Notification, Reminder, ReminderKind

SH = calendar.SHANGHAI
START = dt.datetime(2026, 3, 2, 9, tzinfo=SH)  # Monday
# township_transfer from Monday 2 March: due 24:00 Thursday 5 March, warned 24:00 Wednesday.
WARN = dt.datetime(2026, 3, 5, 0, 1, tzinfo=SH)
OVER = dt.datetime(2026, 3, 6, 0, 1, tzinfo=SH)


def open_many(n: int, responsible, actor, target) -> list[Deadline]:
    return [services.deadline_open(target=target, rule="township_transfer",
                                   responsible=responsible, start=START, actor=actor)
            for _ in range(n)]


@pytest.fixture(autouse=True, params=["set_based", "portable"])
def path(request, monkeypatch):
    """Every test below runs on both paths of the sweep."""
    if request.param == "portable":
        monkeypatch.setattr(sweep, "set_based", lambda: False)
    else:
        assert sweep.set_based()  # the suite runs on PostgreSQL
    return request.param


def kinds(deadline) -> list[str]:
    return sorted(Reminder.objects.filter(deadline=deadline).values_list("kind", flat=True))


@pytest.mark.django_db
def test_reminders_one_working_day_before_at_due_and_escalation_once(
        target, department, officer, jdy):
    """Issue 3 item 5: warn the responsible unit one working day before due; at due tell
    it the time is up and escalate to the justice bureau's supervisors — each once."""
    [d] = open_many(1, department, officer, target)
    assert sweep.sweep(now=WARN - dt.timedelta(minutes=2)).reminders == 0
    first = sweep.sweep(now=WARN)
    assert (first.warned, first.reminders) == (1, 1)
    assert kinds(d) == [ReminderKind.DUE_SOON]
    assert Notification.objects.filter(recipient=officer, subject__startswith="临期提醒").count() == 1
    # Issue 16 item 5: the due-soon reminder is a write, and leaves its event like the rest.
    assert Event.objects.filter(verb="deadline.due_soon", target_id=str(d.pk)).count() == 1
    assert sweep.sweep(now=WARN + dt.timedelta(minutes=1)).reminders == 0
    over = sweep.sweep(now=OVER)
    assert (over.overdue, over.reminders) == (1, 2)
    d.refresh_from_db()
    assert d.state == DeadlineState.OVERDUE and d.escalation_level == 1 and d.remind_at is None
    assert kinds(d) == [ReminderKind.DUE, ReminderKind.DUE_SOON, ReminderKind.OVERDUE]
    assert Notification.objects.filter(recipient=jdy, subject__startswith="逾期督办").count() == 1
    assert Notification.objects.filter(recipient=officer, subject__startswith="期限已届满").count() == 1
    assert Event.objects.filter(verb="deadline.overdue", target_id=str(d.pk)).count() == 1
    assert sweep.sweep(now=OVER + dt.timedelta(days=3)).reminders == 0
    assert Notification.objects.filter(recipient=jdy).count() == 1


@pytest.mark.django_db
def test_met_cancelled_and_waived_deadlines_are_never_reminded(target, department, officer, jdy):
    met, cancelled, waived = open_many(3, department, officer, target)
    services.deadline_meet(target=target, rule="township_transfer", actor=officer, at=START)
    services.deadline_cancel(deadline=cancelled, actor=officer, reason="撤回")
    services.deadline_waive(deadline=waived, actor=jdy, reason="豁免")
    assert sweep.sweep(now=OVER).reminders == 0


@pytest.mark.django_db
def test_batches_are_at_most_the_batch_size_and_all_rows_are_swept(target, department, officer):
    rows = open_many(7, department, officer, target)
    result = sweep.sweep(now=WARN, batch_size=3)
    assert result.warned == 7
    assert Reminder.objects.filter(deadline__in=rows).count() == 7
    assert sweep.BATCH_SIZE == 1000


@pytest.mark.django_db
def test_a_failing_row_is_logged_and_the_others_go_on(target, department, officer, monkeypatch,
                                                      caplog):
    rows = open_many(5, department, officer, target)
    bad = rows[2]
    real = sweep._notifications

    def failing(warn_rows, due_rows):
        if any(r["id"] == bad.pk for r in warn_rows):
            raise RuntimeError("模拟的单行故障")
        return real(warn_rows, due_rows)

    monkeypatch.setattr(sweep, "_notifications", failing)
    result = sweep.sweep(now=WARN)
    assert result.failed == [bad.pk] and result.warned == 4
    assert f"deadline {bad.pk} failed" in caplog.text
    assert kinds(bad) == []  # rolled back whole: it will be retried on the next tick
    monkeypatch.setattr(sweep, "_notifications", real)
    assert sweep.sweep(now=WARN).warned == 1
    assert Reminder.objects.filter(deadline__in=rows).count() == 5


class WorkerKilled(BaseException):
    """Stands for SIGKILL: not an Exception, so nothing in the sweep catches it."""


@pytest.mark.django_db
def test_worker_killed_mid_batch_then_restarted_loses_and_repeats_nothing(
        target, department, officer, monkeypatch):
    rows = open_many(25, department, officer, target)
    real, calls = sweep._notifications, []

    def dies_in_second_batch(warn_rows, due_rows):
        calls.append(1)
        if len(calls) == 2:
            raise WorkerKilled
        return real(warn_rows, due_rows)

    monkeypatch.setattr(sweep, "_notifications", dies_in_second_batch)
    with pytest.raises(WorkerKilled):
        sweep.sweep(now=WARN, batch_size=10)
    # The first batch committed; the second rolled back entirely, claims included.
    assert Reminder.objects.filter(deadline__in=rows).count() == 10
    assert Deadline.objects.filter(pk__in=[d.pk for d in rows], reminder_stage=1).count() == 10
    monkeypatch.setattr(sweep, "_notifications", real)
    assert sweep.sweep(now=WARN, batch_size=10).warned == 15
    assert all(kinds(d) == [ReminderKind.DUE_SOON] for d in rows)
    assert Notification.objects.filter(recipient=officer).count() == 25


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_make_one_reminder_each(target, department, officer):
    """Issue 3 item 5: two sweeps in parallel (two connections, started together) never
    remind twice and never skip a row."""
    assert connection.vendor == "postgresql"
    head = member(Role.DEPARTMENT_HEAD, department)
    jdy = member(Role.SUPERVISOR, OrganizationFactory(kind="justice_bureau", name="北戴河区司法局",
                                                      short_name="北司"))
    rows = open_many(120, department, officer, target)
    barrier, results, errors = threading.Barrier(2), [], []

    def run():
        from django.db import connections

        try:
            barrier.wait()
            results.append(sweep.sweep(now=OVER, batch_size=25))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r.overdue for r in results) == 120
    ids = [d.pk for d in rows]
    assert Reminder.objects.filter(deadline__in=ids, kind=ReminderKind.OVERDUE).count() == 120
    assert Reminder.objects.filter(deadline__in=ids, kind=ReminderKind.DUE).count() == 120
    assert Notification.objects.filter(recipient=jdy).count() == 120
    assert Notification.objects.filter(recipient=head).count() == 120
    assert Deadline.objects.filter(pk__in=ids, state=DeadlineState.OVERDUE).count() == 120

