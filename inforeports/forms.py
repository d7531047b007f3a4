from __future__ import annotations

import datetime as dt

from django import forms

from core.forms import (BootstrapFormMixin, FilterForm, ListCheckbox, ListDateInput, ListSelect, ListTextInput,
                        blank)
from core.models import Organization

from .models import ReportStatus
from .selectors import UNIT_KINDS


class MonthField(forms.CharField):
    """A month as ``YYYY-MM`` (the browser's month input), read as its first day."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return dt.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError("月份格式应为“年-月”，如 2026-04。") from None


def _units() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label="报送单位", required=False, widget=ListSelect, empty_label="全部",
                                  queryset=Organization.objects.filter(kind__in=UNIT_KINDS, is_active=True)
                                  .order_by("kind", "name"))


class ReportFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "标题或正文"}))
    unit = _units()
    status = forms.ChoiceField(label="状态", required=False, choices=blank(ReportStatus.choices), widget=ListSelect)
    month = MonthField(label="所属月份", required=False, widget=ListTextInput(attrs={"type": "month"}))
    since = forms.DateField(label="报送日期自", required=False, widget=ListDateInput)
    until = forms.DateField(label="报送日期至", required=False, widget=ListDateInput)


class MonthlyFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "单位名称"}))
    month = MonthField(label="月份", required=False, widget=ListTextInput(attrs={"type": "month"}))
    unit = _units()
    short = forms.BooleanField(label="只看未达标", required=False, widget=ListCheckbox)


class ReportForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label="报送单位", queryset=Organization.objects.none())
    title = forms.CharField(label="标题", max_length=200)
    text = forms.CharField(label="正文", max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
    file = forms.FileField(label="附件", required=False, help_text="可附图片、文档等材料。")

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = None
