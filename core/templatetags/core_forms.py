"""``{{ field|widget }}``: a filter field's widget, built in Python (core.forms.widget_html)."""
from django import template

from core.forms import widget_html

register = template.Library()


@register.filter
def widget(bound):
    return widget_html(bound)
