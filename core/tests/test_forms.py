"""The filter-bar widgets rendered in Python (core.forms.ListSelect, ListTextInput,
ListDateInput, ListCheckbox) give exactly the HTML of Django's own widgets (compared as
parsed trees), bound or not, valid or not, with help text and errors."""
import datetime as dt

import pytest
from django import forms
from django.test.html import parse_html

from core.forms import (BootstrapFormMixin, DateInput, ListCheckbox, ListDateInput, ListSelect,
                        ListTextInput)


def sample_form(select, text, date, checkbox):
    class Sample(BootstrapFormMixin, forms.Form):
        kind = forms.ChoiceField(label="类别", required=False, widget=select,
                                 choices=[("", "全部"), ("a", "甲 & 乙"), ("b", "<丙>")])
        year = forms.TypedChoiceField(label="年份", coerce=int, widget=select,
                                      choices=[(2025, "2025年"), (2026, "2026年")])
        org = forms.TypedChoiceField(label="单位", required=False, coerce=int, empty_value=None,
                                     widget=select,
                                     choices=[("", "全部单位"), (3, "北戴河区\"市场\"监管局")])
        since = forms.DateField(label="起始日期", required=False, widget=date,
                                help_text="含当天")
        q = forms.CharField(label="关键词", required=False, max_length=20, widget=text)
        overdue = forms.BooleanField(label="逾期", required=False, widget=checkbox)

    return Sample


DJANGO = sample_form(forms.Select, forms.TextInput, DateInput, forms.CheckboxInput)
FAST = sample_form(ListSelect, ListTextInput, ListDateInput, ListCheckbox)


@pytest.mark.parametrize("data", [
    None,
    {"kind": "a", "year": "2026", "org": "3", "since": "2026-03-01", "q": "张\"三\"",
     "overdue": "on"},
    {"kind": "x", "year": "1999", "org": "9", "since": "not a date", "q": "x" * 30},
])
def test_list_widgets_render_what_django_renders(data):
    initial = {"year": 2025, "since": dt.date(2026, 1, 2)}
    ours, django = FAST(data, initial=initial), DJANGO(data, initial=initial)
    ours.is_valid(), django.is_valid()
    for name in django.fields:
        assert parse_html(str(ours[name])) == parse_html(str(django[name])), name
