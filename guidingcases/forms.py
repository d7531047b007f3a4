from __future__ import annotations

from django import forms
from django.utils import timezone

from cases.models import ActType, CaseStatus, EnforcementCase
from core import policy
from core.forms import BootstrapFormMixin, DateInput, FilterForm, ListSelect, ListTextInput, blank
from core.models import Organization, OrgKind

from .models import REASONS, GuidingStatus, OpinionConclusion, Origin
from .selectors import expert_choices


class GuidingCaseFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "标题、案情、指导意义或案件编号"}))
    year = forms.IntegerField(label="案例年度", required=False, min_value=2000, max_value=2999,
                              widget=ListTextInput(attrs={"inputmode": "numeric"}))
    department = forms.ModelChoiceField(
        label="办案单位", required=False, widget=ListSelect, empty_label="全部",
        queryset=Organization.objects.filter(kind=OrgKind.DEPARTMENT, is_active=True).order_by("name"))
    act_type = forms.ChoiceField(label="行为类别", required=False, choices=blank(ActType.choices),
                                 widget=ListSelect)
    origin = forms.ChoiceField(label="来源", required=False, choices=blank(Origin.choices),
                               widget=ListSelect)
    status = forms.ChoiceField(label="状态", required=False, choices=blank(GuidingStatus.choices),
                               widget=ListSelect)


class GuidingCaseForm(BootstrapFormMixin, forms.Form):
    case = forms.ModelChoiceField(label="原案件", queryset=EnforcementCase.objects.none(),
                                  help_text="本单位已结案的案件；行为类别随案件。")
    reasons = forms.MultipleChoiceField(label="选择理由", choices=list(REASONS.items()),
                                        widget=forms.CheckboxSelectMultiple)
    title = forms.CharField(label="案例标题", max_length=200)
    facts = forms.CharField(label="基本案情", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
                            help_text="当事人姓名、身份证号码等个人信息由系统自动隐去。")
    handling = forms.CharField(label="处理结果", max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    significance = forms.CharField(label="指导意义", max_length=3000,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label="法律依据", max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, bureau=False, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {
                "reasons": [n for n in REASONS if getattr(instance, n)],
                **{n: getattr(instance, n) for n in ("title", "facts", "handling", "significance",
                                                     "legal_basis")}})
        super().__init__(*args, **kwargs)
        if instance is not None:
            del self.fields["case"]
            return
        cases = policy.visible_to(user, EnforcementCase).filter(
            status=CaseStatus.CLOSED, guiding_case__isnull=True).select_related("department")
        if not bureau:
            cases = cases.filter(department__in=policy.organizations_with(user, "guidingcase.nominate"))
        self.fields["case"].queryset = cases.order_by("-closed_on", "-id")
        self.fields["case"].label_from_instance = (
            lambda c: f"{c.number}（{c.department.short_name}，{c.get_act_type_display()}，{c.closed_on:%Y年%m月%d日}结案）")


class InviteForm(BootstrapFormMixin, forms.Form):
    experts = forms.ModelMultipleChoiceField(label="论证专家", queryset=expert_choices(),
                                             widget=forms.CheckboxSelectMultiple)
    due_on = forms.DateField(label="意见期限", widget=DateInput, help_text="专家须在该日24时前提交论证意见。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = expert_choices()
        self.fields["experts"].label_from_instance = lambda u: u.display_name


class OpinionForm(BootstrapFormMixin, forms.Form):
    conclusion = forms.ChoiceField(label="论证结论", choices=OpinionConclusion.choices,
                                   widget=forms.RadioSelect)
    opinion = forms.CharField(label="论证意见", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))


class PublishForm(BootstrapFormMixin, forms.Form):
    in_gazette = forms.BooleanField(label="政府公报", required=False)
    in_press = forms.BooleanField(label="报刊", required=False)
    in_compilation = forms.BooleanField(label="案例汇编", required=False)
    published_on = forms.DateField(label="发布日期", widget=DateInput,
                                   initial=lambda: timezone.localdate())


class CompilationForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label="案例年度", min_value=2000, max_value=2999,
                              initial=lambda: timezone.localdate().year)


class PublicFilterForm(FilterForm):
    year = forms.IntegerField(label="案例年度", required=False, min_value=2000, max_value=2999,
                              widget=ListTextInput(attrs={"inputmode": "numeric"}))
    act_type = forms.ChoiceField(label="行为类别", required=False, choices=blank(ActType.choices),
                                 widget=ListSelect)
