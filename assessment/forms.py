from __future__ import annotations

from django import forms
from django.utils import timezone

from core.forms import (BootstrapFormMixin, FilterForm, ListSelect, ListTextInput, blank, keyword_field)
from core.models import Organization

from . import indicators
from .models import (Appraisal, AppraisalStatus, Area, Basis, Grade, Honour, Method,
                     OfficerGradeChoice, ReportStatus)
from .selectors import APPRAISED_KINDS, half_year


def _year(label: str = "年度") -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=2000, max_value=2999,
                              widget=ListTextInput(attrs={"inputmode": "numeric"}))


def _units() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label="单位", required=False, widget=ListSelect, empty_label="全部",
                                  queryset=Organization.objects.filter(kind__in=APPRAISED_KINDS,
                                                                       is_active=True))


class AppraisalFilterForm(FilterForm):
    q = keyword_field("考核名称")
    year = _year()
    status = forms.ChoiceField(label="状态", required=False, widget=ListSelect,
                               choices=blank(AppraisalStatus.choices))


class ResultFilterForm(FilterForm):
    q = keyword_field("单位名称")
    grade = forms.ChoiceField(label="等次", required=False, widget=ListSelect, choices=blank(Grade.choices))
    honour = forms.ChoiceField(label="表彰或批评", required=False, widget=ListSelect,
                               choices=blank([c for c in Honour.choices if c[0]]))


class ReversalFilterForm(FilterForm):
    q = keyword_field("单位或说明")
    year = _year()
    unit = _units()


class SelfAssessmentFilterForm(FilterForm):
    q = keyword_field("单位或自评内容")
    year = _year()
    status = forms.ChoiceField(label="状态", required=False, widget=ListSelect,
                               choices=blank(ReportStatus.choices))


def period_choices() -> list[tuple[str, str]]:
    """The half years an evaluation may cover: this one and the four before it."""
    year = timezone.localdate().year
    halves = [(f"{y}-H{h}", f"{y}年{'上' if h == 1 else '下'}半年") for y in (year, year - 1, year - 2)
              for h in (2, 1)]
    current = half_year(timezone.localdate())
    return halves[[v for v, _l in halves].index(current):][:5]


class EvaluationFilterForm(FilterForm):
    q = keyword_field("单位名称")
    year = _year()
    period = forms.ChoiceField(label="评议期间", required=False, widget=ListSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = blank(period_choices())
    status = forms.ChoiceField(label="状态", required=False, widget=ListSelect,
                               choices=blank(ReportStatus.choices))


class ImplementationFilterForm(FilterForm):
    q = keyword_field("单位名称")
    year = _year()


class AppraisalForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2999)
    title = forms.CharField(label="考核名称", max_length=100, required=False,
                            help_text="不填则为“某年度依法行政考核”。")
    copy_from = forms.ModelChoiceField(label="沿用考核指标", required=False,
                                       queryset=Appraisal.objects.order_by("-year"),
                                       empty_label="不沿用，重新制定",
                                       help_text="以往年度的考核指标和分值，建立后仍可修改。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ItemForm(BootstrapFormMixin, forms.Form):
    area = forms.ChoiceField(label="考核内容", choices=Area.choices)
    title = forms.CharField(label="考核指标", max_length=200)
    weight = forms.DecimalField(label="分值", min_value=0.5, max_value=100, decimal_places=1)
    method = forms.ChoiceField(label="评分方式", choices=Method.choices,
                               help_text="司法局评分：依据日常掌握情况、年度集中考核、明察暗访评分；"
                                         "平台计算：按所选数据来源自动计算。")
    indicator = forms.ChoiceField(label="数据来源", required=False,
                                  help_text="平台计算的指标须选择。")
    criteria = forms.CharField(label="评分标准", max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = blank(indicators.choices())


class ScoreForm(BootstrapFormMixin, forms.Form):
    points = forms.DecimalField(label="得分", min_value=0, decimal_places=1)
    basis = forms.ChoiceField(label="评分依据", choices=Basis.choices)
    note = forms.CharField(label="评分说明", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="扣分的事实和依据。")
    file = forms.FileField(label="证明材料", required=False, help_text="检查记录、照片等。")


class HonourForm(BootstrapFormMixin, forms.Form):
    honour = forms.ChoiceField(label="表彰或批评", choices=Honour.choices, required=False)
    note = forms.CharField(label="事由", max_length=2000, required=False)


class ReversalForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2999)
    unit = forms.ModelChoiceField(label="单位", queryset=Organization.objects.filter(
        kind__in=APPRAISED_KINDS, is_active=True).order_by("kind", "name"))
    reconsideration_reversed = forms.IntegerField(label="行政复议被纠错件数", min_value=0, max_value=999)
    litigation_lost = forms.IntegerField(label="行政诉讼败诉件数", min_value=0, max_value=999)
    note = forms.CharField(label="说明", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class SelfAssessmentForm(BootstrapFormMixin, forms.Form):
    """The report and a points field (and a note) per indicator of the scheme."""

    summary = forms.CharField(label="自评报告", max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 8}),
                              help_text="本单位本年度依法行政和行政执法工作情况。")

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"points_{item.pk}"] = forms.DecimalField(
                label=f"{item.title}（{item.weight_text}分）", min_value=0, max_value=item.weight,
                decimal_places=1, widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}))
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=f"{item.title}自评说明", max_length=500, required=False,
                widget=forms.TextInput(attrs={"class": "form-control"}))

    def scores(self) -> dict:
        d = self.cleaned_data
        return {i.pk: (d[f"points_{i.pk}"], d.get(f"note_{i.pk}", "")) for i in self.items}


class EvaluationForm(BootstrapFormMixin, forms.Form):
    department = forms.ModelChoiceField(label="评议单位", queryset=Organization.objects.none())
    period = forms.ChoiceField(label="评议期间")

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = units
        self.fields["department"].empty_label = None
        self.fields["period"].choices = period_choices()
        self.fields["period"].initial = half_year(timezone.localdate())


class GradesForm(forms.Form):
    """A grade and remarks per officer of the evaluation."""

    def __init__(self, *args, grades=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(grades)
        for g in self.rows:
            self.fields[f"grade_{g.officer_id}"] = forms.ChoiceField(
                label=f"{g.officer}评议等次", required=False, choices=blank(OfficerGradeChoice.choices),
                initial=g.grade, widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
            self.fields[f"remarks_{g.officer_id}"] = forms.CharField(
                label=f"{g.officer}评语", required=False, max_length=500, initial=g.remarks,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
            g.grade_field = self[f"grade_{g.officer_id}"]
            g.remarks_field = self[f"remarks_{g.officer_id}"]

    def grades(self) -> dict:
        d = self.cleaned_data
        return {g.officer_id: (d[f"grade_{g.officer_id}"], d[f"remarks_{g.officer_id}"]) for g in self.rows}


class ImplementationNoticeForm(BootstrapFormMixin, forms.Form):
    facts = forms.CharField(label="存在的问题", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    requirements = forms.CharField(label="工作要求", max_length=3000,
                                   widget=forms.Textarea(attrs={"rows": 4}))
