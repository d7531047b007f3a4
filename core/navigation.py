"""The navigation registry: each app lists its pages once, with the capability that
opens them, so the menu and the home page link only to what exists and what the user
may use."""
from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
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


def _visible(user) -> list[NavItem]:
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
        shown.append(item)
    return shown


def items_for(user) -> list[dict]:
    """The pages this user may open, for the home page's tiles."""
    return [{"label": item.label, "url": reverse(item.url_name), "description": item.description}
            for item in _visible(user)]


def menu_for(user) -> list[dict]:
    """The navigation bar: an app's pages under one drop-down named after the app (its
    AppConfig.verbose_name) when it has several, a plain link when it has one — so the
    bar stays one line however many mechanisms register pages."""
    groups: dict[str, dict] = {}
    for item, entry in zip(_visible(user), items_for(user)):
        app_label = item.url_name.split(":", 1)[0]
        group = groups.setdefault(app_label, {"label": apps.get_app_config(app_label).verbose_name,
                                              "items": []})
        group["items"].append(entry)
    return list(groups.values())
