from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from core import policy
from core.forms import (BootstrapFormMixin, DateInput, FilterForm, ListSelect, ListTextInput,
                        blank)
from core.models import Organization, OrgKind

from . import kinds
from .models import DocumentStatus, RectificationReport, RectificationStatus
from .supervision import NOTICE_LIMITS


class DocumentFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "文号或标题"}))
    kind = forms.ChoiceField(label="文种", required=False, widget=ListSelect)
    issuer = forms.ModelChoiceField(label="发文机关", required=False, widget=ListSelect,
                                    queryset=Organization.objects.filter(is_active=True))
    year = forms.IntegerField(label="年份", required=False, min_value=2000, max_value=2999,
                              widget=ListTextInput(attrs={"inputmode": "numeric"}))
    status = forms.ChoiceField(label="状态", required=False, widget=ListSelect,
                               choices=blank(DocumentStatus.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = blank(kinds.choices())


def _text(label: str, limit: int, rows: int, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=limit,
                           widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class SupervisionNoticeForm(BootstrapFormMixin, forms.Form):
    """The 行政执法监督通知书 (M7.5): what the check found and what must be rectified."""

    issuer = forms.ModelChoiceField(label="发文机关", queryset=Organization.objects.none())
    addressee = forms.ModelChoiceField(
        label="主送单位", queryset=Organization.objects.filter(
            is_active=True, kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP]),
        help_text="被监督的行政执法部门或乡镇（街道）。")
    title = forms.CharField(label="标题", max_length=200, required=False,
                            help_text="不填则为“行政执法监督通知书”。")
    facts = _text("检查发现的问题", NOTICE_LIMITS["facts"], 6,
                  help_text="每段一行；以“（一）”开头的段落按二级标题排版。")
    legal_basis = _text("认定依据", NOTICE_LIMITS["legal_basis"], 3)
    rectification = _text("整改要求", NOTICE_LIMITS["rectification"], 4)
    deadline = forms.DateField(label="整改期限", widget=DateInput,
                               help_text="整改须于该日24时前完成，系统按此日期督办。")
    report_method = _text("整改情况报告方式", NOTICE_LIMITS["report_method"], 2)
    contact = forms.CharField(label="联系人及电话", max_length=NOTICE_LIMITS["contact"],
                              required=False)
    attachments = _text("附件名称", NOTICE_LIMITS["attachments"], 2, required=False,
                        help_text="每行一个附件名称，没有附件则不填。")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        issuers = policy.organizations_with(user, "supervision.notice")
        self.fields["issuer"].queryset = issuers
        if issuers.count() == 1:
            self.fields["issuer"].initial = issuers.first()
        self.fields["deadline"].initial = timezone.localdate() + dt.timedelta(days=30)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.localdate():
            raise forms.ValidationError("整改期限须晚于今天。")
        return deadline

    def clean_attachments(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["attachments"].splitlines()
                if line.strip()]


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); a list, maybe empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, (list, tuple)):
            return [one(d, initial) for d in data]
        return [one(data, initial)] if data else []


class RectificationForm(BootstrapFormMixin, forms.Form):
    """M7.5: what the unit rectified (or why it objects), with its materials."""

    body = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=RectificationReport._meta.get_field("body").max_length)
    files = _MultipleFileField(label="材料", required=False,
                               help_text="整改材料的扫描件、照片等，可选择多个文件。")


class RectificationReplyForm(forms.Form):
    target = forms.ChoiceField(choices=[(s, s) for s in (
        RectificationStatus.ACCEPTED, RectificationStatus.RETURNED, RectificationStatus.ANSWERED)])
    note = forms.CharField(required=False,
                           max_length=RectificationReport._meta.get_field("reply").max_length)
    new_deadline = forms.DateField(required=False)
