from __future__ import annotations

from django import forms

from core.forms import (BootstrapFormMixin, FilterForm, ListCheckbox, ListSelect, ListTextInput,
                        blank)
from core.models import Organization, OrgKind

from .models import DisciplineReferral, ReferralStatus


class LeadsForm(BootstrapFormMixin, forms.Form):
    commission = forms.ModelChoiceField(
        label="接收的纪检监察机关", required=False,
        queryset=Organization.objects.filter(kind=OrgKind.DISCIPLINE, is_active=True))
    leads = forms.CharField(label="违纪线索", widget=forms.Textarea(attrs={"rows": 6}),
                            max_length=DisciplineReferral._meta.get_field("leads").max_length,
                            help_text="涉嫌违纪违法的事实、证据及处罚情况。")


class DecisionFileForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label="行政处罚决定书")


def _units():
    return Organization.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP],
                                       is_active=True)


class ReferralFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "案件编号或当事人"}))
    status = forms.ChoiceField(label="状态", required=False, widget=ListSelect,
                               choices=blank(ReferralStatus.choices))
    department = forms.ModelChoiceField(label="移送单位", required=False, widget=ListSelect,
                                        queryset=_units())
    late = forms.BooleanField(label="逾期或逾期后移送", required=False, widget=ListCheckbox)


class LeadFilterForm(FilterForm):
    """The justice bureau's accountability leads (M10.4): why each is a lead."""

    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "案件编号或当事人"}))
    ground = forms.ChoiceField(label="问责线索类别", required=False, widget=ListSelect,
                               choices=blank([("late", "未按时移送"),
                                              ("no_matter", "经研判无违纪线索")]))
    department = forms.ModelChoiceField(label="移送单位", required=False, widget=ListSelect,
                                        queryset=_units())
