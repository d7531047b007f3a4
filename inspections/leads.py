"""The big-data monitoring rules (M7.3 大数据监测分析): named rules over the platform's own
data, each with a Chinese label, its threshold in ``settings.INSPECTION_LEAD_THRESHOLDS``
and a set-based query. ``leads_compute`` (nightly, beat) writes each rule's new leads with
one ``INSERT … SELECT … ON CONFLICT DO NOTHING``: the rows never pass through Python, so
memory stays flat whatever the number of cases and deadlines.

The registry is open: an app whose data a rule reads registers it in its ``ready()``::

    from inspections import leads
    leads.register(leads.LeadRule("complaint_overdue", "投诉举报逾期未办结", query=…))

A rule's ``query(threshold, now)`` returns a queryset whose ``values()`` are exactly
``target_type_id``, ``target_id`` (text), ``organization_id`` and ``subject`` — the record
the lead is about, the unit concerned and what the list shows.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat, Left
from django.utils import timezone

from cases.models import ActType, CaseStatus, EnforcementCase
from deadlines.models import Deadline, DeadlineState
from evidence.models import EvidenceItem
from evidence.selectors import unconfirmed_q
from transfers.models import Transfer, TransferKind, TransferStatus


@dataclass(frozen=True)
class LeadRule:
    key: str
    label: str
    query: Callable[[float, dt.datetime], models.QuerySet]
    # What the threshold in settings measures (shown beside the rule on the leads page).
    threshold_text: str = ""

    @property
    def threshold(self) -> float:
        return getattr(settings, "INSPECTION_LEAD_THRESHOLDS", {}).get(self.key, 0)


_RULES: dict[str, LeadRule] = {}


def register(rule: LeadRule) -> LeadRule:
    existing = _RULES.get(rule.key)
    if existing is not None and existing != rule:
        raise ValueError(f"lead rule {rule.key!r} registered twice")
    _RULES[rule.key] = rule
    return rule


def rules() -> list[LeadRule]:
    return list(_RULES.values())


def rule_label(key: str) -> str:
    rule = _RULES.get(key)
    return rule.label if rule else key


def rule_choices() -> list[tuple[str, str]]:
    return [(r.key, r.label) for r in _RULES.values()]


# --- the rules on data that exists now -----------------------------------------------------
def late_deadlines(codes: tuple[str, ...], grace_days: float, now: dt.datetime) -> models.QuerySet:
    """Deadlines of ``codes`` done more than ``grace_days`` after their due, or still not
    done that long after it: one row each, about the record the deadline is kept on."""
    grace = dt.timedelta(days=grace_days)
    late = models.ExpressionWrapper(models.F("due") + grace, output_field=models.DateTimeField())
    return (Deadline.objects.filter(rule__in=codes)
            .annotate(late_after=late)
            .filter(Q(state__in=[DeadlineState.OPEN, DeadlineState.OVERDUE], due__lt=now - grace)
                    | Q(state=DeadlineState.MET, met_at__gt=models.F("late_after")))
            .values("target_type_id", "target_id", organization_id=models.F("responsible_id"),
                    subject=Left(Concat("target_repr", Value("")), 200)))


def _case_rows(qs: models.QuerySet[EnforcementCase]) -> models.QuerySet:
    return qs.values(target_type_id=Value(ContentType.objects.get_for_model(EnforcementCase).pk),
                     target_id=Cast("pk", CharField()), organization_id=models.F("department_id"),
                     subject=models.F("number"))


def _publicity_late(threshold, now):
    # 国办发〔2018〕118号: licensing and penalty decisions within 7 working days, others 20.
    return late_deadlines(("publicity_licensing_penalty", "publicity_other"), threshold, now)


def _penalty_not_transferred(threshold, now):
    transferred = Transfer.objects.filter(case_id=OuterRef("pk"), kind=TransferKind.CRIMINAL).exclude(
        status__in=[TransferStatus.DRAFT, TransferStatus.CANCELLED])
    return _case_rows(EnforcementCase.objects.filter(
        ~Exists(transferred), act_type=ActType.PENALTY, penalty_amount__gte=threshold,
        status__in=[CaseStatus.DECIDED, CaseStatus.EXECUTING, CaseStatus.CLOSED]))


def _closed_unconfirmed(threshold, now):
    unconfirmed = EvidenceItem.objects.filter(unconfirmed_q(), case_id=OuterRef("pk"))
    return _case_rows(EnforcementCase.objects.filter(Exists(unconfirmed), status=CaseStatus.CLOSED))


def _referral_overdue(threshold, now):
    return late_deadlines(("discipline_referral",), threshold, now)


def _transfer_unanswered(threshold, now):
    # M4.2 acceptance, decree 310's filing decision: the receiver has not answered.
    grace = dt.timedelta(days=threshold)
    return (Deadline.objects.filter(rule__in=("transfer_acceptance", "police_filing_decision"),
                                    state__in=[DeadlineState.OPEN, DeadlineState.OVERDUE],
                                    due__lt=now - grace)
            .values("target_type_id", "target_id", organization_id=models.F("responsible_id"),
                    subject=Left(Concat("target_repr", Value("")), 200)))


def _township_transfer_late(threshold, now):
    return late_deadlines(("township_transfer", "township_transfer_urgent"), threshold, now)


for _rule in (
    LeadRule("publicity_late", "执法决定未按时公示", _publicity_late, "超过公示期限的天数"),
    LeadRule("penalty_not_transferred", "罚没金额达到移送标准未移送", _penalty_not_transferred,
             "罚没金额（元）"),
    LeadRule("closed_unconfirmed_evidence", "结案案件证据未确认", _closed_unconfirmed),
    LeadRule("referral_overdue", "违纪线索逾期移送", _referral_overdue, "超过移送期限的天数"),
    LeadRule("transfer_unanswered", "移送案件逾期未答复", _transfer_unanswered, "超过答复期限的天数"),
    LeadRule("township_transfer_late", "乡镇与部门案件移送超时", _township_transfer_late,
             "超过移送期限的天数"),
):
    register(_rule)


# --- computing ----------------------------------------------------------------------------
def rule_insert(rule: LeadRule, now: dt.datetime) -> int:
    """Write ``rule``'s new leads in one statement; returns the rows inserted."""
    from .models import Lead, LeadStatus

    select_sql, params = rule.query(rule.threshold, now).order_by().query.sql_with_params()
    table = connection.ops.quote_name(Lead._meta.db_table)
    # WHERE true: SQLite needs it to parse INSERT … SELECT … ON CONFLICT.
    sql = (f"INSERT INTO {table} (rule, target_type_id, target_id, organization_id, subject,"
           f" observed_on, status, dismiss_reason) "
           f"SELECT %s, t.target_type_id, t.target_id, t.organization_id, t.subject, %s, %s, '' "
           f"FROM ({select_sql}) t WHERE true "
           f"ON CONFLICT (rule, target_type_id, target_id) DO NOTHING")
    with connection.cursor() as cursor:
        cursor.execute(sql, [rule.key, timezone.localdate(now), LeadStatus.OPEN, *params])
        return cursor.rowcount
