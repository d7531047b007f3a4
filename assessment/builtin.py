"""The indicators whose data the platform holds today (assessment.indicators): the on-time
rate of every deadline rule an appraised unit is responsible for — transfers, discipline
referrals (M10.3), rectification after a supervision notice (M7.5), the joint meeting's
agreed matters (M1.5), publicity of decisions, the recurring duties … —, the share of a
unit's transfers its receivers accepted (M4.2, M15.1), and the reconsideration and
litigation reversals the bureau enters per unit (M9.3 依法化解社会矛盾纠纷)."""
from __future__ import annotations

import datetime as dt
from typing import Sequence
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from core import tallies
from deadlines.calendar import end_of_day, start_of_day
from deadlines.rules import RULES
from deadlines.tallies import MONTHLY

from . import indicators
from .indicators import COUNT, Indicator
from .models import Area, Reversal

# Rules no appraised unit answers for (the bureau's, the office's, the police's, or a
# window that opens no row).
NOT_A_UNITS_RULE = {"annual_joint_meeting", "approval_linkage_meeting", "web_inspection",
                    "reconsideration_request", "police_filing_decision", "reconsideration_answer"}

# Where each rule's on-time rate sits among M9.3's areas by default (the scheme may move it).
RULE_AREAS = {
    "officer_evaluation": Area.AWARENESS,
    "self_assessment": Area.INSTITUTIONS,
    "resolution_feedback": Area.INSTITUTIONS,
    "assistance_reply": Area.DISPUTES,
    "info_reports": Area.RESULTS,
    "guiding_case_submission": Area.RESULTS,
}


def _year_deadline_counts(year: int, unit_ids: Sequence[int]) -> dict:
    """(unit id, rule) → (on time, late, overdue) of the deadlines due in ``year``: one
    statement over the monthly deadline tally (deadlines.tallies.MONTHLY), whatever the
    number of deadlines or units."""
    return tallies.counts_by(MONTHLY, groups=[("responsible_id", "rule")],
                             filters={"responsible_id__in": list(unit_ids)},
                             first=dt.date(year, 1, 1), last=dt.date(year, 12, 31))[0]


def deadline_on_time(rule: str):
    def compute(year: int, unit_ids: Sequence[int]) -> dict[int, float]:
        counts = indicators.shared(("deadlines", year, tuple(unit_ids)),
                                   lambda: _year_deadline_counts(year, unit_ids))
        out = {}
        for (unit_id, code), (on_time, late, overdue) in counts.items():
            judged = on_time + late + overdue
            if code == rule and judged:
                out[unit_id] = on_time / judged
        return out
    return compute


def deadline_rows_url(rule: str):
    def url(year: int, org_id: int) -> str:
        return reverse("deadlines:list") + "?" + urlencode({
            "rule": rule, "organization": org_id, "due_from": f"{year}-01-01",
            "due_to": f"{year}-12-31"})
    return url


def _transfers_accepted(year: int, unit_ids: Sequence[int]) -> dict[int, float]:
    """Of the transfers a unit made in ``year`` (the transfer list's 创建日期) that the
    receiver has answered, the share not returned (one GROUP BY)."""
    from transfers.models import Transfer, TransferStatus as T

    waiting = (T.DRAFT, T.PENDING_APPROVAL, T.APPROVED, T.CANCELLED, T.SENT)
    rows = (Transfer.objects.filter(sender_id__in=list(unit_ids),
                                    created_at__gte=start_of_day(dt.date(year, 1, 1)),
                                    created_at__lt=end_of_day(dt.date(year, 12, 31)))
            .exclude(status__in=waiting).order_by().values("sender_id")
            .annotate(answered=Count("pk"), returned=Count("pk", filter=Q(status=T.RETURNED))))
    return {r["sender_id"]: (r["answered"] - r["returned"]) / r["answered"] for r in rows}


def _reversals(year: int, unit_ids: Sequence[int]) -> dict[int, int]:
    return {r.unit_id: r.total for r in Reversal.objects.filter(year=year, unit_id__in=list(unit_ids))}


def register_builtin() -> None:
    for code, rule in RULES.items():
        if code in NOT_A_UNITS_RULE:
            continue
        indicators.register(Indicator(
            key=f"deadline:{code}", label=f"{rule.label}按期率",
            area=RULE_AREAS.get(code, Area.ENFORCEMENT), compute=deadline_on_time(code),
            rows_url=deadline_rows_url(code),
            description="年度内届满的期限中按期完成的比例（逾期完成、逾期未完成均不计为按期）；"
                        "没有届满期限的不扣分。"))
    indicators.register(Indicator(
        key="transfers_accepted", label="移送案件被接收率", area=Area.ENFORCEMENT,
        compute=_transfers_accepted,
        rows_url=lambda year, org_id: reverse("transfers:supervision") + "?" + urlencode(
            {"sender": org_id, "since": f"{year}-01-01", "until": f"{year}-12-31"}),
        description="年度内移送且接收单位已处理的案件中未被退回的比例。"))
    indicators.register(Indicator(
        key="reversals", label="行政复议被纠错和行政诉讼败诉", area=Area.DISPUTES,
        compute=_reversals, unit=COUNT,
        points=indicators.deducting(settings.ASSESSMENT_REVERSAL_DEDUCTION),
        rows_url=lambda year, org_id: reverse("assessment:reversals") + "?" + urlencode(
            {"year": year, "unit": org_id}),
        description="区司法局登记的行政复议被纠错、行政诉讼败诉件数，每件扣分。"))
