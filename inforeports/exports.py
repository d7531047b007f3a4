"""The information reports as Excel (core.exports): the list, and the monthly table per
unit, with the pages' filters and scope."""
from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from core.exports import Exporter
from core.pages import filtered, read_filters

from . import selectors
from .forms import MonthlyFilterForm, ReportFilterForm


def _monthly(user, params):
    _form, filters = read_filters(MonthlyFilterForm, params)
    month = (filters or {}).get("month") or selectors.month_start(timezone.localdate())
    qs = selectors.monthly_table(user, month, filters or {})
    return qs if filters is not None else qs.none()


def _monthly_rows(user, units):
    needed = settings.INFO_REPORTS_PER_MONTH
    for u in units:
        yield (u.name, u.submitted, u.adopted, "已达标" if u.submitted >= needed else f"尚差 {needed - u.submitted} 篇")


EXPORTERS = (
    Exporter(kind="info_reports", title="执法信息报送台账", capability="inforeport.view",
             headers=("标题", "报送单位", "报送人", "报送时间", "所属月份", "状态", "采用时间"),
             queryset=lambda user, params: filtered(ReportFilterForm, params,
                                                    lambda f: selectors.report_list(user, f)),
             rows=lambda user, reports: ((r.title, r.unit.name, r.created_by.display_name, r.created_at,
                                          f"{r.month:%Y-%m}", r.get_status_display(), r.adopted_at)
                                         for r in reports)),
    Exporter(kind="info_reports_monthly", title="执法信息月度报送情况", capability="inforeport.view",
             headers=("单位", "已报送", "已采用", "情况"), queryset=_monthly, rows=_monthly_rows),
)
