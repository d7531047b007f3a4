from __future__ import annotations

from django import forms

from core.forms import BootstrapFormMixin, DateInput
from core.models import Organization

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
