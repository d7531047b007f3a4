from __future__ import annotations

from django import forms

from core import policy
from core.forms import (BootstrapFormMixin, FilterForm, ListDateInput, ListSelect, ListTextInput,
                        blank)
from core.models import Organization, OrgKind, User

from . import sources
from .models import Ground, ProceedingStatus, ReservedTo, Route
from .selectors import STATE_LABELS


class ProceedingFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "问责事项、问题事实或责任人员"}))
    agency = forms.ModelChoiceField(
        label="责任追究机关", required=False, widget=ListSelect, empty_label="全部",
        queryset=Organization.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP],
                                             is_active=True))
    state = forms.ChoiceField(label="办理情况", required=False, choices=blank(STATE_LABELS.items()),
                              widget=ListSelect)
    status = forms.ChoiceField(label="状态", required=False,
                               choices=blank(ProceedingStatus.choices), widget=ListSelect)
    ground = forms.ChoiceField(label="问责情形", required=False, choices=blank(Ground.choices),
                               widget=ListSelect)
    route = forms.ChoiceField(label="处理方式", required=False, choices=blank(Route.choices),
                              widget=ListSelect)
    source_kind = forms.ChoiceField(label="线索来源", required=False, widget=ListSelect)
    since = forms.DateField(label="启动日期自", required=False, widget=ListDateInput)
    until = forms.DateField(label="启动日期至", required=False, widget=ListDateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_kind"].choices = blank(sources.kind_choices())


class OfficerChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user: User) -> str:
        return f"{user.display_name}（{user.certificate_no}）" if user.certificate_no else user.display_name


class ProceedingForm(BootstrapFormMixin, forms.Form):
    agency = forms.ModelChoiceField(label="责任追究机关", queryset=Organization.objects.none(),
                                    empty_label=None)
    subject = forms.CharField(label="问责事项", max_length=200)
    officers = OfficerChoice(label="责任人员", queryset=User.objects.none(),
                             widget=forms.CheckboxSelectMultiple)
    ground = forms.ChoiceField(label="问责情形", choices=Ground.choices, widget=forms.RadioSelect)
    facts = forms.CharField(label="问题事实", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    source_kind = forms.CharField(required=False, widget=forms.HiddenInput)
    source_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = policy.organizations_with(user, "accountability.pursue")
        self.fields["agency"].queryset = agencies
        self.fields["officers"].queryset = User.objects.filter(
            memberships__organization__in=agencies, is_active=True).distinct().order_by("real_name")


class DetermineForm(BootstrapFormMixin, forms.Form):
    liable = forms.TypedChoiceField(label="认定结论", coerce=lambda v: v == "1",
                                    choices=[("1", "有过错责任，依法追究"), ("0", "无过错责任，不予追究")],
                                    widget=forms.RadioSelect)
    fault_determination = forms.CharField(label="过错责任认定", max_length=5000,
                                          widget=forms.Textarea(attrs={"rows": 5}),
                                          help_text="认定的事实、过错情节和依据。")
    route = forms.ChoiceField(label="处理方式", required=False, choices=blank(Route.choices),
                              help_text="认定有过错责任的，根据认定结论选择。")


class ConcludeForm(BootstrapFormMixin, forms.Form):
    outcome = forms.CharField(label="处理结果", max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="如：诫勉谈话、通报批评、暂扣执法证件、记过处分、移送司法机关的处理情况。")
    outcome_organ = forms.CharField(label="实施机关", max_length=100, required=False,
                                    help_text="行政处理由本机关实施的可不填；处分、职务调整或刑事追究填写作出处理的机关。")
    document = forms.FileField(label="处理决定文书", help_text="处理决定、处分决定或司法机关文书的文档或扫描件。")


class ReserveForm(BootstrapFormMixin, forms.Form):
    reserved_to = forms.ChoiceField(label="依法处理的机关", choices=ReservedTo.choices)
    reason = forms.CharField(label="不适用本机制的依据", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
