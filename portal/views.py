"""The public portal's own pages: no sign-in, nothing of the staff layout."""
from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import registry


def portal_context(request) -> dict:
    """What every portal page's layout needs: the sections for its navigation bar."""
    return {"portal_sections": registry.sections()}


@require_safe
def index(request):
    return render(request, "portal/index.html", portal_context(request))
