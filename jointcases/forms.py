from __future__ import annotations

from django import forms

from cases.models import EnforcementField
from core.forms import (BootstrapFormMixin, DateInput, FilterForm, ListDateInput, ListSelect,
                        ListTextInput, blank)
from core.models import Organization

from .models import OperationStatus, TaskKind
from .selectors import TASK_STATE_LABELS, participant_units

KEY_FIELDS = [(EnforcementField.FOOD_DRUG.value, EnforcementField.FOOD_DRUG.label),
              (EnforcementField.WORK_SAFETY.value, EnforcementField.WORK_SAFETY.label),
              (EnforcementField.ECOLOGY.value, EnforcementField.ECOLOGY.label),
              *[(v, label) for v, label in EnforcementField.choices
                if v not in ("food_drug", "work_safety", "ecology")]]


def _units(label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, required=False, widget=ListSelect, empty_label="全部",
                                  queryset=participant_units())


class OperationFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "行动名称或内容"}))
    status = forms.ChoiceField(label="状态", required=False, choices=blank(OperationStatus.choices),
                               widget=ListSelect)
    field = forms.ChoiceField(label="执法领域", required=False, choices=blank(KEY_FIELDS), widget=ListSelect)
    unit = _units("牵头或参加单位")
    since = forms.DateField(label="开始日期自", required=False, widget=ListDateInput)
    until = forms.DateField(label="开始日期至", required=False, widget=ListDateInput)


class TaskFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "任务名称或要求"}))
    state = forms.ChoiceField(label="办理情况", required=False, choices=blank(TASK_STATE_LABELS.items()),
                              widget=ListSelect)
    kind = forms.ChoiceField(label="任务类别", required=False, choices=blank(TaskKind.choices), widget=ListSelect)
    giver = forms.ModelChoiceField(label="下达单位", required=False, widget=ListSelect, empty_label="全部",
                                   queryset=Organization.objects.filter(is_active=True).order_by("kind", "name"))
    receiver = _units("承办单位")


class OperationForm(BootstrapFormMixin, forms.Form):
    lead = forms.ModelChoiceField(label="牵头部门", queryset=Organization.objects.none())
    title = forms.CharField(label="行动名称", max_length=200)
    field = forms.ChoiceField(label="执法领域", choices=KEY_FIELDS)
    scope = forms.CharField(label="行动内容", max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="整治对象、区域和需要各部门配合的事项。")
    starts_on = forms.DateField(label="计划开始日期", widget=DateInput)
    ends_on = forms.DateField(label="计划结束日期", widget=DateInput)
    participants = forms.ModelMultipleChoiceField(label="参加单位", queryset=participant_units(),
                                                  widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, leads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads
        self.fields["lead"].empty_label = None


class PlansForm(BootstrapFormMixin, forms.Form):
    work_plan = forms.CharField(label="工作方案", max_length=10000, widget=forms.Textarea(attrs={"rows": 6}),
                                help_text="行动目标、分工、步骤和时间安排。")
    work_plan_file = forms.FileField(label="工作方案文件", required=False, help_text="已上传的可不再上传。")
    emergency_plan = forms.CharField(label="应急预案", max_length=10000, widget=forms.Textarea(attrs={"rows": 6}),
                                     help_text="突发情况的处置措施、联络人和响应程序。")
    emergency_plan_file = forms.FileField(label="应急预案文件", required=False, help_text="已上传的可不再上传。")


class ConsultationForm(BootstrapFormMixin, forms.Form):
    held_on = forms.DateField(label="会商日期", widget=DateInput)
    subject = forms.CharField(label="会商事项", max_length=200)
    conclusion = forms.CharField(label="会商意见", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    units = forms.ModelMultipleChoiceField(label="参加会商单位", queryset=Organization.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, operation=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [operation.lead_id, *operation.participants.values_list("unit_id", flat=True)]
        self.fields["units"].queryset = Organization.objects.filter(pk__in=ids).order_by("kind", "name")


class CaseLinkForm(forms.Form):
    case = forms.IntegerField(min_value=1)


class ResultsForm(BootstrapFormMixin, forms.Form):
    results = forms.CharField(label="行动成果", max_length=10000, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text="检查、查处、整改的数量和成效，存在的问题和下一步措施。")


class TaskForm(BootstrapFormMixin, forms.Form):
    giver = forms.ModelChoiceField(label="下达单位", queryset=Organization.objects.none())
    receiver = forms.ModelChoiceField(label="承办单位", queryset=Organization.objects.none(),
                                      help_text="乡镇（街道）、本单位的内设机构或下级单位。")
    kind = forms.ChoiceField(label="任务类别", choices=TaskKind.choices)
    title = forms.CharField(label="任务名称", max_length=200)
    content = forms.CharField(label="任务要求", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    due_on = forms.DateField(label="反馈期限", widget=DateInput, help_text="承办单位须在该日24时前反馈。")

    def __init__(self, *args, givers=None, receivers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["giver"].queryset = givers
        self.fields["giver"].empty_label = None
        self.fields["receiver"].queryset = receivers


class TaskReportForm(BootstrapFormMixin, forms.Form):
    report = forms.CharField(label="落实情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
