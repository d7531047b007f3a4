from __future__ import annotations

from django import forms

from core.forms import BootstrapFormMixin, DateInput
from core.models import Organization

from . import calendar
from .models import DeadlineState
from .rules import rule_choices


class DeadlineFilterForm(BootstrapFormMixin, forms.Form):
    bucket = forms.ChoiceField(label="范围", required=False, choices=[
        ("", "全部"), ("open", "未完成"), ("soon", "临期"), ("overdue", "已逾期")])
    rule = forms.ChoiceField(label="时限规则", required=False,
                             choices=[("", "全部规则"), *rule_choices()])
    state = forms.ChoiceField(label="状态", required=False,
                              choices=[("", "全部状态"), *DeadlineState.choices])
    organization = forms.ModelChoiceField(label="责任单位", required=False,
                                          queryset=Organization.objects.filter(is_active=True))
    due_from = forms.DateField(label="届满日期自", required=False, widget=DateInput)
    due_to = forms.DateField(label="届满日期至", required=False, widget=DateInput)
    q = forms.CharField(label="事项", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "事项名称"}))
    escalation = forms.ChoiceField(label="督办", required=False, choices=[
        ("", "全部"), ("unacknowledged", "督办无人签收")],
        widget=forms.Select(attrs={"title": "已逾期并报区司法局督办，督办消息尚无人阅读。"}))
    provisional = forms.ChoiceField(label="暂定期限", required=False, choices=[
        ("", "全部"), ("1", "仅未完成的暂定期限")],
        widget=forms.Select(attrs={"title": "届满时间所在年度的放假安排尚未导入，按周末和固定节日暂定。"}))

    def clean(self):
        data = super().clean()
        if data.get("due_from") and data.get("due_to") and data["due_from"] > data["due_to"]:
            raise forms.ValidationError("届满日期的起始日不能晚于截止日。")
        return data


class DeadlineWaiveForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label="豁免原因", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "请填写豁免原因。"},
                             help_text="如：案件已由上级机关直接办理，本期限不再适用。")


class DeadlineExtendForm(BootstrapFormMixin, forms.Form):
    new_due = forms.DateField(label="延长至", widget=DateInput,
                              error_messages={"required": "请选择延长后的届满日期。",
                                              "invalid": "请输入有效的日期。"},
                              help_text="延长后的期限于该日24时届满。")
    reason = forms.CharField(label="延长原因", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "请填写延长原因。"})

    def __init__(self, *args, deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def clean_new_due(self):
        day = self.cleaned_data["new_due"]
        if not calendar.in_range(day):
            raise forms.ValidationError(f"延长后的届满日期须在{calendar.FIRST_YEAR}年至"
                                        f"{calendar.LAST_YEAR}年之间，请核对日期。")
        new_due = calendar.end_of_day(day)
        if new_due <= self.deadline.due:
            raise forms.ValidationError(
                f"延长后的届满时间须晚于原届满时间（{calendar.due_text(self.deadline.due)}）。")
        return new_due
