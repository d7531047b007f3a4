from __future__ import annotations

from django import forms

from core.forms import (BootstrapFormMixin, DateInput, DateTimeField, FilterForm, ListDateInput,
                        ListSelect, blank, keyword_field)
from core.models import Organization, User

from .models import (BODY_TOPICS, JointBody, MeetingKind, MeetingStatus, ProposalStatus,
                     Topic)
from .selectors import STATE_LABELS


def _body_filter() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label="联席会议", required=False, widget=ListSelect,
                                  queryset=JointBody.objects.all(), empty_label="全部")


class MeetingFilterForm(FilterForm):
    q = keyword_field("会议名称或地点")
    body = _body_filter()
    kind = forms.ChoiceField(label="会议类别", required=False, choices=blank(MeetingKind.choices),
                             widget=ListSelect)
    status = forms.ChoiceField(label="状态", required=False, choices=blank(MeetingStatus.choices),
                               widget=ListSelect)
    since = forms.DateField(label="召开日期自", required=False, widget=ListDateInput)
    until = forms.DateField(label="召开日期至", required=False, widget=ListDateInput)


class ProposalFilterForm(FilterForm):
    q = keyword_field("拟议事项、理由或提议单位")
    body = _body_filter()
    status = forms.ChoiceField(label="状态", required=False, choices=blank(ProposalStatus.choices),
                               widget=ListSelect)


class LiaisonFilterForm(FilterForm):
    q = keyword_field("单位、联络员或职务")
    body = _body_filter()


class ResolutionFilterForm(FilterForm):
    q = keyword_field("议定事项或具体要求")
    body = _body_filter()
    state = forms.ChoiceField(label="办理情况", required=False, choices=blank(STATE_LABELS.items()),
                              widget=ListSelect)
    department = forms.ModelChoiceField(
        label="责任单位", required=False, widget=ListSelect, empty_label="全部",
        queryset=Organization.objects.filter(joint_bodies__isnull=False, is_active=True).distinct())
    meeting = forms.IntegerField(label="会议", required=False, min_value=1,
                                 widget=forms.HiddenInput)


class MeetingForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label="会议类别", choices=MeetingKind.choices)
    title = forms.CharField(label="会议名称", max_length=200)
    starts_at = DateTimeField("召开时间")
    place = forms.CharField(label="地点", max_length=100)


class ProposalAcceptForm(BootstrapFormMixin, forms.Form):
    starts_at = DateTimeField("召开时间")
    place = forms.CharField(label="地点", max_length=100)


class AgendaForm(BootstrapFormMixin, forms.Form):
    topic = forms.ChoiceField(label="议题类别", choices=Topic.choices)
    title = forms.CharField(label="议题", max_length=200)

    def __init__(self, *args, body_kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if body_kind:
            self.fields["topic"].choices = [(t.value, t.label) for t in BODY_TOPICS[body_kind]]


class AgendaRemoveForm(forms.Form):
    item = forms.IntegerField(min_value=1)


class HeldForm(BootstrapFormMixin, forms.Form):
    held_at = DateTimeField("实际召开时间")
    attended = forms.ModelMultipleChoiceField(label="出席单位", queryset=Organization.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    minutes = forms.FileField(label="会议纪要", help_text="会议纪要的文档或扫描件。")
    summary = forms.CharField(label="会议纪要摘要", max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        body = meeting.body
        self.fields["attended"].queryset = Organization.objects.filter(
            pk__in=[body.convener_id, *body.members.values_list("pk", flat=True)]).order_by("kind", "name")


class ResolutionForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label="议定事项", max_length=200)
    content = forms.CharField(label="具体要求", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    departments = forms.ModelMultipleChoiceField(label="责任单位", queryset=Organization.objects.none(),
                                                 widget=forms.CheckboxSelectMultiple)
    due_on = forms.DateField(label="反馈期限", widget=DateInput,
                             help_text="责任单位须在该日24时前反馈落实情况。")

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = meeting.body.members.filter(is_active=True).order_by("name")


class ReportForm(BootstrapFormMixin, forms.Form):
    report = forms.CharField(label="落实情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    file = forms.FileField(label="相关材料", required=False, help_text="可附文件、照片等材料。")


class SendBackForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label="退回理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    new_due_on = forms.DateField(label="新的反馈期限", required=False, widget=DateInput,
                                 help_text="不填则原期限不变。")


class ProposalForm(BootstrapFormMixin, forms.Form):
    proposer = forms.ModelChoiceField(label="提议单位", queryset=Organization.objects.none())
    subject = forms.CharField(label="拟议事项", max_length=200)
    reason = forms.CharField(label="提议理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="需要召开临时会议的特殊情况。")

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposer"].queryset = units
        self.fields["proposer"].empty_label = None  # most users act for one member unit


class LiaisonForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label="成员单位", queryset=Organization.objects.none())
    person = forms.ModelChoiceField(label="联络员", queryset=User.objects.none(),
                                    help_text="本单位的科室负责人（审批监管联席会议：履行审批相关监管职责的工作人员）。")
    post = forms.CharField(label="职务", max_length=50)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = None
        self.fields["person"].queryset = User.objects.filter(
            memberships__organization__in=units, is_active=True).distinct().order_by("real_name")
        self.fields["person"].label_from_instance = lambda u: u.display_name

