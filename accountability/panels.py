"""Panels other apps show on a proceeding's page (the exemption claim of M12.3), registered
from their ``ready()`` so the accountability app never imports them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from django.http import HttpRequest
from django.template.loader import render_to_string


@dataclass(frozen=True)
class ProceedingPanel:
    key: str
    # Rendered with the context below plus ``proceeding`` and ``request``.
    template: str
    # The panel's context, or None when it has nothing for this proceeding or user.
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]
    order: int = 100


_PANELS: dict[str, ProceedingPanel] = {}


def register(panel: ProceedingPanel) -> ProceedingPanel:
    _PANELS[panel.key] = panel
    return panel


def render_panels(request: HttpRequest, proceeding) -> list[str]:
    html = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(request, proceeding)
        if context is not None:
            html.append(render_to_string(panel.template, {**context, "proceeding": proceeding},
                                         request=request))
    return html
