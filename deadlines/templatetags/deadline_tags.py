from django import template

from .. import calendar

register = template.Library()


@register.filter
def due_text(value) -> str:
    """A due instant as the bureau writes it ("2026年2月25日24时")."""
    return calendar.due_text(value) if value else ""


STATE_CLASSES = {"open": "primary", "met": "success", "overdue": "danger",
                 "cancelled": "secondary", "waived": "secondary"}


@register.filter
def state_class(state: str) -> str:
    return STATE_CLASSES.get(state, "secondary")
