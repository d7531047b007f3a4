from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from cases.models import PublicityChannel
from core.forms import (BootstrapFormMixin, DateInput, FilterForm, ListCheckbox, ListDateInput, ListSelect,
                        ListTextInput, blank, keyword_field)
from core.models import Organization

from .models import (CHANNEL_ITEMS, FindingState, InspectionStatus, PublicityItem, QueryStatus,
                     RefusalGround, ReportStatus, StatCategory)
from .selectors import enforcement_units


def _unit_filter(label: str = "执法单位") -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, required=False, widget=ListSelect, empty_label="全部",
                                  queryset=Organization.objects.filter(is_active=True).order_by("kind", "name"))


def _year_filter() -> forms.IntegerField:
    return forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2999,
                              widget=ListTextInput(attrs={"placeholder": "如 2026"}))


class ChannelFilterForm(FilterForm):
    q = keyword_field("单位或网址")
    unit = _unit_filter()
    kind = forms.ChoiceField(label="公示渠道", required=False, choices=blank(PublicityChannel.choices),
                             widget=ListSelect)


class InspectionFilterForm(FilterForm):
    q = keyword_field("季度、总体情况或审议意见")
    year = _year_filter()
    status = forms.ChoiceField(label="状态", required=False, choices=blank(InspectionStatus.choices),
                               widget=ListSelect)


class RequestFilterForm(FilterForm):
    q = keyword_field("统计事项")
    year = _year_filter()


class ReportFilterForm(FilterForm):
    q = keyword_field("报送单位")
    status = forms.ChoiceField(label="状态", required=False, choices=blank(ReportStatus.choices),
                               widget=ListSelect)


class QueryFilterForm(FilterForm):
    q = keyword_field("查询事项、用途、答复或法律依据")
    status = forms.ChoiceField(label="状态", required=False, choices=blank(QueryStatus.choices),
                               widget=ListSelect)
    refusal_ground = forms.ChoiceField(label="不予提供的理由", required=False,
                                       choices=blank(RefusalGround.choices), widget=ListSelect)
    overdue = forms.BooleanField(label="逾期未答复", required=False, widget=ListCheckbox)
    requester = _unit_filter("查询单位")
    addressee = _unit_filter("被查询单位")
    since = forms.DateField(label="查询日期自", required=False, widget=ListDateInput)
    until = forms.DateField(label="查询日期至", required=False, widget=ListDateInput)


class ChannelForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label="执法单位", queryset=Organization.objects.none())
    kind = forms.ChoiceField(label="公示渠道", choices=PublicityChannel.choices)
    address = forms.URLField(label="网址", max_length=300, assume_scheme="https",
                             help_text="该渠道上本单位执法信息公示页面的网址。")

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = None


def _quarters() -> list[tuple[str, str]]:
    today = timezone.localdate()
    out = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(4):
        out.append((f"{year}-Q{quarter}", f"{year}年第{'一二三四'[quarter - 1]}季度"))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return out


class InspectionForm(BootstrapFormMixin, forms.Form):
    period = forms.ChoiceField(label="巡查季度", choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = _quarters()


def finding_field_name(channel: str, item: str) -> str:
    return f"f_{channel}__{item}"


class ResultForm(BootstrapFormMixin, forms.Form):
    """One unit's checklist: each channel × item it must publish."""

    screenshot = forms.FileField(label="巡查截图", required=False,
                                 help_text="巡查时各渠道页面的截图；首次登记须上传。")
    note = forms.CharField(label="巡查说明", max_length=3000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, result=None, **kwargs):
        states = {(f.channel, f.item): f.state for f in result.findings.all()} if result else {}
        super().__init__(*args, **kwargs)
        self.grid = []
        for channel, items in CHANNEL_ITEMS.items():
            row = []
            for item in items:
                name = finding_field_name(channel, item)
                self.fields[name] = forms.ChoiceField(
                    label=f"{PublicityChannel(channel).label}·{PublicityItem(item).label}",
                    choices=FindingState.choices,
                    initial=states.get((channel, item), FindingState.PRESENT),
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
                row.append((PublicityItem(item).label, name))
            self.grid.append((PublicityChannel(channel).label, row))
        if result is not None:
            self.initial.setdefault("note", result.note)

    def grid_fields(self):
        return [(label, [(item, self[name]) for item, name in row]) for label, row in self.grid]

    def states(self) -> dict[tuple[str, str], str]:
        return {(c, i): self.cleaned_data[finding_field_name(c, i)]
                for c, items in CHANNEL_ITEMS.items() for i in items}


class ReviewForm(BootstrapFormMixin, forms.Form):
    review_body = forms.CharField(label="审议会议", max_length=200,
                                  help_text="如：区委全面依法治区委员会第三次会议。")
    reviewed_on = forms.DateField(label="审议日期", widget=DateInput)
    remarks = forms.CharField(label="审议意见", max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))


class CirculateForm(BootstrapFormMixin, forms.Form):
    summary = forms.CharField(label="巡查总体情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    rectify_by = forms.DateField(label="整改期限", required=False, widget=DateInput,
                                 help_text="存在问题的单位须在该日24时前完成整改；将向其签发行政执法监督通知书。")


class RequestForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label="统计事项", max_length=200)
    period_start = forms.DateField(label="统计期间自", widget=DateInput)
    period_end = forms.DateField(label="统计期间至", widget=DateInput)
    due_on = forms.DateField(label="报送期限", widget=DateInput, help_text="各单位须在该日24时前报送。")
    units = forms.ModelMultipleChoiceField(label="报送单位", queryset=Organization.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = enforcement_units()
        if not self.is_bound:
            self.initial.setdefault("units", list(enforcement_units()))
            today = timezone.localdate()
            self.initial.setdefault("due_on", today + dt.timedelta(days=15))


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=10**9)


class ReportForm(BootstrapFormMixin, forms.Form):
    licensing = _count("行政许可")
    penalty = _count("行政处罚")
    coercion = _count("行政强制")
    levy = _count("行政征收")
    charge = _count("行政收费")
    inspection = _count("行政检查")
    major = _count("重大具体行政行为")
    note = forms.CharField(label="说明", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="与平台统计数不一致的，须说明原因。")

    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        for category in StatCategory.values:
            self.fields[category].initial = getattr(report, category)
            self.fields[category].help_text = f"平台统计数：{report.prefill.get(category, 0)}"
        self.fields["note"].initial = report.note

    def figures(self) -> dict[str, int]:
        return {c: self.cleaned_data[c] for c in StatCategory.values}


class QueryForm(BootstrapFormMixin, forms.Form):
    requester = forms.ModelChoiceField(label="查询单位", queryset=Organization.objects.none())
    addressee = forms.ModelChoiceField(label="被查询单位", queryset=Organization.objects.none())
    subject = forms.CharField(label="查询事项", max_length=200)
    purpose = forms.CharField(label="查询用途", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="所需执法信息的内容及用途。")

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = units
        self.fields["requester"].empty_label = None
        self.fields["addressee"].queryset = Organization.objects.filter(is_active=True).exclude(
            kind__in=["expert_pool", "internal_unit"]).order_by("kind", "name")


class AnswerForm(BootstrapFormMixin, forms.Form):
    DECISIONS = (("answer", "提供执法信息"), ("refuse", "不予提供"))
    decision = forms.ChoiceField(label="答复方式", choices=DECISIONS, widget=forms.RadioSelect, initial="answer")
    answer = forms.CharField(label="答复内容", max_length=5000, required=False,
                             widget=forms.Textarea(attrs={"rows": 5}),
                             help_text="提供的执法信息；不予提供的，可在此补充说明。")
    ground = forms.ChoiceField(label="不予提供的理由", required=False, choices=blank(RefusalGround.choices))
    law = forms.CharField(label="法律依据", max_length=300, required=False,
                          help_text="以其他法定事由不予提供的，须写明法律依据（法律名称及条款）。")
