from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from core import policy

from . import registry, selectors
from .exports import dashboard_xlsx_response
from .forms import DashboardFilterForm


def _scope(request: HttpRequest) -> tuple[DashboardFilterForm, registry.Scope]:
    policy.require(request.user, "dashboard.view")
    units = selectors.dashboard_organizations(request.user)
    form = DashboardFilterForm(request.GET or None, organizations=units[0])
    scope = selectors.dashboard_scope(request.user, period=form.resolved_period(),
                                      organization=form.resolved_org(), units=units)
    return form, scope


def page_context(request: HttpRequest, form: DashboardFilterForm, scope: registry.Scope,
                 panels: list[registry.Panel], attention: list) -> dict:
    """The template's context (also what the benchmark renders, part by part)."""
    charts = {chart.key: chart.option() for panel in panels for chart in panel.charts}
    under = {"deadlines": selectors.attention_html(attention)}
    return {
        "form": form,
        "scope": scope,
        "panels": panels,
        "panels_html": mark_safe("".join(panel.html(under.get(panel.key, "")) for panel in panels)),
        "attention": attention,
        "charts": registry.json_script(charts, "dashboard-charts"),
        "query": request.GET.urlencode(),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    form, scope = _scope(request)
    panels = registry.build_panels(scope)
    return render(request, "dashboard/index.html",
                  page_context(request, form, scope, panels, selectors.attention(scope)))


@login_required
def export(request: HttpRequest) -> HttpResponse:
    _form, scope = _scope(request)
    return dashboard_xlsx_response(request.user, scope, registry.build_panels(scope))
