"""Filters every page uses to show moments and values as the bureau writes them."""
from __future__ import annotations

import uuid

from django import template

from core import formats

register = template.Library()


@register.filter
def due(value) -> str:
    """A time limit's end: "2026年4月9日24时"."""
    return formats.due_text(value)


@register.filter
def moment(value) -> str:
    """When something happened: "2026年4月9日 15:30"."""
    return formats.moment_text(value)


@register.filter
def day(value) -> str:
    return formats.date_text(value)


@register.simple_tag
def submission_key() -> str:
    """The form's one-time key (``core.pages``): posted twice, it is carried out once."""
    from django.utils.html import format_html

    from core.pages import SUBMISSION_FIELD

    return format_html('<input type="hidden" name="{}" value="{}">', SUBMISSION_FIELD, uuid.uuid4())
