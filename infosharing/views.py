"""Information-sharing pages on the shared web layer (core.pages): the channels directory
(M5.2), the quarterly web inspection from checklist to bulletin (M5.3), statistics
requests with the district table (M5.4), and queries between agencies (M5.5)."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import PublicityChannel
from core import formats, pages, policy
from core.models import Organization

from . import selectors, services
from .forms import (AnswerForm, ChannelFilterForm, ChannelForm, CirculateForm, InspectionFilterForm,
                    InspectionForm, QueryFilterForm, QueryForm, ReportFilterForm, ReportForm,
                    RequestFilterForm, RequestForm, ResultForm, ReviewForm)
from .models import (CHANNEL_ITEMS, InfoQuery, InspectionStatus, PublicityItem, QueryStatus,
                     StatCategory, StatisticsReport, UnitResult, WebInspection)
from .workflow import INSPECTION_WORKFLOW, QUERY_WORKFLOW

VIEW = "infosharing.view"


def _justice_bureau(user) -> Organization:
    """The bureau the user inspects for (the justice bureau they belong to)."""
    org = policy.organizations_with(user, "infosharing.inspect").first()
    if org is None:
        raise ValidationError("您不是区司法局的监督员。")
    return org


class _BureauList(pages.ListPage):
    """A list whose page offers the bureau's own new-record form."""

    capability = VIEW

    def extra_context(self, request, **kwargs):
        return {"may_inspect": services.may_inspect(request.user)}


class _BureauForm(pages.FormPage):
    """A new record only the justice bureau's supervisors make (an inspection, a request),
    in the name of their bureau; cancelling goes back to ``list_url_name``."""

    capability = "infosharing.inspect"
    list_url_name: str

    def check(self, request, obj):
        services.may_inspect.require(request.user)

    def cancel_url(self, request, obj):
        return reverse(self.list_url_name)


# --- channels (M5.2) -------------------------------------------------------------------
class ChannelList(pages.ListPage):
    capability = VIEW
    title = "公示渠道"
    template_name = "infosharing/channel_list.html"
    filter_form = ChannelFilterForm
    export_kind = "infosharing_channels"
    columns = (("执法单位", lambda c: c.unit.name), ("公示渠道", lambda c: c.get_kind_display()),
               ("网址", lambda c: c.address), ("应公示内容", lambda c: "、".join(c.items)),
               ("登记时间", lambda c: formats.moment_text(c.updated_at)))

    def get_queryset(self, request, filters):
        return selectors.channel_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"may_keep": services.may_keep_channels(request.user),
                "required": [(PublicityChannel(c).label, [PublicityItem(i).label for i in items])
                             for c, items in CHANNEL_ITEMS.items()],
                "missing": selectors.units_without_channels()}


class ChannelSave(pages.FormPage):
    capability = VIEW
    form_class = ChannelForm
    title = "登记公示渠道"
    success_message = "公示渠道已登记。"

    def check(self, request, obj):
        services.may_keep_channels.require(request.user)

    def get_form_kwargs(self, request, obj):
        user = request.user
        units = (selectors.enforcement_units() if services.may_inspect(user)
                 else policy.organizations_with(user, "infosharing.channels"))
        return {"units": units, "initial": {"unit": request.GET.get("unit"), "kind": request.GET.get("kind")}}

    def cancel_url(self, request, obj):
        return reverse("infosharing:channels")

    def save(self, request, form, obj):
        data = form.cleaned_data
        return services.channel_save(actor=request.user, unit=data["unit"], kind=data["kind"],
                                     address=data["address"])


# --- the quarterly web inspection (M5.3) -----------------------------------------------
class InspectionList(_BureauList):
    title = "网上巡查"
    template_name = "infosharing/inspection_list.html"
    filter_form = InspectionFilterForm
    export_kind = "infosharing_inspections"
    columns = (("巡查季度", lambda i: i.period_label), ("巡查单位", lambda i: i.units),
               ("发现问题的单位", lambda i: i.with_problems), ("状态", lambda i: i.get_status_display()),
               ("通报", lambda i: i.bulletin.number if i.bulletin else ""))

    def get_queryset(self, request, filters):
        return selectors.inspection_list(request.user, filters)


class InspectionNew(_BureauForm):
    list_url_name = "infosharing:inspections"
    form_class = InspectionForm
    title = "开展网上巡查"
    submit_label = "开始巡查"
    success_message = "网上巡查已开始，请逐个单位登记巡查结果。"

    def save(self, request, form, obj):
        return services.inspection_open(actor=request.user, bureau=_justice_bureau(request.user),
                                        period=form.cleaned_data["period"])


class InspectionDetail(pages.DetailPage):
    capability = VIEW
    model = WebInspection
    template_name = "infosharing/inspection_detail.html"
    workflow = INSPECTION_WORKFLOW
    workflow_exclude = (InspectionStatus.REVIEWED, InspectionStatus.CIRCULATED)
    transition_url_name = "infosharing:inspection_transition"
    fields = ("status", "created_by", "created_at", "reported_at", "review_body",
              "reviewed_on", "review_remarks", "circulated_at", "rectify_by", "summary")

    def get_object(self, request, pk):
        return selectors.inspection_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        may = services.may_inspect(user, obj.bureau)
        return {"results": selectors.results_of(user, obj),
                "may_check": obj.status == InspectionStatus.CHECKING and may,
                "may_review": obj.status == InspectionStatus.REPORTED and may,
                "may_circulate": obj.status == InspectionStatus.REVIEWED and may}


class InspectionTransition(pages.TransitionView):
    workflow = INSPECTION_WORKFLOW

    def get_object(self, request, pk):
        return selectors.inspection_get(request.user, pk)

    def transition(self, request, inspection, target, note):
        if target != InspectionStatus.REPORTED:
            raise ValidationError("请通过相应表单办理。")
        return services.inspection_report(actor=request.user, inspection=inspection)


class InspectionReview(pages.FormPage):
    capability = "infosharing.inspect"
    form_class = ReviewForm
    title = "登记区委全面依法治区委员会审议意见"
    success_message = "已登记委员会审议意见，可签发网上巡查情况通报。"

    def get_object(self, request, pk: int):
        return selectors.inspection_get(request.user, pk)

    def check(self, request, inspection):
        services.may_inspect.require(request.user, inspection.bureau)

    def save(self, request, form, inspection):
        return services.inspection_review(actor=request.user, inspection=inspection, **form.cleaned_data)


class InspectionCirculate(InspectionReview):
    form_class = CirculateForm
    title = "签发网上巡查情况通报"
    submit_label = "签发通报"
    success_message = "网上巡查情况通报已印发全区，存在问题的单位已收到整改通知书。"

    def get_form_kwargs(self, request, inspection):
        with_problems = inspection.results.filter(problems__gt=0).count()
        units = inspection.results.count()
        return {"initial": {"summary": f"本季度共巡查全区行政执法单位{units}个，覆盖河北省政务服务平台、"
                                       f"“两法衔接”平台、区政府行政执法公示专栏和各单位门户网站，"
                                       f"发现存在问题的单位{with_problems}个。"}}

    def save(self, request, form, inspection):
        return services.inspection_circulate(actor=request.user, inspection=inspection, **form.cleaned_data)


class ResultDetail(pages.DetailPage):
    capability = VIEW
    model = UnitResult
    template_name = "infosharing/result_detail.html"
    fields = ("inspection", "unit", "checked", "problems", "late_publications", "note", "checked_by",
              "checked_at", "notice")

    def get_object(self, request, pk):
        return selectors.result_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        states = {(f.channel, f.item): f for f in obj.findings.all()}
        grid = [(PublicityChannel(c).label, [(PublicityItem(i).label, states.get((c, i))) for i in items])
                for c, items in CHANNEL_ITEMS.items()]
        return {"grid": grid, "may_check": services.may_check(request.user, obj)}


class ResultCheck(pages.FormPage):
    capability = "infosharing.inspect"
    form_class = ResultForm
    template_name = "infosharing/result_form.html"
    multipart = True
    submit_label = "保存巡查结果"
    success_message = "巡查结果已保存。"

    def get_object(self, request, pk: int):
        return selectors.result_get(request.user, pk)

    def check(self, request, result):
        services.may_check.require(request.user, result)

    def get_form_kwargs(self, request, result):
        return {"result": result}

    def extra_context(self, request, obj=None, **kwargs):
        return {"title": f"网上巡查：{obj.unit.name}", "result": obj}

    def get_success_url(self, request, result):
        return result.inspection.get_absolute_url()

    def save(self, request, form, result):
        f = form.cleaned_data["screenshot"]
        return services.result_check(actor=request.user, result=result, states=form.states(),
                                     note=form.cleaned_data["note"],
                                     screenshot=(f, f.name, f.size) if f else None)


# --- statistics (M5.4) -----------------------------------------------------------------
class RequestList(_BureauList):
    title = "执法统计"
    template_name = "infosharing/request_list.html"
    filter_form = RequestFilterForm
    export_kind = "infosharing_requests"
    columns = (("统计事项", lambda r: r.title),
               ("统计期间", lambda r: f"{formats.date_text(r.period_start)}至{formats.date_text(r.period_end)}"),
               ("报送期限", lambda r: formats.due_text(r.due)),
               ("已报送", lambda r: f"{r.submitted}/{r.asked}"))

    def get_queryset(self, request, filters):
        return selectors.request_list(request.user, filters)


class RequestNew(_BureauForm):
    list_url_name = "infosharing:requests"
    form_class = RequestForm
    title = "要求报送执法统计"
    submit_label = "发出统计要求"
    success_message = "统计要求已发出，各单位的报表已按平台案件预填。"

    def save(self, request, form, obj):
        return services.statistics_request_issue(actor=request.user, bureau=_justice_bureau(request.user),
                                                 **form.cleaned_data)


def _figure_columns():
    return tuple((StatCategory(c).label, (lambda c: lambda r: getattr(r, c))(c)) for c in StatCategory.values)


class RequestDetail(pages.ListPage):
    """The district table of one request: each unit's figures and the totals (M5.4)."""

    capability = VIEW
    template_name = "infosharing/request_detail.html"
    filter_form = ReportFilterForm
    export_kind = "infosharing_reports"
    columns = (("报送单位", lambda r: r.unit.name), ("状态", lambda r: r.get_status_display()),
               *_figure_columns(),
               ("报送时间", lambda r: formats.moment_text(r.submitted_at) if r.submitted_at else ""))

    def get(self, request, pk, **kwargs):
        self.object = selectors.request_get(request.user, pk)
        self.title = self.object.title
        if request.GET.get("export") == "xlsx":
            request.GET = request.GET.copy()
            request.GET["request"] = str(self.object.pk)
        return super().get(request, **kwargs)

    def get_queryset(self, request, filters):
        return selectors.report_list(request.user, self.object, filters)

    def extra_context(self, request, page=None, **kwargs):
        user = request.user
        reports = selectors.reports_of(user, self.object)
        return {"object": self.object, "totals": list(selectors.report_totals(reports).values()),
                "totals_label": "全区合计" if policy.sees_all(user) else "合计",
                "totals_labels": StatCategory.labels,
                "mine": [r for r in reports if services.may_submit_report(user, r)]}


class ReportSubmit(pages.FormPage):
    capability = "infosharing.report"
    form_class = ReportForm
    submit_label = "报送"
    success_message = "统计已报送。"

    def get_object(self, request, pk: int):
        return selectors.report_get(request.user, pk)

    def check(self, request, report):
        services.may_submit_report.require(request.user, report)

    def get_form_kwargs(self, request, report):
        return {"report": report}

    def extra_context(self, request, obj=None, **kwargs):
        return {"title": f"报送执法统计：{obj.request.title}（{obj.unit.name}）"}

    def cancel_url(self, request, report):
        return report.request.get_absolute_url()

    def get_success_url(self, request, report):
        return report.request.get_absolute_url()

    def save(self, request, form, report):
        return services.statistics_report_submit(actor=request.user, report=report,
                                                 figures=form.figures(), note=form.cleaned_data["note"])


class ReportDetail(pages.DetailPage):
    capability = VIEW
    model = StatisticsReport
    template_name = "infosharing/report_detail.html"
    fields = ("request", "unit", "status", *StatCategory.values, "note", "submitted_by", "submitted_at")

    def get_object(self, request, pk):
        return selectors.report_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        return {"prefill": [(StatCategory(c).label, obj.prefill.get(c, 0), getattr(obj, c))
                            for c in StatCategory.values],
                "may_submit": services.may_submit_report(request.user, obj)}


# --- queries between agencies (M5.5) ---------------------------------------------------
class QueryList(pages.ListPage):
    capability = VIEW
    title = "执法信息查询"
    template_name = "infosharing/query_list.html"
    filter_form = QueryFilterForm
    export_kind = "infosharing_queries"
    columns = (("查询事项", lambda q: q.subject), ("查询单位", lambda q: q.requester.name),
               ("被查询单位", lambda q: q.addressee.name),
               ("查询时间", lambda q: formats.moment_text(q.created_at)),
               ("状态", lambda q: q.get_status_display()),
               ("不予提供的理由", lambda q: q.get_refusal_ground_display()))

    def get_queryset(self, request, filters):
        return selectors.query_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"may_ask": services.may_ask(request.user)}


class QueryNew(pages.FormPage):
    capability = "infosharing.query"
    form_class = QueryForm
    title = "查询执法信息"
    submit_label = "发出查询"
    success_message = "查询已发出，被查询单位须在期限内答复。"

    def check(self, request, obj):
        services.may_ask.require(request.user)

    def get_form_kwargs(self, request, obj):
        return {"units": policy.organizations_with(request.user, "infosharing.query")}

    def cancel_url(self, request, obj):
        return reverse("infosharing:queries")

    def save(self, request, form, obj):
        return services.query_ask(actor=request.user, **form.cleaned_data)


class QueryDetail(pages.DetailPage):
    capability = VIEW
    model = InfoQuery
    template_name = "infosharing/query_detail.html"
    workflow = QUERY_WORKFLOW
    workflow_exclude = (QueryStatus.ANSWERED, QueryStatus.REFUSED)
    fields = ("requester", "addressee", "subject", "purpose", "case", "created_by", "created_at",
              "status", "answer", "refusal_ground", "refusal_law", "answered_by", "answered_at")

    def get_object(self, request, pk):
        return selectors.query_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        return {"may_answer": services.may_answer(request.user, obj)}


class QueryAnswer(pages.FormPage):
    capability = "infosharing.query"
    form_class = AnswerForm
    title = "答复执法信息查询"
    submit_label = "提交答复"
    success_message = "已答复。"

    def get_object(self, request, pk: int):
        return selectors.query_get(request.user, pk)

    def check(self, request, query):
        services.may_answer.require(request.user, query)

    def save(self, request, form, query):
        data = form.cleaned_data
        if data["decision"] == "refuse":
            return services.query_refuse(actor=request.user, query=query, ground=data["ground"],
                                         law=data["law"], explanation=data["answer"])
        return services.query_answer(actor=request.user, query=query, answer=data["answer"])
