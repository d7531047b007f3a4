from __future__ import annotations

from django import forms

from cases.models import EnforcementCase
from core import policy
from core.forms import BootstrapFormMixin, DateInput, DateTimeInput
from core.models import Organization, OrgKind
from transfers.forms import sender_choices

from .models import AssistanceKind, ConsultationKind, ConsultationTopic
from .selectors import acting_organizations

DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _counterparts():
    return Organization.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP],
                                       is_active=True)


class TownshipTransferForm(BootstrapFormMixin, forms.Form):
    sender = forms.ModelChoiceField(label="移送单位", queryset=Organization.objects.none(),
                                    help_text="以部门或乡镇人民政府（街道办事处）名义移送，不能以内设机构名义。")
    receiver = forms.ModelChoiceField(label="接收单位", queryset=_counterparts())
    case = forms.ModelChoiceField(label="本单位已登记的案件（可不选）", required=False,
                                  queryset=EnforcementCase.objects.none())
    subject = forms.CharField(label="事由", max_length=200)
    discovered_at = forms.DateTimeField(label="发现时间", widget=DateTimeInput(),
                                        input_formats=DT_FORMATS)
    is_urgent = forms.BooleanField(label="紧急（24 小时内移送）", required=False)
    basic_facts = forms.CharField(label="基本事实书面说明", widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label="移送理由", widget=forms.Textarea(attrs={"rows": 3}))
    ongoing = forms.BooleanField(label="违法行为正在实施（已现场劝阻，立即告知主管部门）", required=False)
    location = forms.CharField(label="现场地点", max_length=200, required=False)
    measures = forms.CharField(label="现场劝阻情况", required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        senders = sender_choices(user)
        self.fields["sender"].queryset = senders
        if senders.count() == 1:
            self.fields["sender"].initial = senders.first()
        self.fields["case"].queryset = policy.visible_to(user, EnforcementCase).filter(
            department__in=senders)

    def clean(self):
        data = super().clean()
        if data.get("ongoing") and not (data.get("location") and data.get("measures")):
            raise forms.ValidationError("违法行为正在实施的，请填写现场地点和劝阻情况。")
        return data


class DissuasionForm(BootstrapFormMixin, forms.Form):
    township = forms.ModelChoiceField(label="劝阻单位", queryset=Organization.objects.none())
    competent = forms.ModelChoiceField(label="主管部门", queryset=Organization.objects.filter(
        kind=OrgKind.DEPARTMENT, is_active=True))
    location = forms.CharField(label="地点", max_length=200)
    violation = forms.CharField(label="正在实施的违法行为", widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label="现场劝阻情况", widget=forms.Textarea(attrs={"rows": 3}))
    dissuaded_at = forms.DateTimeField(label="劝阻时间", widget=DateTimeInput(), input_formats=DT_FORMATS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = acting_organizations(user)


class ComplaintForm(BootstrapFormMixin, forms.Form):
    receiver = forms.ModelChoiceField(label="接收单位", queryset=Organization.objects.none())
    handler = forms.ModelChoiceField(label="处理单位", queryset=_counterparts())
    department = forms.ModelChoiceField(label="结果反馈的区职能部门", queryset=Organization.objects.filter(
        kind=OrgKind.DEPARTMENT, is_active=True))
    complainant_name = forms.CharField(label="投诉人", max_length=100)
    complainant_contact = forms.CharField(label="联系方式", max_length=100)
    summary = forms.CharField(label="投诉内容", widget=forms.Textarea(attrs={"rows": 3}))
    received_at = forms.DateTimeField(label="接收时间", widget=DateTimeInput(), input_formats=DT_FORMATS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = acting_organizations(user)


class AssistanceForm(BootstrapFormMixin, forms.Form):
    requester = forms.ModelChoiceField(label="请求单位", queryset=Organization.objects.none())
    addressee = forms.ModelChoiceField(label="被请求单位", queryset=_counterparts())
    kind = forms.ChoiceField(label="类别", choices=AssistanceKind.choices)
    subject = forms.CharField(label="事项", max_length=200)
    content = forms.CharField(label="请求内容", widget=forms.Textarea(attrs={"rows": 3}))
    reply_due = forms.DateField(label="答复期限", widget=DateInput)
    letter = forms.FileField(label="书面函件（技术支持必传）", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = acting_organizations(user)


class ConsultationForm(BootstrapFormMixin, forms.Form):
    initiator = forms.ModelChoiceField(label="发起单位", queryset=Organization.objects.none())
    kind = forms.ChoiceField(label="类别", choices=ConsultationKind.choices)
    topic = forms.ChoiceField(label="问题类型", choices=ConsultationTopic.choices)
    participants = forms.ModelMultipleChoiceField(label="参加单位", queryset=_counterparts())
    subject = forms.CharField(label="议题", max_length=200)
    content = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 3}))
    case = forms.ModelChoiceField(label="涉及案件", required=False,
                                  queryset=EnforcementCase.objects.none())
    meeting_at = forms.DateTimeField(label="会商时间", widget=DateTimeInput(), input_formats=DT_FORMATS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiator"].queryset = acting_organizations(user)
        self.fields["case"].queryset = policy.visible_to(user, EnforcementCase)


class DisputeForm(BootstrapFormMixin, forms.Form):
    applicant = forms.ModelChoiceField(label="提出单位", queryset=Organization.objects.none())
    respondent = forms.ModelChoiceField(label="对方单位", queryset=_counterparts())
    subject = forms.CharField(label="争议事项", max_length=200)
    description = forms.CharField(label="争议情况", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].queryset = acting_organizations(user)


class InfoNoticeForm(BootstrapFormMixin, forms.Form):
    sender = forms.ModelChoiceField(label="通报单位", queryset=Organization.objects.none())
    recipients = forms.ModelMultipleChoiceField(label="接收单位", queryset=_counterparts())
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender"].queryset = acting_organizations(user)
