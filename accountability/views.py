"""Accountability pages on the shared web layer (core.pages): the list every agency and
the justice bureau read (age, overdue, outcomes), the sources an agency may pursue, the
opening form, a proceeding from opening to outcome, and its determination, outcome and
reservation forms."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from core import formats, pages

from . import selectors, services, sources
from .forms import ConcludeForm, DetermineForm, ProceedingFilterForm, ProceedingForm, ReserveForm
from .models import Proceeding, ProceedingStatus
from .panels import render_panels
from .workflow import PROCEEDING_WORKFLOW

VIEW = "accountability.view"


def age_days(p: Proceeding) -> int:
    """Days since opening, to the close for a closed proceeding."""
    return ((p.closed_at or timezone.now()) - p.created_at).days


def deadline_text(p: Proceeding) -> str:
    due = getattr(p, "due", None)
    if due is None:
        return ""
    state = getattr(p, "deadline_state", "")
    if state == "overdue":
        return f"{formats.due_text(due)}（已逾期）"
    if state == "met":
        late = p.met_at and p.met_at > due
        return f"{formats.due_text(due)}（{'逾期认定' if late else '按期认定'}）"
    if state == "cancelled":
        return "不适用"
    return formats.due_text(due)


def officers_text(p: Proceeding) -> str:
    return "、".join(u.display_name for u in p.officers.all())


def outcome_text(p: Proceeding) -> str:
    if p.status == ProceedingStatus.CONCLUDED:
        return f"{p.get_route_display()}：{p.outcome}"
    if p.status == ProceedingStatus.RESERVED:
        return f"由{p.get_reserved_to_display()}依法处理"
    return p.get_status_display()


class ProceedingList(pages.ListPage):
    capability = VIEW
    title = "责任追究"
    filter_form = ProceedingFilterForm
    export_kind = "accountability"
    template_name = "accountability/proceeding_list.html"
    columns = (("问责事项", lambda p: p.subject), ("责任追究机关", lambda p: p.agency.name),
               ("责任人员", officers_text), ("问责情形", lambda p: p.get_ground_display()),
               ("启动时间", lambda p: formats.date_text(timezone.localtime(p.created_at).date())),
               ("历时（天）", age_days), ("认定期限", deadline_text), ("处理结果", outcome_text))

    def get_queryset(self, request, filters):
        return selectors.proceeding_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"may_open": services.may_open(request.user)}


class SourceList(pages.Page):
    """The accountable failures registered by other apps that the user's agency may
    pursue, each with the proceeding already opened from it or a button to open one."""

    capability = "accountability.pursue"
    title = "责任追究线索"
    template_name = "accountability/sources.html"

    def get(self, request):
        opened = {}
        groups = []
        for kind in sources.kinds():
            rows = list(kind.candidates(request.user)[:200])
            for p in Proceeding.objects.filter(source_kind=kind.key,
                                               source_id__in=[str(r.pk) for r in rows]):
                opened[(kind.key, p.source_id)] = p
            groups.append({"kind": kind, "rows": [
                {"obj": r, "text": kind.describe(r), "url": r.get_absolute_url(),
                 "proceeding": opened.get((kind.key, str(r.pk)))} for r in rows]})
        return render(request, self.template_name, {"title": self.title, "groups": groups})


class ProceedingNew(pages.FormPage):
    capability = "accountability.pursue"
    form_class = ProceedingForm
    title = "启动责任追究"
    submit_label = "启动责任追究"
    success_message = "已启动责任追究，认定期限开始计算。"
    template_name = "accountability/proceeding_form.html"

    def check(self, request, obj):
        services.may_open.require(request.user)

    def get_form_kwargs(self, request, obj):
        kwargs = {"user": request.user}
        key, pk = request.GET.get("source_kind", ""), request.GET.get("source_id", "")
        if request.method == "GET" and key:
            kind, source = _source(request, key, pk)
            kwargs["initial"] = {
                "source_kind": key, "source_id": pk, "agency": kind.agency(source),
                "subject": kind.describe(source)[:200],
                "officers": list(kind.officers(source).values_list("pk", flat=True)),
            }
        return kwargs

    def extra_context(self, request, form=None, **kwargs):
        key = (form["source_kind"].value() if form is not None else "") or ""
        source_id = form["source_id"].value() if form is not None else ""
        context = {"source_label": ""}
        if key:
            kind, source = _source(request, key, source_id)
            context.update(source_label=f"{kind.label}：{kind.describe(source)}",
                           source_url=source.get_absolute_url())
        return context

    def save(self, request, form, obj):
        data = form.cleaned_data
        return services.proceeding_open(
            actor=request.user, agency=data["agency"], subject=data["subject"],
            officers=data["officers"], ground=data["ground"], facts=data["facts"],
            source_kind=data["source_kind"], source_id=data["source_id"] or None)


def _source(request, key: str, pk):
    try:
        return sources.source_get(request.user, key, pk)
    except ValidationError as error:
        raise Http404(pages.refusal_text(error)) from None


def _proceeding(request, pk) -> Proceeding:
    return selectors.proceeding_get(request.user, pk)


class ProceedingDetail(pages.DetailPage):
    capability = VIEW
    model = Proceeding
    template_name = "accountability/proceeding_detail.html"
    fields = ("agency", "ground", "facts", "status", "created_by", "created_at")

    def get_object(self, request, pk):
        return _proceeding(request, pk)

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        # Every step is taken through a form of its own; the workflow says who acts next.
        waiting = PROCEEDING_WORKFLOW.actions(obj, user).waiting
        return {
            "officers": obj.officers.order_by("real_name"),
            "source_url": sources.source_url(obj),
            "age": age_days(obj),
            "deadline": deadline_text(obj),
            "waiting": waiting,
            "panels": render_panels(request, obj),
            "may_determine": services.may_determine(user, obj),
            "may_conclude": services.may_conclude(user, obj),
            "may_reserve": services.may_reserve(user, obj),
        }


class _Step(pages.FormPage):
    capability = VIEW
    predicate = None

    def get_object(self, request, pk: int):
        return _proceeding(request, pk)

    def check(self, request, proceeding):
        self.predicate.require(request.user, proceeding)

    def extra_context(self, request, obj=None, **kwargs):
        return {"proceeding": obj}


class ProceedingDetermine(_Step):
    form_class = DetermineForm
    title = "认定过错责任"
    submit_label = "作出认定"
    predicate = services.may_determine
    success_message = staticmethod(lambda p: f"已认定：{p.get_status_display()}。")

    def save(self, request, form, proceeding):
        data = form.cleaned_data
        return services.proceeding_determine(
            actor=request.user, proceeding=proceeding, liable=data["liable"],
            fault_determination=data["fault_determination"], route=data["route"])


class ProceedingConclude(_Step):
    form_class = ConcludeForm
    title = "登记处理结果"
    multipart = True
    predicate = services.may_conclude
    success_message = "已登记处理结果，责任追究办结。"

    def save(self, request, form, proceeding):
        data = form.cleaned_data
        f = data["document"]
        return services.proceeding_conclude(
            actor=request.user, proceeding=proceeding, outcome=data["outcome"],
            outcome_organ=data["outcome_organ"], document=f, document_name=f.name,
            document_size=f.size)


class ProceedingReserve(_Step):
    form_class = ReserveForm
    title = "登记为不适用本机制"
    submit_label = "登记"
    predicate = services.may_reserve
    success_message = "已登记为依法由其他机关处理，不适用本机制。"

    def save(self, request, form, proceeding):
        data = form.cleaned_data
        return services.proceeding_reserve(actor=request.user, proceeding=proceeding,
                                           reserved_to=data["reserved_to"], reason=data["reason"])
