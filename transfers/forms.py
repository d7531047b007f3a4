from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet

from cases.models import EnforcementCase
from core import policy
from core.forms import (BootstrapFormMixin, DateTimeField, FilterForm, ListDateInput, ListSelect,
                        ListTextInput, blank)
from core.models import Organization, OrgKind

from .models import (CriminalOutcome, MaterialType, ResponsibleHead, Sanction, TransferKind,
                     TransferStatus)
from .selectors import SENDER_KINDS
from .services import RECEIVER_KINDS

TOWNSHIP_HELP = "乡镇（街道）与区职能部门之间的移送必填。"


def sender_choices(user) -> QuerySet[Organization]:
    """M15.1: the departments and township governments the user acts for — an internal
    unit only where a law empowers it to act in its own name (selectors.acts_in_own_name)."""
    empowered = Q(kind=OrgKind.INTERNAL_UNIT, parent__isnull=False) & ~Q(empowered_basis="")
    return policy.organizations_with(user, "transfer.prepare").filter(
        Q(kind__in=SENDER_KINDS) | empowered)


class TransferForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label="移送类别", choices=[
        (TransferKind.COMPETENT, TransferKind.COMPETENT.label),
        (TransferKind.CRIMINAL, TransferKind.CRIMINAL.label)])
    sender = forms.ModelChoiceField(label="移送单位", queryset=Organization.objects.none())
    case = forms.ModelChoiceField(label="案件", queryset=EnforcementCase.objects.none())
    receiver = forms.ModelChoiceField(label="接收单位", queryset=Organization.objects.none())
    subject = forms.CharField(label="事由", max_length=200)
    reason = forms.CharField(label="移送理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="超出管辖的法律、事实或金额依据；涉嫌犯罪的罪名和依据。")
    # M15.1: between a township and a district department the transfer is always the
    # township kind, which needs these (selectors.transfer_kind).
    discovered_at = DateTimeField("发现违法行为的时间", required=False, help_text=TOWNSHIP_HELP)
    is_urgent = forms.BooleanField(label="情况紧急（24小时内移送）", required=False)
    basic_facts = forms.CharField(label="基本违法事实的书面说明", required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}), help_text=TOWNSHIP_HELP)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        senders = sender_choices(user)
        self.fields["sender"].queryset = senders
        if senders.count() == 1:
            self.fields["sender"].initial = senders.first()
        self.fields["case"].queryset = policy.visible_to(user, EnforcementCase).filter(
            department__in=senders)
        kinds = RECEIVER_KINDS[TransferKind.COMPETENT] | RECEIVER_KINDS[TransferKind.CRIMINAL]
        self.fields["receiver"].queryset = Organization.objects.filter(kind__in=kinds,
                                                                       is_active=True)


class MaterialForm(BootstrapFormMixin, forms.Form):
    material_type = forms.ChoiceField(label="材料类别", choices=[
        (v, label) for v, label in MaterialType.choices if v != MaterialType.TRANSFER_LETTER])
    file = forms.FileField(label="文件")
    description = forms.CharField(label="说明", max_length=200, required=False)


class OutcomeForm(BootstrapFormMixin, forms.Form):
    """M4.4: another organ's decision, with its document. ``choices``: the decisions the
    viewer may record now (selectors.outcome_choices); the service checks them again."""

    outcome = forms.ChoiceField(label="处理结果", choices=CriminalOutcome.choices)
    document = forms.FileField(label="决定书", help_text="不予立案决定书、撤销案件决定书、不起诉决定书或判决书。")
    note = forms.CharField(label="理由或说明（文书名称、文号）", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["outcome"].choices = choices


def _organization_filter(label: str, help_text: str = "") -> forms.ModelChoiceField:
    # Every active organisation, whoever looks: the directory of organisations is public,
    # the rows themselves stay within the viewer's scope (selectors.transfer_list), and a
    # dashboard link may name any unit the dashboard shows.
    return forms.ModelChoiceField(
        label=label, required=False, empty_label="全部", help_text=help_text, widget=ListSelect,
        queryset=Organization.objects.filter(is_active=True).order_by("kind", "name"))


class TransferFilterForm(FilterForm):
    """The transfer lists' filters; the dashboard's transfer figures link here with the
    same parameters (transfers/dashboard.py)."""

    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "事由、案件编号、单位"}))
    kind = forms.ChoiceField(label="类别", required=False, choices=blank(TransferKind.choices),
                             widget=ListSelect)
    status = forms.ChoiceField(label="状态", required=False, choices=blank(TransferStatus.choices),
                               widget=ListSelect)
    state = forms.ChoiceField(label="办理情况", required=False, widget=ListSelect, choices=blank([
        ("pending", "待办理"), ("overdue", "已逾期"), ("returned", "退回或不予立案"),
        ("outcome", "已有处理结果"), ("unreported", "涉嫌犯罪未报告上一级机关")]))
    sender = _organization_filter("移送单位")
    receiver = _organization_filter("接收单位")
    organization = _organization_filter("涉及单位", help_text="移送单位或接收单位")
    since = forms.DateField(label="创建日期自", required=False, widget=ListDateInput)
    until = forms.DateField(label="创建日期至", required=False, widget=ListDateInput)
    date_ranges = (("since", "until", "创建"),)


class OrderFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "案件编号、单位"}))
    state = forms.ChoiceField(label="移送情况", required=False, widget=ListSelect, choices=blank([
        ("open", "未移送"), ("overdue", "逾期未移送"), ("complied", "已移送"),
        ("sanction", "已提出处分建议")]))


class OrderForm(BootstrapFormMixin, forms.Form):
    issuer = forms.ModelChoiceField(label="责令单位", queryset=Organization.objects.none())
    case = forms.ModelChoiceField(label="案件", queryset=EnforcementCase.objects.none())
    kind = forms.ChoiceField(label="应移送类别", choices=[
        (TransferKind.CRIMINAL, TransferKind.CRIMINAL.label),
        (TransferKind.COMPETENT, TransferKind.COMPETENT.label)])
    receiver = forms.ModelChoiceField(label="应移送至", queryset=Organization.objects.filter(
        kind__in=[OrgKind.POLICE, OrgKind.DEPARTMENT, OrgKind.TOWNSHIP], is_active=True))
    reason = forms.CharField(label="应移送的理由", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    due = DateTimeField("移送期限")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        issuers = policy.organizations_with(user, "transfer.order")
        self.fields["issuer"].queryset = issuers
        if issuers.count() == 1:
            self.fields["issuer"].initial = issuers.first()
        self.fields["case"].queryset = policy.visible_to(user, EnforcementCase).select_related(
            "department")
        self.fields["case"].label_from_instance = lambda c: f"{c.number}（{c.department.short_name}）"


class SanctionForm(BootstrapFormMixin, forms.Form):
    """M4.5: against the 正职负责人 or 主持工作的负责人, 记过 or heavier."""

    person = forms.CharField(label="责任人姓名", max_length=100)
    post = forms.ChoiceField(label="责任人职务", choices=ResponsibleHead.choices)
    sanction = forms.ChoiceField(label="建议处分", choices=Sanction.choices)
    proposal = forms.CharField(label="理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="未按期移送的情节。")
