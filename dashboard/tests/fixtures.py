"""A small district whose dashboard figures are counted by hand (see each comment).

"Now" is Tuesday 2026-03-10 10:00 in Beidaihe; the period is March 2026; "due within one
working day" means the stored one-working-day warning time (``warn_at``) has come."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase

from cases.models import ActType, CaseStatus, EnforcementCase, EnforcementField
from core import tallies
from core.models import Organization, OrgKind, Role, User
from core.testing import OrganizationFactory, member, supervisor
from deadlines import rules
from deadlines.models import Deadline, DeadlineState, Notification
from deadlines.notifications import notification_read
from transfers.models import Transfer, TransferKind, TransferStatus

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=SH)
S = DeadlineState


def at(month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=SH)


@dataclass
class District:
    a: Organization  # red: two overdue
    b: Organization  # yellow: one due tomorrow
    c: Organization  # green: nothing
    boss: User  # a justice-bureau supervisor
    officer_a: User
    escalated: Deadline
    cases: list[EnforcementCase]


def deadline(org: Organization, rule: str, due: dt.datetime, state: str = S.OPEN, *,
             met_at: dt.datetime | None = None, provisional: bool = False,
             escalation_level: int = 0, target=None) -> Deadline:
    target = target or org
    return Deadline.objects.create(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk),
        target_repr=str(target), rule=rule, responsible=org, start=due - dt.timedelta(days=20),
        due=due, warn_at=rules.warning_time(due), state=state, met_at=met_at,
        provisional=provisional, escalation_level=escalation_level)


def case(org: Organization, by: User, number: str, filed_on: dt.date, act_type: str,
         field: str, status: str = CaseStatus.FILED) -> EnforcementCase:
    return EnforcementCase.objects.create(
        department=org, number=number, act_type=act_type, field=field, summary="测试案情",
        discovered_at=dt.datetime.combine(filed_on, dt.time(9), tzinfo=SH), filed_on=filed_on,
        status=status, created_by=by)


def build_district() -> District:
    a = OrganizationFactory(name="甲局", short_name="甲")
    b = OrganizationFactory(name="乙局", short_name="乙")
    c = OrganizationFactory(name="丙镇", short_name="丙", kind=OrgKind.TOWNSHIP)
    boss = supervisor()
    officer_a = member(Role.OFFICER, a)
    officer_b = member(Role.OFFICER, b)

    # 甲局, township_transfer: open 2 (one due soon), overdue 1 (due in March);
    # due in March and judged: on time 1 (03-03), late 1 (03-04), overdue 1 (03-05) → 1/3.
    deadline(a, "township_transfer", at(3, 20))
    deadline(a, "township_transfer", at(3, 11, 9))
    deadline(a, "township_transfer", at(3, 5), S.OVERDUE)
    deadline(a, "township_transfer", at(3, 3), S.MET, met_at=at(3, 2))
    deadline(a, "township_transfer", at(3, 4), S.MET, met_at=at(3, 6))
    # 甲局, discipline_referral: overdue since February (outside the period's rate),
    # escalated and nobody has read the escalation.
    escalated = deadline(a, "discipline_referral", at(2, 10), S.OVERDUE, escalation_level=1)
    # 乙局, discipline_referral: open 2 (one due tomorrow evening → yellow; one provisional),
    # met on time in March 1 → 100 %; a cancelled one counts nowhere.
    deadline(b, "discipline_referral", at(3, 11, 8))
    deadline(b, "discipline_referral", at(3, 30), provisional=True)
    deadline(b, "discipline_referral", at(3, 8), S.MET, met_at=at(3, 7))
    deadline(b, "discipline_referral", at(3, 9), S.CANCELLED)
    # 甲局 met late in February: outside the March rate.
    deadline(a, "township_transfer", at(2, 3), S.MET, met_at=at(2, 9))

    # Cases (quarter 1 of 2026): 甲 January 2 (penalty/market), February 1
    # (licensing/food, closed); 乙 March 1 (penalty/ecology); 甲 December 2025: outside.
    cases = [
        case(a, officer_a, "甲-1", dt.date(2026, 1, 5), ActType.PENALTY, EnforcementField.MARKET),
        case(a, officer_a, "甲-2", dt.date(2026, 1, 20), ActType.PENALTY, EnforcementField.MARKET),
        case(a, officer_a, "甲-3", dt.date(2026, 2, 14), ActType.LICENSING,
             EnforcementField.FOOD_DRUG, CaseStatus.CLOSED),
        case(b, officer_b, "乙-1", dt.date(2026, 3, 2), ActType.PENALTY, EnforcementField.ECOLOGY),
        case(a, officer_a, "甲-0", dt.date(2025, 12, 30), ActType.PENALTY, EnforcementField.MARKET),
    ]
    # The rows above were written straight to the tables, as a bulk load is: count the
    # dashboard's tallies from them, as after a load (core.tallies.rebuild).
    tallies.rebuild_all()
    return District(a=a, b=b, c=c, boss=boss, officer_a=officer_a, escalated=escalated,
                    cases=cases)


def transfer(sender, receiver, by, status, kind=TransferKind.COMPETENT, case_=None) -> Transfer:
    return Transfer.objects.create(
        kind=kind, sender=sender, receiver=receiver, case=case_, subject="测试移送",
        reason="超出管辖范围", status=status, created_by=by,
        discovered_at=NOW if kind == TransferKind.TOWNSHIP else None,
        basic_facts="基本事实" if kind == TransferKind.TOWNSHIP else "")


def add_transfers(d: District) -> None:
    """March 2026: 甲 → 乙 competent, sent (waiting) and returned; 丙 → 甲 township,
    accepted."""
    transfer(d.a, d.b, d.officer_a, TransferStatus.SENT, case_=d.cases[0])
    transfer(d.a, d.b, d.officer_a, TransferStatus.RETURNED, case_=d.cases[1])
    transfer(d.c, d.a, d.boss, TransferStatus.ACCEPTED, kind=TransferKind.TOWNSHIP)


def read_notice(d: District, reader: User) -> None:
    """``reader`` opened a notification about the escalated deadline (through the service,
    which recounts the dashboard's tally once the transaction commits)."""
    notice = Notification.objects.create(recipient=reader, subject="逾期督办", target=d.escalated)
    with TestCase.captureOnCommitCallbacks(execute=True):
        notification_read(notification=notice, actor=reader)
