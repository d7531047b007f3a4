from __future__ import annotations

import html

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .models import Organization


class DateInput(forms.DateInput):
    """The browser's date picker, which needs its value as YYYY-MM-DD whatever the locale."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 (Django's name)
        super().__init__(attrs, format=format)


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; the one definition every form uses."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


# What a datetime-local input sends, and what a person types into a plain text box.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


def DateTimeField(label: str, **kwargs) -> forms.DateTimeField:  # noqa: N802 (a field factory)
    kwargs.setdefault("widget", DateTimeInput())
    kwargs.setdefault("input_formats", DATETIME_FORMATS)
    return forms.DateTimeField(label=label, **kwargs)


class ListSelect(forms.Select):
    """A select rendered in Python, for filter bars: they sit on every list page (and the
    dashboard), and Django's per-option widget templates cost more than the rest of the
    page's rendering. The same HTML as ``forms.Select`` (core/tests/test_forms.py); flat
    choices only, no option groups."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        # The standard library's escape, which Django's ``escape`` wraps: the same
        # output without a lazy-string check per value and label.
        options = "".join(
            f'<option value="{html.escape(str(v))}"{" selected" if str(v) in selected else ""}>'
            f'{html.escape(str(label))}</option>'
            for v, label in self.choices)
        return format_html("<select name=\"{}\"{}>{}</select>", name,
                           flatatt(self.build_attrs(self.attrs, attrs)), mark_safe(options))


class ListInputMixin:
    """An <input> rendered in Python, for the same reason as ListSelect."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html('<input type="{}" name="{}"{}{}>', widget["type"], name, shown,
                           flatatt(widget["attrs"]))


class ListTextInput(ListInputMixin, forms.TextInput):
    pass


class ListDateInput(ListInputMixin, DateInput):
    pass


class ListCheckbox(ListInputMixin, forms.CheckboxInput):
    pass


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


def blank(choices) -> list[tuple[str, str]]:
    """A filter's choices with 全部 first."""
    return [("", "全部"), *choices]


class FilterForm(BootstrapFormMixin, forms.Form):
    """The filter bar of a list (``core.pages.ListPage``). A subclass declares its fields
    with the List* widgets; ``q`` is the keyword search when it declares one.

    ``filters()`` gives the values the selector takes; a form that cannot be read (a
    mistyped date, an unknown choice) gives none, and the list then shows the form's
    error and no rows — never more rows than a dashboard figure's link promised.
    """

    wide_fields: tuple[str, ...] = ("q",)
    # (first field, last field, what the range is of): a range whose start is after its
    # end is refused ("立案日期的起始日期不能晚于截止日期。"); "" for a plain date range.
    date_ranges: tuple[tuple[str, str, str], ...] = (("since", "until", ""),)

    def clean(self):
        data = super().clean()
        for first, last, what in self.date_ranges:
            if data.get(first) and data.get(last) and data[first] > data[last]:
                raise forms.ValidationError(f"{what}日期的起始日期不能晚于截止日期。" if what
                                            else "起始日期不能晚于截止日期。")
        return data

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", False, [])}

    def as_filter_bar(self) -> str:
        """The fields as a list lays them out (label above, errors below; a check box with
        its label beside it), rendered in Python like the widgets (they sit on every
        list page: the case list's budget is 3 × a bare page)."""
        cells = []
        for field in self:
            errors = (format_html('<div class="text-danger small">{}</div>', "；".join(field.errors))
                      if field.errors else "")
            width = "col-12 col-md-6" if field.name in self.wide_fields else "col-6 col-md-3"
            if isinstance(field.field.widget, forms.CheckboxInput):
                cells.append(format_html(
                    '<div class="col-6 col-md-3 form-check pt-4 ps-4">{} <label class="form-check-label'
                    ' small" for="{}">{}</label>{}</div>', field, field.id_for_label, field.label, errors))
            else:
                cells.append(format_html(
                    '<div class="{}"><label class="form-label small" for="{}">{}</label>'
                    '{}{}</div>', width, field.id_for_label, field.label, field, errors))
        return mark_safe("\n".join(cells))


def keyword_field(placeholder: str = "") -> forms.CharField:
    """A filter bar's 关键词 box (``q``), its placeholder saying what it searches."""
    attrs = {"placeholder": placeholder} if placeholder else {}
    return forms.CharField(label="关键词", required=False, max_length=100, widget=ListTextInput(attrs=attrs))


class EventFilterForm(FilterForm):
    """The audit trail's filters (core.audit_trail.event_list)."""

    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=ListTextInput(attrs={"placeholder": "对象、说明或操作人"}))
    organization = forms.ModelChoiceField(label="单位", required=False, widget=ListSelect,
                                          queryset=Organization.objects.filter(is_active=True),
                                          empty_label="全部")
    verb = forms.ChoiceField(label="动作", required=False, widget=ListSelect)
    since = forms.DateField(label="起始日期", required=False, widget=ListDateInput)
    until = forms.DateField(label="截止日期", required=False, widget=ListDateInput)

    def __init__(self, *args, **kwargs):
        from .audit import VERB_LABELS

        super().__init__(*args, **kwargs)
        self.fields["verb"].choices = blank(sorted(VERB_LABELS.items(), key=lambda kv: kv[1]))


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form
    has that field, else at the top — so the page keeps what was typed and says why."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def search_keyword(params) -> str:
    """A list's 关键词 (``q``) read without a form: trimmed, and without NUL characters —
    no stored text holds one, and PostgreSQL refuses them in a query (a pasted or crafted
    ``%00`` was a server error). Django's form fields reject them in the same way."""
    return params.get("q", "").replace("\x00", "").strip()
