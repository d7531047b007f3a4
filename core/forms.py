from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from .models import Organization


class DateInput(forms.DateInput):
    input_type = "date"


class BootstrapFormMixin:
    """Gives every widget Bootstrap's classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple,
                                   forms.RadioSelect)):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class EventFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label="关键词", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "对象、说明或操作人"}))
    organization = forms.ModelChoiceField(label="单位", required=False,
                                          queryset=Organization.objects.filter(is_active=True))
    since = forms.DateField(label="起始日期", required=False, widget=DateInput)
    until = forms.DateField(label="截止日期", required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data

    def filter(self, qs: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data.get("q"):
            q = data["q"]
            qs = qs.filter(Q(target_repr__icontains=q) | Q(note__icontains=q)
                           | Q(actor__real_name__icontains=q) | Q(actor__username__icontains=q))
        if data.get("organization"):
            qs = qs.filter(organization=data["organization"])
        if data.get("since"):
            qs = qs.filter(created_at__date__gte=data["since"])
        if data.get("until"):
            qs = qs.filter(created_at__date__lte=data["until"])
        return qs


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form
    has that field, else at the top — so the page keeps what was typed and says why."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
