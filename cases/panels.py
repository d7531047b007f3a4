"""Panels other apps show on the case detail page (evidence, discipline, transfers …),
registered from their AppConfig.ready() so the cases app never imports them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from django.http import HttpRequest
from django.template.loader import render_to_string

from .models import EnforcementCase


@dataclass(frozen=True)
class CasePanel:
    key: str
    title: str
    # Rendered with the context below plus ``case``, ``panel`` and ``request``.
    template: str
    # Returns the panel's context, or None when the panel has nothing to show for this
    # case or this user (the panel is then left out). Reads go through the app's selectors.
    context: Callable[[HttpRequest, EnforcementCase], dict[str, Any] | None]
    order: int = 100


_PANELS: dict[str, CasePanel] = {}


def register(panel: CasePanel) -> CasePanel:
    _PANELS[panel.key] = panel
    return panel


def registered() -> list[CasePanel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


@dataclass(frozen=True)
class RenderedPanel:
    key: str
    title: str
    html: str


def render_panels(request: HttpRequest, case: EnforcementCase) -> list[RenderedPanel]:
    rendered = []
    for panel in registered():
        context = panel.context(request, case)
        if context is None:
            continue
        html = render_to_string(panel.template, {**context, "case": case, "panel": panel},
                                request=request)
        rendered.append(RenderedPanel(panel.key, panel.title, html))
    return rendered
