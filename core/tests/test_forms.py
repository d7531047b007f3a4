"""core.forms.widget_html renders a filter field's widget exactly as Django does (the same
HTML, compared as parsed trees), for the widgets it builds itself and the ones it leaves
to Django."""
import datetime as dt

import pytest
from django import forms
from django.test.html import parse_html

from core.forms import BootstrapFormMixin, DateInput, widget_html


class Sample(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label="类别", required=False,
                             choices=[("", "全部"), ("a", "甲 & 乙"), ("b", "<丙>")])
    year = forms.TypedChoiceField(label="年份", coerce=int, choices=[(2025, "2025年"), (2026, "2026年")])
    org = forms.TypedChoiceField(label="单位", required=False, coerce=int, empty_value=None,
                                 choices=[("", "全部单位"), (3, "北戴河区\"市场\"监管局")])
    since = forms.DateField(label="起始日期", required=False, widget=DateInput,
                            help_text="含当天")
    q = forms.CharField(label="关键词", required=False, max_length=20)
    n = forms.IntegerField(label="数量", required=False, min_value=0)
    overdue = forms.BooleanField(label="逾期", required=False)  # left to Django


@pytest.mark.parametrize("data", [
    None,
    {"kind": "a", "year": "2026", "org": "3", "since": "2026-03-01", "q": "张\"三\"", "n": "5",
     "overdue": "on"},
    {"kind": "x", "year": "1999", "org": "9", "since": "not a date", "q": "x" * 30, "n": "-1"},
])
def test_widget_html_equals_django_rendering(data):
    form = Sample(data, initial={"year": 2025, "since": dt.date(2026, 1, 2)})
    form.is_valid()
    for bound in form:
        assert parse_html(widget_html(bound)) == parse_html(str(bound)), bound.name
