from __future__ import annotations

from django import forms

from core.forms import BootstrapFormMixin
from core.models import Organization, OrgKind

from .models import ReferralStatus


class LeadsForm(BootstrapFormMixin, forms.Form):
    commission = forms.ModelChoiceField(
        label="接收的纪检监察机关", required=False,
        queryset=Organization.objects.filter(kind=OrgKind.DISCIPLINE, is_active=True))
    leads = forms.CharField(label="违纪线索", widget=forms.Textarea(attrs={"rows": 6}),
                            help_text="涉嫌违纪违法的事实、证据及处罚情况。")


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class DecisionFileForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label="行政处罚决定书")


class ReferralFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label="关键词", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "案件编号或当事人"}))
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部")] + ReferralStatus.choices)
    department = forms.ModelChoiceField(
        label="移送单位", required=False,
        queryset=Organization.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP],
                                             is_active=True))
    late = forms.BooleanField(label="逾期或逾期后移送", required=False)
