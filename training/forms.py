from __future__ import annotations

from django import forms
from django.utils import timezone

from core.forms import (BootstrapFormMixin, DateInput, FilterForm, ListCheckbox, ListDateInput, ListSelect,
                        ListTextInput, blank)
from core.models import Organization, User

from .models import Topic
from .selectors import UNIT_KINDS


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2999,
                              widget=ListTextInput(attrs={"inputmode": "numeric"}))


class SessionFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "培训名称或授课人"}))
    organizer = forms.ModelChoiceField(label="举办单位", required=False, widget=ListSelect, empty_label="全部",
                                       queryset=Organization.objects.filter(is_active=True).order_by("kind", "name"))
    topic = forms.ChoiceField(label="培训内容", required=False, choices=blank(Topic.choices), widget=ListSelect)
    year = _year_field()
    since = forms.DateField(label="培训日期自", required=False, widget=ListDateInput)
    until = forms.DateField(label="培训日期至", required=False, widget=ListDateInput)


class HoursFilterForm(FilterForm):
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "姓名或用户名"}))
    year = _year_field()
    organization = forms.ModelChoiceField(
        label="单位", required=False, widget=ListSelect, empty_label="全部",
        queryset=Organization.objects.filter(kind__in=UNIT_KINDS, is_active=True).order_by("kind", "name"))
    short = forms.BooleanField(label="只看未达标", required=False, widget=ListCheckbox)


class SessionForm(BootstrapFormMixin, forms.Form):
    organizer = forms.ModelChoiceField(label="举办单位", queryset=Organization.objects.none())
    topic = forms.ChoiceField(label="培训内容", choices=Topic.choices)
    title = forms.CharField(label="培训名称", max_length=200)
    held_on = forms.DateField(label="培训日期", widget=DateInput, initial=lambda: timezone.localdate())
    hours = forms.DecimalField(label="学时", min_value=0.5, max_value=100, decimal_places=1)
    trainer = forms.CharField(label="授课人", max_length=100)
    place = forms.CharField(label="地点", max_length=100, required=False)

    def __init__(self, *args, organizers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = organizers
        self.fields["organizer"].empty_label = None


class AttendeesForm(BootstrapFormMixin, forms.Form):
    attendees = forms.ModelMultipleChoiceField(label="参训人员", queryset=User.objects.none(),
                                               widget=forms.SelectMultiple(attrs={"size": 10}))

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["attendees"].queryset = people
        self.fields["attendees"].label_from_instance = lambda u: f"{u.display_name}（{u.username}）"


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label="参训名单（Excel）",
                           help_text="第一行为表头：姓名、执法证号或用户名、单位（单位可不填）。有一行不符则全部不导入。")
