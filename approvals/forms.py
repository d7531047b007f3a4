from __future__ import annotations

from django import forms

from core.forms import (BootstrapFormMixin, DateInput, FilterForm, ListDateInput, ListSelect,
                        ListTextInput, blank)
from core.models import Organization, OrgKind

from .models import Result
from .selectors import KIND_LABELS, STATE_LABELS


def _supervising() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="对口监管部门", required=False, widget=ListSelect, empty_label="全部",
        queryset=Organization.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP],
                                             is_active=True).order_by("kind", "name"))


class DecisionFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "文号、申请人、事项名称或信用代码"}))
    state = forms.ChoiceField(label="办理情况", required=False, choices=blank(STATE_LABELS.items()),
                              widget=ListSelect)
    department = _supervising()
    item_type = forms.CharField(label="审批事项类型", required=False, max_length=100,
                                widget=ListTextInput)
    since = forms.DateField(label="决定日期自", required=False, widget=ListDateInput)
    until = forms.DateField(label="决定日期至", required=False, widget=ListDateInput)


class RouteFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "审批事项类型或说明"}))
    department = _supervising()


class NonCooperationFilterForm(FilterForm):
    kind = forms.ChoiceField(label="情形", required=False, choices=blank(KIND_LABELS.items()),
                             widget=ListSelect)
    department = forms.ModelChoiceField(
        label="责任单位", required=False, widget=ListSelect, empty_label="全部",
        queryset=Organization.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP],
                                             is_active=True).order_by("kind", "name"))


class RouteForm(BootstrapFormMixin, forms.Form):
    item_type = forms.CharField(label="审批事项类型", max_length=100,
                                help_text="与审批系统推送的“审批事项类型”一致，如：食品经营许可。")
    department = forms.ModelChoiceField(
        label="对口监管部门", queryset=Organization.objects.filter(
            kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP], is_active=True).order_by("kind", "name"))
    note = forms.CharField(label="说明", max_length=200, required=False)


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label="审批决定文件",
                           help_text="Excel（.xlsx）或 CSV 文件，第一行为表头，格式见导入模板。")


class SupervisionForm(BootstrapFormMixin, forms.Form):
    inspected_on = forms.DateField(label="检查日期", widget=DateInput)
    inspection = forms.CharField(label="检查方式和内容", max_length=500,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="如：现场检查经营场所、核查许可条件落实情况。")
    result = forms.ChoiceField(label="检查结果", choices=Result.choices)
    findings = forms.CharField(label="处理情况", max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="责令整改或立案查处的，写明问题和处理情况。")
    case = forms.ModelChoiceField(label="处罚案件", required=False, queryset=None,
                                  help_text="立案查处的，选择本部门登记的案件。")

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda c: f"{c.number}（{c.get_status_display()}）"
