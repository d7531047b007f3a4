from __future__ import annotations

from django import forms

from core.forms import (BootstrapFormMixin, DateInput, DateTimeField, FilterForm, ListCheckbox,
                        ListDateInput, ListSelect, ListTextInput, blank)
from core.models import Organization, OrgKind

from .models import DisputeKind, DisputeParty, DisputeStatus
from .selectors import AGE_LABELS


def _parties_choices():
    return Organization.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP],
                                       is_active=True).order_by("kind", "name")


def _text(label: str, max_length: int, rows: int = 4, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class DisputeFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "争议事项、事实或裁决"}))
    kind = forms.ChoiceField(label="争议类别", required=False, choices=blank(DisputeKind.choices),
                             widget=ListSelect)
    status = forms.ChoiceField(label="状态", required=False, choices=blank(DisputeStatus.choices),
                               widget=ListSelect)
    party = forms.ModelChoiceField(
        label="当事单位或裁决机关", required=False, widget=ListSelect, empty_label="全部",
        queryset=Organization.objects.filter(
            kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP, OrgKind.GOVERNMENT],
            is_active=True).order_by("kind", "name"))
    age = forms.ChoiceField(label="未办结时长", required=False, choices=blank(AGE_LABELS.items()),
                            widget=ListSelect)
    since = forms.DateField(label="申请日期自", required=False, widget=ListDateInput)
    until = forms.DateField(label="申请日期至", required=False, widget=ListDateInput)
    open = forms.BooleanField(label="仅未办结", required=False, widget=ListCheckbox)


class DisputeForm(BootstrapFormMixin, forms.Form):
    applicant = forms.ModelChoiceField(label="申请单位", queryset=Organization.objects.none())
    kind = forms.ChoiceField(label="争议类别", choices=DisputeKind.choices,
                             help_text="乡镇（街道）与区职能部门之间的执法管辖争议选“管辖”。")
    others = forms.ModelMultipleChoiceField(label="其他当事单位", queryset=_parties_choices(),
                                            widget=forms.CheckboxSelectMultiple)
    subject = forms.CharField(label="争议事项", max_length=200)
    facts = _text("争议事实", 5000, rows=5)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].queryset = units
        self.fields["applicant"].empty_label = None


class NegotiationForm(BootstrapFormMixin, forms.Form):
    party = forms.ModelChoiceField(label="当事单位", queryset=DisputeParty.objects.none())
    negotiated_on = forms.DateField(label="协商日期", widget=DateInput)
    representatives = forms.CharField(label="参加协商人员", max_length=200,
                                      help_text="该方参加协商的人员姓名和职务。")
    position = _text("该方意见", 3000, rows=2)

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute is not None:
            self.fields["party"].queryset = dispute.parties.select_related("organization")
            self.fields["party"].label_from_instance = lambda p: p.organization.name


class NegotiationRemoveForm(forms.Form):
    row = forms.IntegerField(min_value=1)


class OpinionRequestForm(BootstrapFormMixin, forms.Form):
    due_on = forms.DateField(label="书面意见期限", widget=DateInput,
                             help_text="各当事单位须在该日24时前提交书面意见。")


class OpinionForm(BootstrapFormMixin, forms.Form):
    opinion = _text("书面意见", 5000, rows=6)
    file = forms.FileField(label="书面意见材料", required=False, help_text="加盖公章的书面意见扫描件等。")


class MeetingForm(BootstrapFormMixin, forms.Form):
    held_at = DateTimeField("协调时间")
    place = forms.CharField(label="地点", max_length=100)
    attendees = forms.CharField(label="参加人员", max_length=500)
    summary = _text("协调情况", 5000)


class AgreementForm(BootstrapFormMixin, forms.Form):
    agreement = _text("协调意见", 5000, rows=6, help_text="各当事单位确认后，争议即协调解决。")


class RecommendationForm(BootstrapFormMixin, forms.Form):
    process = _text("协调经过", 3000, help_text="受理、征求意见、召开协调会等情况。")
    disagreement = _text("各方分歧", 3000)
    recommendation = _text("处理建议", 3000)


class RulingForm(BootstrapFormMixin, forms.Form):
    competent = forms.ModelChoiceField(label="确定的管辖单位", required=False,
                                       queryset=Organization.objects.none())
    ruling = _text("裁决内容", 5000, rows=5)
    document = forms.FileField(label="裁决文书", help_text="区政府裁决文书的扫描件或电子文件。")
    implement_due = forms.DateField(label="执行期限", widget=DateInput,
                                    help_text="各当事单位须在该日24时前报告执行情况。")

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute.kind == DisputeKind.JURISDICTION:
            self.fields["competent"].required = True
            self.fields["competent"].queryset = Organization.objects.filter(
                pk__in=dispute.parties.values("organization_id")).order_by("name")
        else:
            del self.fields["competent"]


class ReportForm(BootstrapFormMixin, forms.Form):
    report = _text("执行情况", 5000)
