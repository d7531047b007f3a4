from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
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


def widget_html(bound: forms.BoundField) -> SafeString:
    """A filter field's widget as Django would render it, built in Python for the plain
    kinds (single <select>, text/date/number <input>): Django renders every <option>
    through a template, and a filter bar of a few selects then costs more than the page's
    queries. Any other widget is rendered by Django."""
    widget = bound.field.widget
    if type(widget) not in _FAST_WIDGETS:
        return bound.as_widget()
    # Django's own attributes (required, aria-invalid, aria-describedby) for this field.
    attrs = {**bound.build_widget_attrs(dict(widget.attrs), widget), "id": bound.auto_id}
    attr_html = "".join(f" {k}" if v is True else f' {k}="{escape(v)}"'
                        for k, v in attrs.items() if v is not None and v is not False)
    name = escape(bound.html_name)
    if isinstance(widget, forms.Select):
        value = bound.value()
        chosen = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if str(v) == chosen else ""}>{escape(label)}</option>'
            for v, label in bound.field.choices)
        return mark_safe(f'<select name="{name}"{attr_html}>{options}</select>')
    value = widget.format_value(bound.value())
    value_html = "" if value in (None, "") else f' value="{escape(value)}"'
    return mark_safe(f'<input type="{widget.input_type}" name="{name}"{value_html}{attr_html}>')


_FAST_WIDGETS = (forms.Select, forms.TextInput, forms.NumberInput, forms.DateInput, DateInput)
