from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core import pages

from . import registry, selectors
from .exports import dashboard_xlsx_response
from .forms import DashboardFilterForm


def _scope(request: HttpRequest) -> tuple[DashboardFilterForm, registry.Scope]:
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
        "overview_html": registry.overview_html(panels, under),
        "tabs": [(panel.key, panel.title, panel.tab_html()) for panel in panels if panel.has_tab],
        "attention": attention,
        "charts": registry.json_script(charts, "dashboard-charts"),
        "export_url": f"?{request.GET.urlencode()}&export=xlsx" if request.GET else "?export=xlsx",
    }


class Dashboard(pages.Page):
    """The dashboard, and its tables as Excel at its own address (``?export=xlsx``)."""

    capability = "dashboard.view"
    template_name = "dashboard/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form, scope = _scope(request)
        panels = registry.build_panels(scope)
        if request.GET.get("export") == "xlsx":
            return dashboard_xlsx_response(request.user, scope, panels)
        return render(request, self.template_name,
                      page_context(request, form, scope, panels, selectors.attention(scope)))
