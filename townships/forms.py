from __future__ import annotations

from django import forms

from cases.models import EnforcementCase
from core import policy
from core.forms import (
    BootstrapFormMixin,
    DateTimeField,
    FilterForm,
    ListDateInput,
    ListSelect,
    ListTextInput,
    blank,
)
from core.models import Organization, OrgKind
from transfers.models import TransferStatus

from .models import (
    Consultation,
    ConsultationKind,
    ConsultationTopic,
    Dissuasion,
    InfoNotice,
)
from .selectors import acting_organizations


def _counterparts():
    return Organization.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP],
                                       is_active=True)


def _departments():
    return Organization.objects.filter(kind=OrgKind.DEPARTMENT, is_active=True)


def _text(model, name: str, rows: int = 3) -> forms.CharField:
    """A text box as long as the model's field allows."""
    field = model._meta.get_field(name)
    return forms.CharField(label=field.verbose_name, max_length=field.max_length,
                           widget=forms.Textarea(attrs={"rows": rows}))


class ActingForm(BootstrapFormMixin, forms.Form):
    """A record made in the name of one of the user's departments or township
    governments (``acting``: the field naming it)."""

    acting = ""
    capability = "cooperation.handle"

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = acting_organizations(user, self.capability)
        self.fields[self.acting].queryset = units
        if len(units) == 1:
            self.fields[self.acting].initial = units[0]


# --- records ------------------------------------------------------------------------------
class TownshipTransferForm(ActingForm):
    acting = "sender"
    capability = "transfer.prepare"
    sender = forms.ModelChoiceField(label="移送单位", queryset=Organization.objects.none(),
                                    help_text="以部门或乡镇人民政府（街道办事处）名义移送，不能以内设机构名义。")
    receiver = forms.ModelChoiceField(label="接收单位", queryset=_counterparts())
    case = forms.ModelChoiceField(label="本单位已登记的案件（可不选）", required=False,
                                  queryset=EnforcementCase.objects.none())
    subject = forms.CharField(label="事由", max_length=200)
    discovered_at = DateTimeField("发现时间")
    is_urgent = forms.BooleanField(label="紧急（24 小时内移送）", required=False)
    basic_facts = forms.CharField(label="基本事实书面说明", max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label="移送理由", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    ongoing = forms.BooleanField(label="违法行为正在实施（已现场劝阻，立即告知主管部门）", required=False)
    location = forms.CharField(label="现场地点", max_length=200, required=False)
    measures = forms.CharField(label="现场劝阻情况", max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["case"].queryset = policy.visible_to(user, EnforcementCase).filter(
            department__in=self.fields["sender"].queryset)


class DissuasionForm(ActingForm):
    acting = "township"
    township = forms.ModelChoiceField(label="劝阻单位", queryset=Organization.objects.none())
    competent = forms.ModelChoiceField(label="主管部门", queryset=_departments())
    location = forms.CharField(label="地点", max_length=200)
    violation = _text(Dissuasion, "violation")
    measures = _text(Dissuasion, "measures")
    dissuaded_at = DateTimeField("劝阻时间")


class ConsultationForm(ActingForm):
    acting = "initiator"
    initiator = forms.ModelChoiceField(label="发起单位", queryset=Organization.objects.none())
    kind = forms.ChoiceField(label="类别", choices=ConsultationKind.choices)
    topic = forms.ChoiceField(label="问题类型", choices=ConsultationTopic.choices)
    participants = forms.ModelMultipleChoiceField(label="参加单位", queryset=_counterparts())
    subject = forms.CharField(label="议题", max_length=200)
    content = _text(Consultation, "content")
    case = forms.ModelChoiceField(label="涉及案件（联合处置必选）", required=False,
                                  queryset=EnforcementCase.objects.none())
    meeting_at = DateTimeField("会商时间")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["case"].queryset = policy.visible_to(user, EnforcementCase)


class InfoNoticeForm(ActingForm):
    acting = "sender"
    sender = forms.ModelChoiceField(label="通报单位", queryset=Organization.objects.none())
    recipients = forms.ModelMultipleChoiceField(label="接收单位", queryset=_counterparts())
    title = forms.CharField(label="标题", max_length=200)
    body = _text(InfoNotice, "body", rows=6)


# --- steps on a record's page ------------------------------------------------------------
class ConclusionForm(BootstrapFormMixin, forms.Form):
    conclusion = _text(Consultation, "conclusion")


# --- filters ------------------------------------------------------------------------------
class RecordFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100, widget=ListTextInput)
    since = forms.DateField(label="起始日期", required=False, widget=ListDateInput)
    until = forms.DateField(label="截止日期", required=False, widget=ListDateInput)


def _organization(label: str = "涉及单位") -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, required=False, widget=ListSelect, empty_label="全部",
                                  queryset=Organization.objects.filter(is_active=True))


def _choice(label: str, choices) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=blank(choices), widget=ListSelect)


class TownshipTransferFilterForm(RecordFilterForm):
    status = _choice("状态", TransferStatus.choices)
    direction = _choice("移送方向", [("sent", "本单位移出"), ("received", "移交本单位")])


class DissuasionFilterForm(RecordFilterForm):
    organization = _organization()
    township = _organization("劝阻单位")
    transferred = _choice("后续移送", [("yes", "已移送主管部门"), ("no", "未移送")])


class ConsultationFilterForm(RecordFilterForm):
    organization = _organization()
    kind = _choice("类别", ConsultationKind.choices)
    topic = _choice("问题类型", ConsultationTopic.choices)
    state = _choice("办理情况", [("open", "尚未形成意见"), ("concluded", "已办结")])


class InfoNoticeFilterForm(RecordFilterForm):
    pass
