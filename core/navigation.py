"""The navigation registry: each app lists its pages once, with the capability that
opens them, so the menu and the home page link only to what exists and what the user
may use."""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from . import policy


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str | None = None  # None: any signed-in member of an organisation
    description: str = ""
    order: int = 100


_ITEMS: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _ITEMS:
            _ITEMS.append(item)
    _ITEMS.sort(key=lambda i: i.order)


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    v = policy.viewer(user)
    shown = []
    for item in _ITEMS:
        if item.capability is None:
            if not v.org_ids:
                continue
        elif not (v.sees_all or policy.has_capability(user, item.capability)):
            continue
        shown.append({"label": item.label, "url": reverse(item.url_name),
                      "description": item.description})
    return shown
