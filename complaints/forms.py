from __future__ import annotations

from django import forms

from core.forms import (BootstrapFormMixin, DateInput, DateTimeField, FilterForm, ListCheckbox,
                        ListDateInput, ListSelect, ListTextInput, blank)
from core.models import Organization, OrgKind

from .models import (AnswerMethod, AssistanceKind, AssistanceStatus, Channel, ComplaintKind,
                     ComplaintStatus, Satisfaction)
from .selectors import STATE_LABELS

UNIT_KINDS = (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP, OrgKind.JUSTICE_BUREAU)


def units() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="办理单位", required=False, widget=ListSelect, empty_label="全部",
        queryset=Organization.objects.filter(kind__in=UNIT_KINDS, is_active=True).order_by("kind", "name"))


class ComplaintFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100, widget=ListTextInput(
        attrs={"placeholder": "台账编号、工单号、事项或被投诉举报单位、人员"}))
    unit = units()
    channel = forms.ChoiceField(label="来源渠道", required=False, choices=blank(Channel.choices),
                                widget=ListSelect)
    kind = forms.ChoiceField(label="类别", required=False, choices=blank(ComplaintKind.choices),
                             widget=ListSelect)
    status = forms.ChoiceField(label="状态", required=False, choices=blank(ComplaintStatus.choices),
                               widget=ListSelect)
    state = forms.ChoiceField(label="办理情况", required=False, widget=ListSelect, choices=blank(
        [*STATE_LABELS.items(), ("accepted_on_time", "按期受理"), ("handled_on_time", "按期办结")]))
    satisfaction = forms.ChoiceField(label="满意度", required=False,
                                     choices=blank(Satisfaction.choices), widget=ListSelect)
    since = forms.DateField(label="收到日期自", required=False, widget=ListDateInput)
    until = forms.DateField(label="收到日期至", required=False, widget=ListDateInput)
    overdue = forms.BooleanField(label="仅看逾期", required=False, widget=ListCheckbox)
    direct = forms.BooleanField(label="司法局直接受理", required=False, widget=ListCheckbox)


class _Identity(forms.Form):
    anonymous = forms.BooleanField(label="匿名", required=False)
    confidential = forms.BooleanField(label="要求保密", required=False,
                                      help_text="投诉举报人的身份和联系方式只向办理单位和区司法局显示。")
    complainant_name = forms.CharField(label="投诉举报人姓名", max_length=100, required=False)
    complainant_id_number = forms.CharField(label="身份证件号码", max_length=30, required=False)
    complainant_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    complainant_address = forms.CharField(label="联系地址", max_length=200, required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def uploads(files) -> list[tuple]:
    return [(f, f.name, f.size) for f in files or ()]


class ComplaintForm(BootstrapFormMixin, _Identity):
    unit = forms.ModelChoiceField(label="办理单位", queryset=Organization.objects.none())
    kind = forms.ChoiceField(label="类别", choices=ComplaintKind.choices)
    channel = forms.ChoiceField(label="来源渠道", choices=[c for c in Channel.choices
                                                        if c[0] not in (Channel.PORTAL, Channel.TRANSFER)])
    hotline_order = forms.CharField(label="12345工单号", max_length=40, required=False)
    received_at = DateTimeField("收到时间")
    subject_org = forms.ModelChoiceField(
        label="被投诉举报单位", required=False,
        queryset=Organization.objects.filter(kind__in=UNIT_KINDS, is_active=True).order_by("kind", "name"))
    subject_officer_name = forms.CharField(label="被投诉举报人员", max_length=100, required=False)
    matter = forms.CharField(label="投诉举报事项", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(label="材料", required=False)

    field_order = ["unit", "kind", "channel", "hotline_order", "received_at", "anonymous",
                   "confidential", "complainant_name", "complainant_id_number", "complainant_phone",
                   "complainant_address", "subject_org", "subject_officer_name", "matter", "files"]

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Organization.objects.none()
        self.order_fields(self.field_order)


class TransferForm(BootstrapFormMixin, forms.Form):
    to = forms.ModelChoiceField(
        label="转办单位", help_text="有权处理的行政执法部门或乡镇人民政府（街道办事处）。",
        queryset=Organization.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP],
                                             is_active=True).order_by("kind", "name"))
    told_at = DateTimeField("告知投诉举报人处理单位的时间")
    note = forms.CharField(label="转办说明", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(BootstrapFormMixin, forms.Form):
    method = forms.ChoiceField(label="答复方式", choices=AnswerMethod.choices)
    answered_at = DateTimeField("答复时间")
    answer = forms.CharField(label="答复内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="网上投诉的，投诉举报人凭查询码可查看答复内容。")


class ArchiveForm(BootstrapFormMixin, forms.Form):
    satisfaction = forms.ChoiceField(label="投诉举报人满意度", choices=Satisfaction.choices)


class ExtendForm(BootstrapFormMixin, forms.Form):
    new_due = forms.DateField(label="延长至", widget=DateInput)
    reason = forms.CharField(label="延长理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class FilesForm(BootstrapFormMixin, forms.Form):
    files = MultipleFileField(label="材料")


class ChannelForm(BootstrapFormMixin, forms.Form):
    organization = forms.ModelChoiceField(label="单位", queryset=Organization.objects.none())
    handling_office = forms.CharField(label="受理投诉举报的工作机构", max_length=100)
    phone = forms.CharField(label="投诉举报电话", max_length=50, required=False)
    postal = forms.CharField(label="投诉举报信箱（通信地址）", max_length=200, required=False)
    email = forms.EmailField(label="电子邮箱", max_length=120, required=False)
    address = forms.CharField(label="来访接待地址", max_length=200, required=False)
    hours = forms.CharField(label="接待时间", max_length=100, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units if units is not None else Organization.objects.none()


class ChannelFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "单位或工作机构"}))


class ImportForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label="办理单位", queryset=Organization.objects.none())
    file = forms.FileField(label="台账文件（Excel）", help_text="第一行为表头，列名见下方说明。")

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Organization.objects.none()


class AssistanceFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "事项、内容或答复"}))
    kind = forms.ChoiceField(label="类别", required=False, choices=blank(AssistanceKind.choices),
                             widget=ListSelect)
    status = forms.ChoiceField(label="状态", required=False, choices=blank(AssistanceStatus.choices),
                               widget=ListSelect)
    direction = forms.ChoiceField(label="方向", required=False, widget=ListSelect,
                                  choices=blank([("sent", "本单位提出"), ("received", "本单位答复")]))
    since = forms.DateField(label="提出日期自", required=False, widget=ListDateInput)
    until = forms.DateField(label="提出日期至", required=False, widget=ListDateInput)


class AssistanceForm(BootstrapFormMixin, forms.Form):
    requester = forms.ModelChoiceField(label="请求单位", queryset=Organization.objects.none())
    addressee = forms.ModelChoiceField(
        label="被请求单位", queryset=Organization.objects.filter(
            kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP], is_active=True).order_by("kind", "name"))
    kind = forms.ChoiceField(label="类别", choices=[(AssistanceKind.TECHNICAL.value, AssistanceKind.TECHNICAL.label),
                                                  (AssistanceKind.ARCHIVES.value, AssistanceKind.ARCHIVES.label)])
    subject = forms.CharField(label="事项", max_length=200)
    content = forms.CharField(label="请求内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    reply_due = forms.DateField(label="答复期限", widget=DateInput)
    letter = forms.FileField(label="书面函件", required=False, help_text="请求技术支持的，须上传书面函件。")

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = units if units is not None else Organization.objects.none()


class InvestigationForm(BootstrapFormMixin, forms.Form):
    subject = forms.CharField(label="事项", max_length=200)
    content = forms.CharField(label="协助调查的内容", max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="需被投诉举报单位提供的材料和情况说明；请勿写入投诉举报人的身份信息。")
    reply_due = forms.DateField(label="答复期限", widget=DateInput)


class AssistanceReplyForm(BootstrapFormMixin, forms.Form):
    reply = forms.CharField(label="答复（材料和情况说明）", max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label="材料", required=False)
