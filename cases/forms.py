"""Forms of the case pages. They only collect and type the input; every rule is checked
by cases.services, whose ValidationError lands back on the form (nothing typed is lost)."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from core import policy
from core.forms import (BootstrapFormMixin, DateInput, DateTimeField, FilterForm, ListCheckbox,
                        ListDateInput, ListSelect, ListTextInput, apply_errors, blank)
from core.models import Organization, OrgKind, User

from .models import (ActType, CaseStatus, EnforcementCase, EnforcementField, PartyKind,
                     PoliticalStatus, PublicityChannel)


def _max_length(name: str) -> int:
    return EnforcementCase._meta.get_field(name).max_length


class CaseFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "案件编号、当事人姓名或证件号"}))
    # The organisation's id, from choices read in __init__ with one plain query: a
    # ModelChoiceField reads the chosen row again to validate it and the options
    # through a server-side cursor, extra round trips on every list page (issue 5).
    department = forms.TypedChoiceField(
        label="办案单位", required=False, coerce=int, empty_value=None, widget=ListSelect,
        error_messages={"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]})
    act_type = forms.ChoiceField(label="行为类别", required=False, choices=blank(ActType.choices),
                                 widget=ListSelect)
    field = forms.ChoiceField(label="执法领域", required=False, choices=blank(EnforcementField.choices),
                              widget=ListSelect)
    status = forms.ChoiceField(label="办理状态", required=False, choices=blank(CaseStatus.choices),
                               widget=ListSelect)
    filed_from = forms.DateField(widget=ListDateInput, label="立案日期自", required=False)
    filed_to = forms.DateField(widget=ListDateInput, label="立案日期至", required=False)
    closed_from = forms.DateField(widget=ListDateInput, label="结案日期自", required=False)
    closed_to = forms.DateField(widget=ListDateInput, label="结案日期至", required=False)
    overdue = forms.BooleanField(label="仅看有逾期期限的案件", required=False, widget=ListCheckbox)
    date_ranges = (("filed_from", "filed_to", "立案"), ("closed_from", "closed_to", "结案"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = blank(
            Organization.objects.filter(is_active=True).exclude(kind=OrgKind.JUSTICE_BUREAU)
            .order_by("name").values_list("pk", "name"))



def officer_choices(user: User):
    """People of the organisations where ``user`` registers cases."""
    orgs = policy.organizations_with(user, "case.register") | policy.organizations_with(user, "case.handle")
    return (User.objects.filter(is_active=True, memberships__organization__in=orgs)
            .distinct().order_by("real_name", "username"))


def officer_text(officer: User) -> str:
    """An officer as the form and the case page name them: with the certificate or its lack."""
    name = officer.real_name or officer.username
    return f"{name}（执法证 {officer.certificate_no}）" if officer.certificate_no else f"{name}（无执法证）"


class OfficerField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return officer_text(obj)


class CaseForm(BootstrapFormMixin, forms.Form):
    department = forms.ModelChoiceField(label="办案单位", queryset=Organization.objects.none(),
                                        empty_label="请选择")
    number = forms.CharField(label="案件编号", max_length=60)
    act_type = forms.ChoiceField(label="行为类别", choices=ActType.choices)
    field = forms.ChoiceField(label="执法领域", choices=EnforcementField.choices)
    summary = forms.CharField(label="案情摘要", max_length=_max_length("summary"),
                              widget=forms.Textarea(attrs={"rows": 3}))
    discovered_at = DateTimeField("发现时间")
    filed_on = forms.DateField(label="立案日期", widget=DateInput)
    is_major_decision = forms.BooleanField(
        label="重大执法决定（须经法制审核）", required=False)
    officers = OfficerField(label="承办人员", queryset=User.objects.none(),
                            help_text="行政处罚案件须至少两名持有行政执法证件的人员。按住 Ctrl 可多选。")

    def __init__(self, *args, user: User, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = policy.organizations_with(user, "case.register")
        self.fields["officers"].queryset = officer_choices(user)
        if editing:
            del self.fields["department"]


class PartyForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices)
    name = forms.CharField(label="姓名或名称", max_length=200)
    id_number = forms.CharField(label="身份证号或统一社会信用代码", max_length=40)
    political_status = forms.ChoiceField(label="政治面貌", required=False,
                                         choices=[("", "—"), *PoliticalStatus.choices])
    employer = forms.CharField(label="工作单位", max_length=200, required=False)
    post = forms.CharField(label="职务", max_length=100, required=False)
    is_party_member = forms.BooleanField(label="中共党员", required=False)
    is_state_functionary = forms.BooleanField(label="国家公职人员", required=False)


class CaseRegisterForm(CaseForm):
    """立案 with the case's first party, whose fields are a ``PartyForm`` of their own
    (prefix ``party``) shown under their heading; other parties are added on the case page."""

    def __init__(self, data=None, files=None, **kwargs):
        super().__init__(data, files, **kwargs)
        self.party = PartyForm(data, prefix="party")

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.party.is_valid()])  # both forms show their errors

    def refusal(self, error: ValidationError) -> ValidationError:
        """A refusal of ``case_register``: what it says of the party lands on the party's
        fields; the rest is returned for the case's form."""
        if not hasattr(error, "error_dict"):
            return error
        party = {k: v for k, v in error.error_dict.items() if k in self.party.fields}
        if party:
            apply_errors(self.party, ValidationError(party))
        return ValidationError({k: v for k, v in error.error_dict.items() if k not in party})


class DecisionForm(BootstrapFormMixin, forms.Form):
    decision_date = forms.DateField(label="决定日期", widget=DateInput)
    decision_summary = forms.CharField(label="决定内容", max_length=_max_length("decision_summary"),
                                       widget=forms.Textarea(attrs={"rows": 3}))
    penalty_amount = forms.DecimalField(label="罚没金额（元）", required=False, min_value=0,
                                        max_digits=14, decimal_places=2)
    document = forms.FileField(label="决定书", required=False,
                               help_text="PDF、图片或 Word/WPS 文件。")
    note = forms.CharField(label="说明", required=False, max_length=2000)


class PublicityForm(BootstrapFormMixin, forms.Form):
    published_on = forms.DateField(label="公示日期", widget=DateInput)
    publicity_channel = forms.ChoiceField(label="公示渠道", choices=PublicityChannel.choices)
