from django import template

register = template.Library()

STATE_CLASSES = {"open": "primary", "met": "success", "overdue": "danger",
                 "cancelled": "secondary", "waived": "secondary"}


@register.filter
def state_class(state: str) -> str:
    """A deadline state's badge colour."""
    return STATE_CLASSES.get(state, "secondary")
