"""The navigation registry: each app lists its pages once, with the capability that
opens them, so the menu and the home page link only to what exists and what the user
may use."""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from . import policy


# The menu groups the mechanisms as the plan does (二、), so fifteen of them fit one bar:
# 协调 M1 M2 M6 M15 · 监督 M3 M5 M7 M8 M9 · 衔接 M4 M10 M14 · 保障 M11 M12 M13 W1–W3.
# Pages every unit uses daily (cases, time limits, documents) stand on their own.
GROUPS: dict[str, str] = {
    "coordination": "协调",
    "supervision": "监督",
    "linkage": "衔接",
    "safeguard": "保障",
    "system": "系统",
}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str | None = None  # None: any signed-in member of an organisation
    description: str = ""
    order: int = 100
    group: str = ""  # a key of GROUPS; "" for a link of its own on the bar

    def __post_init__(self) -> None:
        if self.group and self.group not in GROUPS:
            raise ValueError(f"unknown menu group {self.group!r}")


_ITEMS: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _ITEMS:
            _ITEMS.append(item)
    _ITEMS.sort(key=lambda i: i.order)


def _visible(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in _ITEMS if policy.may_open(user, item.capability)]


def items_for(user) -> list[dict]:
    """The pages this user may open, for the home page's tiles."""
    return [{"label": item.label, "url": reverse(item.url_name), "description": item.description}
            for item in _visible(user)]


def menu_for(user) -> list[dict]:
    """The navigation bar: the daily pages as links, then the plan's groups as drop-downs
    holding only the pages this user may open (a group with none is not shown)."""
    bar: list[dict] = []
    groups: dict[str, dict] = {}
    for item in _visible(user):
        entry = {"label": item.label, "url": reverse(item.url_name)}
        if not item.group:
            bar.append({"label": item.label, "items": [entry]})
            continue
        if item.group not in groups:
            groups[item.group] = {"label": GROUPS[item.group], "items": []}
        groups[item.group]["items"].append(entry)
    return bar + [groups[key] for key in GROUPS if key in groups]
