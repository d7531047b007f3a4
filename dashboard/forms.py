"""The dashboard's filter: the period picker (month, quarter, year, custom) and the
organisation filter. Bad input never empties the page: the current month is shown and the
form says what was wrong."""
from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from core.forms import BootstrapFormMixin, ListDateInput, ListSelect
from core.models import Organization

from .registry import Period

PERIOD_KINDS = [("month", "月度"), ("quarter", "季度"), ("year", "年度"), ("custom", "自定义")]
MAX_CUSTOM_DAYS = 3 * 366


def _year_choices(today: dt.date) -> list[tuple[int, str]]:
    return [(y, f"{y}年") for y in range(today.year, today.year - 10, -1)]


def month_period(year: int, month: int) -> Period:
    first = dt.date(year, month, 1)
    last = (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)
    return Period("month", first, last, f"{year}年{month}月")


def quarter_period(year: int, quarter: int) -> Period:
    first = dt.date(year, 3 * quarter - 2, 1)
    last = (dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)) \
        - dt.timedelta(days=1)
    return Period("quarter", first, last, f"{year}年第{quarter}季度")


def year_period(year: int) -> Period:
    return Period("year", dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")


def custom_period(start: dt.date, end: dt.date) -> Period:
    return Period("custom", start, end, f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}")


class DashboardFilterForm(BootstrapFormMixin, forms.Form):
    # Filter-bar widgets rendered in Python (core.forms.ListSelect, ListDateInput).
    period = forms.ChoiceField(label="统计期间", choices=PERIOD_KINDS, required=False,
                               widget=ListSelect)
    year = forms.TypedChoiceField(label="年份", coerce=int, required=False, widget=ListSelect)
    month = forms.TypedChoiceField(label="月份", coerce=int, required=False, widget=ListSelect,
                                   choices=[(m, f"{m}月") for m in range(1, 13)])
    quarter = forms.TypedChoiceField(label="季度", coerce=int, required=False, widget=ListSelect,
                                     choices=[(q, f"第{q}季度") for q in range(1, 5)])
    start = forms.DateField(label="起始日期", required=False, widget=ListDateInput)
    end = forms.DateField(label="截止日期", required=False, widget=ListDateInput)
    # The organisations the viewer may pick, read once by the view (dashboard_organizations)
    # and shared with the scope: a plain choice of ids, no second query to render it.
    org = forms.TypedChoiceField(label="单位", required=False, coerce=int, empty_value=None,
                                 widget=ListSelect)

    def __init__(self, *args, organizations=None, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["year"].choices = _year_choices(self.today)
        self.fields["period"].initial = "month"
        self.fields["year"].initial = self.today.year
        self.fields["month"].initial = self.today.month
        self.fields["quarter"].initial = (self.today.month - 1) // 3 + 1
        self.organizations = {o.pk: o for o in organizations or ()}
        self.fields["org"].choices = [("", "全部单位"), *((o.pk, o.name) for o in self.organizations.values())]

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError("自定义期间请填写起始日期和截止日期。")
            if end < start:
                raise forms.ValidationError("截止日期不能早于起始日期。")
            if (end - start).days > MAX_CUSTOM_DAYS:
                raise forms.ValidationError("自定义期间最长三年。")
        return data

    def resolved_period(self) -> Period:
        """The chosen period; the current month when nothing (valid) was chosen."""
        today = self.today
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        kind = data.get("period") or "month"
        year = data.get("year") or today.year
        if kind == "year":
            return year_period(year)
        if kind == "quarter":
            return quarter_period(year, data.get("quarter") or (today.month - 1) // 3 + 1)
        if kind == "custom":
            return custom_period(data["start"], data["end"])
        return month_period(year, data.get("month") or today.month)

    def resolved_org(self) -> Organization | None:
        if self.is_bound and self.is_valid():
            return self.organizations.get(self.cleaned_data.get("org"))
        return None
