"""Deadline services: open, meet, cancel, waive, extend, notifications, calendar import,
recurring duties — each audited (issue 3 items 3, 4, 6, 7)."""
import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Event, OrgKind, Role
from core.testing import OrganizationFactory, assert_audited, justice_bureau, member
from deadlines import calendar, notifications, recurring, rules, selectors, services
from deadlines.models import CalendarDay, Deadline, DeadlineState, Notification

pytestmark = pytest.mark.django_db
SH = calendar.SHANGHAI


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def test_open_computes_due_from_the_rule_m15_1(target, department, officer):
    """M15.1: a township transfer discovered on Friday 13 Feb 2026 is due at 24:00 on
    25 Feb (the start day is not counted; the Spring Festival is skipped)."""
    with assert_audited("deadline.open"):
        d = services.deadline_open(target=target, rule="township_transfer",
                                   responsible=department, start=at(2026, 2, 13, 10), actor=officer)
    assert d.due == calendar.end_of_day(dt.date(2026, 2, 25))
    assert not d.provisional and d.state == DeadlineState.OPEN
    # One working day before: 24:00 on Tuesday 24 Feb.
    assert d.warn_at == calendar.end_of_day(dt.date(2026, 2, 24))


def test_open_many_each_from_its_own_start_matches_opening_one_by_one(department, officer):
    """An imported ledger's open entries (M3.2): one bulk open, each target from its own
    start — the same due, reminder and event as ``deadline_open`` gives each."""
    first, second = OrganizationFactory(name="甲单位"), OrganizationFactory(name="乙单位")
    starts = (at(2026, 2, 13, 10), at(2026, 9, 30, 16))
    with assert_audited("deadline.open"):
        ids = services.deadlines_open_many(
            targets=[(first, department, starts[0]), (second, department, starts[1])],
            rule="complaint_acceptance", actor=officer)
    rows = [Deadline.objects.get(pk=pk) for pk in ids]
    singly = [services.deadline_open(target=t, rule="complaint_acceptance", responsible=department,
                                     start=s, actor=officer) for t, s in ((first, starts[0]), (second, starts[1]))]
    assert [(r.target_id, r.start, r.due, r.warn_at, r.remind_at, r.provisional) for r in rows] == [
        (s.target_id, s.start, s.due, s.warn_at, s.remind_at, s.provisional) for s in singly]
    assert rows[0].due != rows[1].due
    events = Event.objects.filter(verb="deadline.open", target_id__in=[str(r.pk) for r in rows])
    assert sorted(e.changes["due"][1] for e in events) == sorted(
        Event.objects.get(verb="deadline.open", target_id=str(s.pk)).changes["due"][1] for s in singly)
    with pytest.raises(ValueError):  # a naive start is refused as deadline_open refuses it
        services.deadlines_open_many(targets=[(first, department, dt.datetime(2026, 3, 2, 9))],
                                     rule="complaint_acceptance", actor=officer)


def test_urgent_transfer_is_24_clock_hours_m15_1(target, department, officer):
    d = services.deadline_open(target=target, rule="township_transfer_urgent",
                               responsible=department, start=at(2026, 2, 16, 9, 30), actor=officer)
    assert d.due == at(2026, 2, 17, 9, 30)


def test_discipline_referral_is_10_working_days_m10_3(target, department, officer):
    d = services.deadline_open(target=target, rule="discipline_referral", responsible=department,
                               start=at(2026, 9, 25, 16), actor=officer)
    # 26 Sep (Sat) ordinary weekend; 28, 29, 30 Sep; 1–7 Oct holiday; 10 Oct (Sat) 调休 …
    assert calendar.local_date(d.due - dt.timedelta(seconds=1)) == rules.calendar.add_working_days(
        dt.date(2026, 9, 25), 10).date


def test_criminal_transfer_decision_days_move_off_a_holiday(target, department, officer):
    """Decree 310: 3 days from the report; an end on a holiday moves to the next working day."""
    d = services.deadline_open(target=target, rule="criminal_transfer_decision",
                               responsible=department, start=at(2026, 9, 28, 9), actor=officer)
    # 28 Sep + 3 days = 1 Oct, National Day → first working day after the holiday, 8 Oct.
    assert d.due == calendar.end_of_day(dt.date(2026, 10, 8))


def test_rule_lengths_come_from_settings(settings, target, department, officer):
    settings.DEADLINE_RULES = {**settings.DEADLINE_RULES, "publicity_other": 5}
    assert rules.rule("publicity_other").length == 5
    d = services.deadline_open(target=target, rule="publicity_other", responsible=department,
                               start=at(2026, 3, 2, 9), actor=officer)
    assert d.due == calendar.end_of_day(dt.date(2026, 3, 9))


def test_rule_with_due_written_in_the_document_needs_it_m7_5(target, department, jdy):
    with pytest.raises(ValidationError, match="文书载明"):
        services.deadline_open(target=target, rule="rectification", responsible=department,
                               imposed_by=justice_bureau(),
                               start=at(2026, 3, 2, 9), actor=jdy)
    d = services.deadline_open(target=target, rule="rectification", responsible=department,
                               imposed_by=justice_bureau(),
                               start=at(2026, 3, 2, 9), actor=jdy, due=at(2026, 3, 31, 17))
    assert d.due == at(2026, 3, 31, 17)


def test_meet_on_time_and_late(target, department, officer):
    d = services.deadline_open(target=target, rule="township_transfer", responsible=department,
                               start=at(2026, 3, 2, 9), actor=officer)
    with assert_audited("deadline.meet", d):
        met = services.deadline_meet(target=target, rule="township_transfer", actor=officer,
                                     at=at(2026, 3, 4, 12))
    assert met.state == DeadlineState.MET and not met.is_late
    assert services.deadline_meet(target=target, rule="township_transfer", actor=officer) is None
    late = services.deadline_open(target=target, rule="publicity_other", responsible=department,
                                  start=at(2026, 3, 2, 9), actor=officer)
    Deadline.objects.filter(pk=late.pk).update(state=DeadlineState.OVERDUE)
    met = services.deadline_meet(target=target, rule="publicity_other", actor=officer,
                                 at=at(2026, 6, 1, 9))
    assert met.is_late
    assert selectors.on_time_rate(Deadline.objects.all()) == 0.5


def test_cancel_needs_a_reason_and_happens_once(target, department, officer):
    d = services.deadline_open(target=target, rule="township_transfer", responsible=department,
                               start=at(2026, 3, 2, 9), actor=officer)
    with pytest.raises(ValidationError, match="原因"):
        services.deadline_cancel(deadline=d, actor=officer, reason=" ")
    with assert_audited("deadline.cancel", d):
        services.deadline_cancel(deadline=d, actor=officer, reason="移送已撤回")
    assert Deadline.objects.get(pk=d.pk).state == DeadlineState.CANCELLED
    with pytest.raises(ValidationError, match="不能再操作"):
        services.deadline_cancel(deadline=d, actor=officer, reason="再次取消")


def test_waive_only_by_the_justice_bureau(target, department, officer, jdy):
    d = services.deadline_open(target=target, rule="township_transfer", responsible=department,
                               start=at(2026, 3, 2, 9), actor=officer)
    with pytest.raises(PermissionDenied, match="豁免该期限"):
        services.deadline_waive(deadline=d, actor=officer, reason="不需要")
    with assert_audited("deadline.waive", d):
        services.deadline_waive(deadline=d, actor=jdy, reason="案件已由上级机关直接办理")
    d.refresh_from_db()
    assert d.state == DeadlineState.WAIVED and d.reason == "案件已由上级机关直接办理"


def test_extend_needs_an_approver_a_reason_and_a_later_due(target, department, officer, head):
    d = services.deadline_open(target=target, rule="township_transfer", responsible=department,
                               start=at(2026, 3, 2, 9), actor=officer)
    new_due = calendar.end_of_day(dt.date(2026, 3, 12))
    with pytest.raises(PermissionDenied):
        services.deadline_extend(deadline=d, actor=officer, new_due=new_due, reason="案情复杂")
    other_head = member(Role.DEPARTMENT_HEAD, OrganizationFactory())
    with pytest.raises(PermissionDenied):
        services.deadline_extend(deadline=d, actor=other_head, new_due=new_due, reason="案情复杂")
    with pytest.raises(ValidationError, match="晚于"):
        services.deadline_extend(deadline=d, actor=head, new_due=d.due, reason="案情复杂")
    with assert_audited("deadline.extend", d):
        services.deadline_extend(deadline=d, actor=head, new_due=new_due, reason="案情复杂")
    d.refresh_from_db()
    assert d.due == new_due and d.remind_at == calendar.end_of_day(dt.date(2026, 3, 11))


def test_notification_send_to_an_organisation_means_its_members(department, officer, head, jdy,
                                                               django_capture_on_commit_callbacks):
    with assert_audited("notification.send"), django_capture_on_commit_callbacks() as callbacks:
        sent = notifications.notification_send(recipients=[department, officer, jdy],
                                          subject="请报送本月执法信息", body="W3", actor=jdy)
    assert sorted(n.recipient_id for n in sent) == sorted([officer.pk, head.pk, jdy.pk])
    assert len(callbacks) == 1  # the e-mail task is queued once, after commit
    assert notifications.unread_count(officer) == 1


def test_notification_read_only_by_its_recipient(officer, jdy):
    [n] = notifications.notification_send(recipients=[officer], subject="测试消息", actor=jdy)
    with pytest.raises(PermissionDenied):
        notifications.notification_read(notification=n, actor=jdy)
    with assert_audited("notification.read", n):
        notifications.notification_read(notification=n, actor=officer)
    assert notifications.unread_count(officer) == 0
    notifications.notification_send(recipients=[officer], subject="第二条", actor=jdy)
    notifications.notification_send(recipients=[officer], subject="第三条", actor=jdy)
    with assert_audited("notification.read"):
        assert notifications.notifications_read_all(actor=officer) == 2
    assert notifications.unread_count(officer) == 0


def test_calendar_day_edit_and_delete_are_audited_and_restricted(officer):
    admin = member(Role.SYSTEM_ADMIN, justice_bureau())
    day = CalendarDay(date=dt.date(2027, 1, 1), kind="holiday", name="元旦")
    with pytest.raises(PermissionDenied):
        services.calendar_day_save(actor=officer, day=day)
    with assert_audited("calendar.save"):
        services.calendar_day_save(actor=admin, day=day)
    assert calendar.day_info(dt.date(2027, 1, 4)).provisional is False
    with assert_audited("calendar.delete"):
        services.calendar_day_delete(actor=admin, day=day)
    assert calendar.day_info(dt.date(2027, 1, 4)).provisional is True


def test_importing_a_year_recomputes_open_provisional_deadlines_and_notifies(
        target, department, officer):
    """SPEC "Deadlines": a deadline computed across an unscheduled year is provisional;
    importing the year recomputes it and tells the people concerned."""
    d = services.deadline_open(target=target, rule="township_transfer", responsible=department,
                               start=at(2027, 2, 5, 10), actor=officer, person=officer)
    assert d.provisional and d.due == calendar.end_of_day(dt.date(2027, 2, 10))
    untouched = services.deadline_open(target=target, rule="publicity_other",
                                       responsible=department, start=at(2026, 3, 2, 9),
                                       actor=officer)
    rows = [(dt.date(2027, 2, day), "holiday", "春节") for day in range(6, 14)]
    rows.append((dt.date(2027, 2, 20), "workday", "春节"))
    with assert_audited("calendar.import"), assert_audited("deadline.recompute", d):
        outcome = services.calendar_import(rows=rows, actor=None)
    assert outcome == {"years": [2027], "days": 9, "recomputed": 1}
    d.refresh_from_db()
    # 8 Feb … 12 Feb are now holidays: 15, 16, 17 Feb are the three working days.
    assert not d.provisional and d.due == calendar.end_of_day(dt.date(2027, 2, 17))
    note = Notification.objects.get(recipient=officer)
    assert "重新计算" in note.subject and "2027年2月17日24时" in note.body
    untouched.refresh_from_db()
    assert not untouched.provisional


@pytest.fixture
def all_duties_in_force(monkeypatch):
    """Every recurring duty switched on, as each mechanism's app will once it is built."""
    monkeypatch.setattr(recurring, "_ENABLED", set(recurring.DUTIES))


def test_recurring_duties_open_once_per_period(department, all_duties_in_force):
    """M5.3, M1.2, M14.1, W3, M9.7, M9.6, M11.2: beat opens each period's rows once."""
    bureau = justice_bureau()
    OrganizationFactory(kind=OrgKind.COORDINATION_OFFICE)
    township = OrganizationFactory(kind=OrgKind.TOWNSHIP)
    with time_machine.travel(at(2026, 5, 6, 0, 10)), assert_audited("deadline.open"):
        opened = services.deadlines_open_recurring()
    keyed = {(d.responsible_id, d.rule): d for d in opened}
    inspection = keyed[(bureau.pk, "web_inspection")]
    assert inspection.period == "2026-Q2"
    assert inspection.due == calendar.end_of_day(dt.date(2026, 6, 30))
    assert keyed[(department.pk, "info_reports")].due == calendar.end_of_day(dt.date(2026, 5, 31))
    assert keyed[(township.pk, "officer_evaluation")].period == "2026-H1"
    assert keyed[(department.pk, "guiding_case_submission")].due == calendar.end_of_day(
        dt.date(2026, 12, 31))
    assert (township.pk, "self_assessment") not in keyed
    with time_machine.travel(at(2026, 5, 20, 0, 10)):
        assert services.deadlines_open_recurring() == []
    with time_machine.travel(at(2026, 6, 1, 0, 10)):
        again = services.deadlines_open_recurring()
    assert {d.rule for d in again} == {"info_reports"}


def test_recurring_duties_not_in_force_are_opened_for_no_one_and_withdrawn(department, monkeypatch):
    """Issue 15 item 12 (M1.2, M5.3, M9.6, M9.7, M11.2, W3): a duty is opened only once its
    mechanism switched it on; a live row of a duty not in force (opened before) is
    cancelled with the reason, so it counts nowhere as overdue."""
    justice_bureau()
    monkeypatch.setattr(recurring, "_ENABLED", {"info_reports"})
    with time_machine.travel(at(2026, 5, 6, 0, 10)):
        opened = services.deadlines_open_recurring()
    assert {d.rule for d in opened} == {"info_reports"}
    report = opened[0]
    monkeypatch.setattr(recurring, "_ENABLED", set())
    with time_machine.travel(at(2026, 6, 2, 0, 10)), assert_audited("deadline.cancel", report):
        assert services.deadlines_open_recurring() == []
    report.refresh_from_db()
    assert report.state == DeadlineState.CANCELLED and report.reason == recurring.NOT_IN_FORCE
    assert not Deadline.objects.filter(state__in=["open", "overdue"]).exists()
    with pytest.raises(KeyError):
        recurring.enable("rectification")  # not a recurring duty


def test_scope_follows_only_kinds_of_record_deadlines_run_on_and_a_new_kind_at_once(department, officer, settings):
    """The deadline scope follows the records deadlines run on — not every scoped model
    (selectors.KINDS, core/kinds.py) — and a kind this process opens a deadline on is followed at
    once, within the minute the kinds are cached for."""
    from django.utils import timezone

    from cases.models import ActType
    from cases.testing import make_case
    from core import policy

    settings.SCOPE_KINDS_SECONDS = 60
    case = make_case(department, actor=officer, act_type=ActType.INSPECTION)
    Deadline.objects.filter(target_id=str(case.pk)).delete()
    other = OrganizationFactory(name="北戴河区城市管理综合行政执法局")
    reader = member(Role.OFFICER, department)
    selectors.KINDS.forget()
    assert "cases_enforcementcase" not in str(policy.visible_to(reader, Deadline).query)
    # Another unit is responsible; the reader sees it because he sees the case.
    d = services.deadline_open(target=case, rule="township_transfer", responsible=other,
                               start=timezone.now(), actor=officer)
    assert "cases_enforcementcase" in str(policy.visible_to(reader, Deadline).query)
    assert list(policy.visible_to(reader, Deadline).filter(target_id=str(case.pk))) == [d]
    # Read afresh from the table once the minute is over: the same kinds.
    selectors.KINDS.forget()
    assert list(policy.visible_to(reader, Deadline).filter(target_id=str(case.pk))) == [d]
    assert "cases_enforcementcase" in str(policy.visible_to(reader, Deadline).query)
