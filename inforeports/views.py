"""Information-report pages on the shared web layer (core.pages): the reports, a report
with its attachments and the bureau's adoption, the form, and the monthly table per unit
(W3)."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import formats, pages, policy

from . import selectors, services
from .forms import MonthlyFilterForm, ReportFilterForm, ReportForm
from .models import InfoReport
from .workflow import REPORT_WORKFLOW

VIEW = "inforeport.view"


class ReportList(pages.ListPage):
    capability = VIEW
    title = "执法信息报送"
    template_name = "inforeports/report_list.html"
    filter_form = ReportFilterForm
    export_kind = "info_reports"
    columns = (("标题", lambda r: r.title), ("报送单位", lambda r: r.unit.name),
               ("报送人", lambda r: r.created_by.display_name), ("报送时间", lambda r: formats.moment_text(r.created_at)),
               ("状态", lambda r: r.get_status_display()))

    def get_queryset(self, request, filters):
        return selectors.report_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"may_submit": services.may_submit(request.user)}


class ReportNew(pages.FormPage):
    capability = "inforeport.submit"
    form_class = ReportForm
    title = "报送执法信息"
    submit_label = "报送"
    multipart = True
    success_message = "执法信息已报送区司法局。"

    def get_form_kwargs(self, request, obj):
        return {"units": policy.organizations_with(request.user, "inforeport.submit")
                .filter(kind__in=selectors.UNIT_KINDS).order_by("name")}

    def save(self, request, form, obj):
        data = form.cleaned_data
        f = data["file"]
        return services.info_report_submit(actor=request.user, unit=data["unit"], title=data["title"],
                                           text=data["text"], files=[(f, f.name, f.size)] if f else ())


class ReportDetail(pages.DetailPage):
    capability = VIEW
    model = InfoReport
    template_name = "inforeports/report_detail.html"
    workflow = REPORT_WORKFLOW
    transition_url_name = "inforeports:transition"
    fields = ("unit", "created_by", "created_at", "month", "status", "adopted_by", "adopted_at")

    def get_object(self, request, pk):
        return selectors.report_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        return {"files": selectors.files_of(request.user, obj)}


class ReportTransition(pages.TransitionView):
    workflow = REPORT_WORKFLOW

    def get_object(self, request, pk):
        return selectors.report_get(request.user, pk)

    def transition(self, request, report, target, note):
        if target != "adopted":
            raise ValidationError("请求无效，请刷新页面后重试。")
        return services.info_report_adopt(actor=request.user, report=report)


class MonthlyTable(pages.ListPage):
    capability = VIEW
    title = "执法信息月度报送情况"
    template_name = "inforeports/monthly.html"
    filter_form = MonthlyFilterForm
    export_kind = "info_reports_monthly"
    page_size = 100
    # Rows drawn by the template: each unit links to its reports of the month.

    def get_queryset(self, request, filters):
        self._month = filters.get("month") or selectors.month_start(timezone.localdate())
        return selectors.monthly_table(request.user, self._month, filters)

    def extra_context(self, request, **kwargs):
        month = getattr(self, "_month", selectors.month_start(timezone.localdate()))
        needed = settings.INFO_REPORTS_PER_MONTH
        return {"month": month, "month_key": f"{month:%Y-%m}", "needed": needed,
                "units": [(u, max(needed - u.submitted, 0)) for u in kwargs["page"]]}
