from __future__ import annotations

from django import forms

from core.forms import BootstrapFormMixin, DateInput, FilterForm, ListDateInput, ListSelect, blank, keyword_field
from core.models import Organization, OrgKind, User
from documents.forms import SupervisionNoticeForm, _MultipleFileField
from documents.supervision import instrument_choices

from . import leads
from .models import (CheckItem, CheckKind, CheckMethod, CheckStatus, LeadStatus, ReviewStatus)
from .selectors import CHECKED_KINDS, checkable_units


def _units() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label="单位", required=False, widget=ListSelect, empty_label="全部",
                                  queryset=Organization.objects.filter(is_active=True, kind__in=CHECKED_KINDS))


class CheckFilterForm(FilterForm):
    q = keyword_field("检查名称或领域")
    kind = forms.ChoiceField(label="检查类别", required=False, choices=blank(CheckKind.choices), widget=ListSelect)
    method = forms.ChoiceField(label="检查方式", required=False, choices=blank(CheckMethod.choices),
                               widget=ListSelect)
    status = forms.ChoiceField(label="状态", required=False, choices=blank(CheckStatus.choices), widget=ListSelect)
    unit = _units()
    since = forms.DateField(label="检查日期自", required=False, widget=ListDateInput)
    until = forms.DateField(label="检查日期至", required=False, widget=ListDateInput)


class CheckForm(BootstrapFormMixin, forms.Form):
    organizer = forms.ModelChoiceField(label="组织单位", queryset=Organization.objects.none())
    title = forms.CharField(label="检查名称", max_length=200)
    kind = forms.ChoiceField(label="检查类别", choices=CheckKind.choices)
    field_note = forms.CharField(label="检查领域或案件", max_length=200, required=False,
                                 help_text="专项检查写明重点领域，重点检查写明所针对的重大案件。")
    method = forms.ChoiceField(label="检查方式", choices=CheckMethod.choices,
                               help_text="暗访不通知被检查单位。")
    items = forms.MultipleChoiceField(label="检查内容", choices=CheckItem.choices,
                                      widget=forms.CheckboxSelectMultiple)
    units = forms.ModelMultipleChoiceField(label="被检查单位", queryset=Organization.objects.none(),
                                           widget=forms.SelectMultiple(attrs={"size": 8}))
    team = forms.ModelMultipleChoiceField(label="检查组成员", queryset=User.objects.none(),
                                          widget=forms.SelectMultiple(attrs={"size": 5}))
    starts_on = forms.DateField(label="检查开始日期", widget=DateInput)
    ends_on = forms.DateField(label="检查结束日期", widget=DateInput)
    materials_request = forms.CharField(label="需提供的材料", max_length=3000, required=False,
                                        widget=forms.Textarea(attrs={"rows": 3}))
    materials_due_on = forms.DateField(label="材料报送期限", required=False, widget=DateInput,
                                       help_text="被检查单位须于该日24时前报送。")

    def __init__(self, *args, organizers=None, organizer_fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        organizers = organizers if organizers is not None else Organization.objects.none()
        self.fields["organizer"].queryset = organizers
        if organizer_fixed:  # a check's organizer stays what it was planned with
            self.fields["organizer"].disabled = True
        if len(organizers) == 1:
            self.fields["organizer"].initial = organizers[0].pk
        organizers = list(organizers)
        units = Organization.objects.none()
        for org in organizers:
            units = units | checkable_units(org)
        self.fields["units"].queryset = units.distinct().order_by("kind", "name")
        self.fields["team"].queryset = User.objects.filter(
            memberships__organization__in=organizers, is_active=True).distinct().order_by("real_name")


class MaterialsForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label="报送说明", max_length=3000, required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))
    files = _MultipleFileField(label="材料", required=False)


class FindingForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label="被检查单位", queryset=Organization.objects.none())
    item = forms.ChoiceField(label="检查内容", choices=CheckItem.choices)
    description = forms.CharField(label="发现的问题", max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    files = _MultipleFileField(label="证据材料", required=False)

    def __init__(self, *args, check=None, **kwargs):
        super().__init__(*args, **kwargs)
        if check is not None:
            self.fields["unit"].queryset = Organization.objects.filter(
                pk__in=check.unit_rows.values("unit_id")).order_by("name")
            self.fields["item"].choices = [(i, CheckItem(i).label) for i in check.items]


class BulletinForm(BootstrapFormMixin, forms.Form):
    summary = forms.CharField(label="检查总体情况", max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    requirements = forms.CharField(label="整改要求", max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text="印发全区各单位，要求对照通报问题举一反三。")


class InstrumentForm(SupervisionNoticeForm):
    """The 条例's three instruments share the notice's parts and limits."""

    kind = forms.ChoiceField(label="文书种类", choices=instrument_choices())
    field_order = ["kind", "facts", "legal_basis", "rectification", "deadline", "report_method", "contact"]

    def __init__(self, *args, user=None, **kwargs):
        # Issuer and addressee are the check's organizer and the unit: not chosen here.
        super().__init__(*args, user=user, **kwargs)
        for name in ("issuer", "addressee", "title", "attachments"):
            del self.fields[name]
        self.fields["rectification"].label = "整改要求（意见书为监督意见，决定书为决定事项）"
        self.order_fields(self.field_order)


class ReviewDrawForm(BootstrapFormMixin, forms.Form):
    department = forms.ModelChoiceField(label="被评查单位", queryset=Organization.objects.none())
    closed_from = forms.DateField(label="结案日期自", widget=DateInput)
    closed_to = forms.DateField(label="结案日期至", widget=DateInput)
    sample_size = forms.IntegerField(label="抽取案卷数", min_value=1, max_value=200, initial=10)
    seed = forms.IntegerField(label="随机种子", required=False, min_value=0, max_value=2**62,
                              help_text="不填则由系统生成并记录；填写已记录的种子可复现同一样本。")

    def __init__(self, *args, check=None, **kwargs):
        super().__init__(*args, **kwargs)
        if check is not None:
            self.fields["department"].queryset = Organization.objects.filter(
                pk__in=check.unit_rows.values("unit_id"), kind=OrgKind.DEPARTMENT).order_by("name")


class ReviewScoreForm(BootstrapFormMixin, forms.Form):
    """One points (or veto) box and one comment per item of the file's standard."""

    comment = forms.CharField(label="评查意见", max_length=3000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            if c.is_veto:
                self.fields[f"veto_{c.pk}"] = forms.BooleanField(label=f"否决项：{c.text}", required=False)
            else:
                self.fields[f"points_{c.pk}"] = forms.IntegerField(
                    label=f"{c.get_section_display()}：{c.text}（{c.points}分）", min_value=0,
                    max_value=c.points, initial=c.points)
            self.fields[f"note_{c.pk}"] = forms.CharField(label="扣分理由" if not c.is_veto else "说明",
                                                          max_length=500, required=False)
        self.order_fields([*(n for c in self.criteria for n in (f"points_{c.pk}", f"veto_{c.pk}", f"note_{c.pk}")),
                           "comment"])
        # The mixin styled the fields declared on the class; these are added per standard.
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def scores(self) -> dict[int, tuple[int, bool, str]]:
        data = self.cleaned_data
        return {c.pk: (data.get(f"points_{c.pk}") or 0, bool(data.get(f"veto_{c.pk}")),
                       data.get(f"note_{c.pk}", "")) for c in self.criteria}


class ReviewFilterForm(FilterForm):
    q = keyword_field("被评查单位或检查名称")
    department = forms.ModelChoiceField(label="被评查单位", required=False, widget=ListSelect, empty_label="全部",
                                        queryset=Organization.objects.filter(is_active=True,
                                                                             kind=OrgKind.DEPARTMENT))
    status = forms.ChoiceField(label="状态", required=False, choices=blank(ReviewStatus.choices), widget=ListSelect)
    check = forms.IntegerField(label="检查", required=False, min_value=1, widget=forms.HiddenInput)


class LeadFilterForm(FilterForm):
    q = keyword_field("事项或单位")
    rule = forms.ChoiceField(label="监测规则", required=False, widget=ListSelect)
    status = forms.ChoiceField(label="状态", required=False, choices=blank(LeadStatus.choices), widget=ListSelect)
    organization = forms.ModelChoiceField(label="涉及单位", required=False, widget=ListSelect, empty_label="全部",
                                          queryset=Organization.objects.filter(is_active=True))
    since = forms.DateField(label="发现日期自", required=False, widget=ListDateInput)
    until = forms.DateField(label="发现日期至", required=False, widget=ListDateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = blank(leads.rule_choices())


class LeadFindingForm(BootstrapFormMixin, forms.Form):
    check = forms.ModelChoiceField(label="监督检查", queryset=Organization.objects.none())
    item = forms.ChoiceField(label="检查内容", choices=CheckItem.choices)
    description = forms.CharField(label="发现的问题", max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, checks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if checks is not None:
            self.fields["check"].queryset = checks
