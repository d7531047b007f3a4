from __future__ import annotations

from django import forms

from core.forms import (BootstrapFormMixin, DateInput, FilterForm, ListDateInput, ListSelect,
                        ListTextInput, blank)
from core.formats import due_text
from core.models import Organization

from . import calendar
from .models import DeadlineState
from .rules import rule_choices


class DeadlineFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "事项名称"}))
    bucket = forms.ChoiceField(label="范围", required=False, widget=ListSelect, choices=blank([
        ("open", "未完成"), ("soon", "临期"), ("overdue", "已逾期")]))
    rule = forms.ChoiceField(label="时限规则", required=False, widget=ListSelect,
                             choices=blank(rule_choices()))
    state = forms.ChoiceField(label="状态", required=False, widget=ListSelect,
                              choices=blank(DeadlineState.choices))
    organization = forms.ModelChoiceField(label="责任单位", required=False, widget=ListSelect,
                                          queryset=Organization.objects.filter(is_active=True),
                                          empty_label="全部")
    due_from = forms.DateField(label="届满日期自", required=False, widget=ListDateInput)
    due_to = forms.DateField(label="届满日期至", required=False, widget=ListDateInput)
    escalation = forms.ChoiceField(label="督办", required=False, choices=blank([
        ("unacknowledged", "督办无人签收")]),
        widget=ListSelect(attrs={"title": "已逾期并报区司法局督办，督办消息尚无人阅读。"}))
    provisional = forms.ChoiceField(label="暂定期限", required=False, choices=blank([
        ("1", "仅未完成的暂定期限")]),
        widget=ListSelect(attrs={"title": "届满时间所在年度的放假安排尚未导入，按周末和固定节日暂定。"}))
    date_ranges = (("due_from", "due_to", "届满"),)


class InboxFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "标题或内容"}))
    unread = forms.ChoiceField(label="范围", required=False, widget=ListSelect,
                               choices=blank([("1", "只看未读")]))


class DeadlineWaiveForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label="豁免原因", max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "请填写豁免原因。"},
                             help_text="如：案件已由上级机关直接办理，本期限不再适用。")


class DeadlineExtendForm(BootstrapFormMixin, forms.Form):
    """A later due, picked as a day (the limit ends at its 24:00), and the reason."""

    new_due = forms.DateField(label="延长至", widget=DateInput,
                              error_messages={"required": "请选择延长后的届满日期。",
                                              "invalid": "请输入有效的日期。"},
                              help_text="延长后的期限于该日24时届满。")
    reason = forms.CharField(label="延长原因", max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 4}),
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
                f"延长后的届满时间须晚于原届满时间（{due_text(self.deadline.due)}）。")
        return new_due


class ExtensionRequestForm(DeadlineExtendForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_due"].label = "申请延长至"
        self.fields["reason"].label = "申请理由"
        self.fields["reason"].error_messages["required"] = "请填写申请延长的理由。"


class ExtensionDecisionForm(BootstrapFormMixin, forms.Form):
    approve = forms.TypedChoiceField(label="决定", coerce=lambda v: v == "1",
                                     choices=[("", "请选择"), ("1", "同意延长"), ("0", "不予延长")],
                                     error_messages={"required": "请选择是否同意延长。"})
    answer = forms.CharField(label="答复", max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="不予延长的，须说明理由。")

    def clean(self):
        data = super().clean()
        if data.get("approve") is False and not (data.get("answer") or "").strip():
            self.add_error("answer", "不予延长须说明理由。")
        return data

