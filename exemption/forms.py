from __future__ import annotations

from django import forms

from core import policy
from core.forms import (BootstrapFormMixin, DateTimeField, FilterForm, ListDateInput, ListSelect,
                        ListTextInput, blank)
from core.models import Organization
# The one several-files input of the platform (Django's documented pattern).
from documents.forms import _MultipleFileField as MultipleFileField

from .models import ExemptionGround, InterferenceKind, InterferenceMethod

YES_NO = [("yes", "是"), ("no", "否")]


class InterferenceFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "干预人、单位、干预内容或案件编号"}))
    unit = forms.ModelChoiceField(label="记录人所在单位", required=False, widget=ListSelect,
                                  empty_label="全部",
                                  queryset=Organization.objects.filter(interference_records__isnull=False).distinct())
    kind = forms.ChoiceField(label="干预类别", required=False, choices=blank(InterferenceKind.choices),
                             widget=ListSelect)
    method = forms.ChoiceField(label="干预方式", required=False,
                               choices=blank(InterferenceMethod.choices), widget=ListSelect)
    refused = forms.ChoiceField(label="是否拒绝", required=False, choices=blank(YES_NO), widget=ListSelect)
    corrected = forms.ChoiceField(label="已被更正", required=False, choices=blank(YES_NO),
                                  widget=ListSelect)
    since = forms.DateField(label="干预日期自", required=False, widget=ListDateInput)
    until = forms.DateField(label="干预日期至", required=False, widget=ListDateInput)


class InterferenceForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label="记录人所在单位", queryset=Organization.objects.none(),
                                  empty_label=None)
    kind = forms.ChoiceField(label="干预类别", choices=InterferenceKind.choices)
    interferer_name = forms.CharField(label="干预人姓名", max_length=50)
    interferer_unit = forms.CharField(label="干预人单位", max_length=100)
    interferer_position = forms.CharField(label="干预人职务或身份", max_length=50)
    interferer_org = forms.ModelChoiceField(
        label="干预人所在单位（本平台单位）", required=False, empty_label="不是本平台单位或不清楚",
        queryset=Organization.objects.filter(is_active=True),
        help_text="干预人所在单位在本平台的，请选择：该单位不能查看本记录。")
    method = forms.ChoiceField(label="干预方式", choices=InterferenceMethod.choices)
    occurred_at = DateTimeField("干预时间")
    demand = forms.CharField(label="干预内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
                             help_text="提出了什么要求、说了什么，如实、完整记录。")
    refused = forms.TypedChoiceField(label="是否拒绝", choices=YES_NO, coerce=lambda v: v == "yes",
                                     widget=forms.RadioSelect)
    response = forms.CharField(label="拒绝或处理情况", max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    case_number = forms.CharField(label="涉及案件编号", max_length=60, required=False,
                                  help_text="干预涉及具体案件的，填写案件编号。")
    files = MultipleFileField(label="附件", required=False,
                              help_text="短信截图、批条、录音等，可选择多个文件；记录后不能更改。")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = policy.organizations_with(user, "interference.record")


class CorrectionForm(InterferenceForm):
    correction_reason = forms.CharField(label="更正理由", max_length=500,
                                        help_text="原记录不改动，本记录作为更正与其关联。")

    field_order = ["correction_reason"]


class ClaimForm(BootstrapFormMixin, forms.Form):
    ground = forms.ChoiceField(label="免责事由", choices=ExemptionGround.choices,
                               widget=forms.RadioSelect)
    statement = forms.CharField(label="申请理由", max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 5}),
                                help_text="依法履职的事实、依据的监管责任和履职标准；安全事故与履职行为无直接关系的，说明理由。")
    interference = forms.ModelChoiceField(label="相关干预记录", required=False,
                                          queryset=None, empty_label="无",
                                          help_text="以拒绝违法要求为由的，选择本人的干预记录。")

    def __init__(self, *args, records=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interference"].queryset = records


class DecideForm(BootstrapFormMixin, forms.Form):
    accept = forms.TypedChoiceField(label="决定", coerce=lambda v: v == "1", widget=forms.RadioSelect,
                                    choices=[("1", "予以免责"), ("0", "不予免责")])
    reason = forms.CharField(label="决定理由", max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 4}))
