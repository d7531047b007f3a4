"""Guiding-case pages on the shared web layer (core.pages): the list with the year's
shortfall per department (M11.4), nomination and the bureau's own proposal, a case with
its expert opinions and the review, the expert's opinion form, publication and the year's
compilation; and the public portal's pages (published cases only, de-identified)."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core import pages, policy
from core.pages import read_filters
from documents.models import Document, DocumentStatus
from documents.views import pdf_response
from portal.views import portal_context

from . import selectors, services
from .forms import (CompilationForm, GuidingCaseFilterForm, GuidingCaseForm, InviteForm, OpinionForm,
                    PublicFilterForm, PublishForm)
from .models import ExpertOpinion, GuidingCase, GuidingStatus
from .workflow import GUIDING_WORKFLOW

VIEW = "guidingcase.view"


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


class GuidingCaseList(pages.ListPage):
    capability = VIEW
    title = "行政执法指导案例"
    template_name = "guidingcases/list.html"
    filter_form = GuidingCaseFilterForm
    export_kind = "guiding_cases"
    columns = (("案例标题", lambda g: g.title), ("年度", lambda g: g.year),
               ("办案单位", lambda g: g.department.name), ("行为类别", lambda g: g.get_act_type_display()),
               ("来源", lambda g: g.get_origin_display()), ("状态", lambda g: g.get_status_display()))

    def get_queryset(self, request, filters):
        return selectors.guiding_case_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        user, year = request.user, _year(request)
        return {
            "year": year, "needed": settings.GUIDING_CASES_PER_YEAR,
            "shortfall": selectors.shortfall(year) if policy.sees_all(user) else (),
            "may_nominate": policy.organizations_with(user, "guidingcase.nominate").exists(),
            "may_propose": services.may_propose(user),
            "may_compile": services.may_compile(user),
        }


class _CaseForm(pages.FormPage):
    form_class = GuidingCaseForm
    submit_label = "报送"
    bureau = False

    def get_form_kwargs(self, request, obj):
        return {"user": request.user, "bureau": self.bureau}

    def _args(self, form):
        data = form.cleaned_data
        return {"reasons": data["reasons"],
                "texts": {n: data[n] for n in services.TEXT_FIELDS}}


class GuidingCaseNominate(_CaseForm):
    capability = "guidingcase.nominate"
    title = "报送指导案例"
    success_message = "指导案例已报送区司法局审查。"

    def save(self, request, form, obj):
        return services.guiding_case_nominate(actor=request.user, case=form.cleaned_data["case"],
                                              **self._args(form))


class GuidingCasePropose(_CaseForm):
    capability = "guidingcase.review"
    title = "选取拟发布的指导案例"
    submit_label = "选取"
    success_message = "已选取该案件作为拟发布的指导案例，办案单位已收到通知。"
    bureau = True

    def check(self, request, obj):
        services.may_propose.require(request.user)

    def save(self, request, form, obj):
        return services.guiding_case_propose(actor=request.user, case=form.cleaned_data["case"],
                                             **self._args(form))


def _gc(request, pk) -> GuidingCase:
    return selectors.guiding_case_get(request.user, pk)


class GuidingCaseEdit(_CaseForm):
    capability = VIEW
    title = "修改指导案例"
    submit_label = "保存"
    success_message = "已保存。"

    def get_object(self, request, pk):
        return _gc(request, pk)

    def check(self, request, gc):
        services.may_edit.require(request.user, gc)

    def get_form_kwargs(self, request, gc):
        return {"instance": gc}

    def save(self, request, form, gc):
        return services.guiding_case_update(actor=request.user, guiding_case=gc, **self._args(form))


class GuidingCaseDetail(pages.DetailPage):
    capability = VIEW
    model = GuidingCase
    template_name = "guidingcases/detail.html"
    workflow = GUIDING_WORKFLOW
    workflow_exclude = (GuidingStatus.REVIEWING, GuidingStatus.PUBLISHED)
    transition_url_name = "guidingcases:transition"
    fields = ("department", "case", "year", "act_type", "origin", "created_by", "created_at", "status",
              "decision_note", "decided_at", "published_on")

    def get_object(self, request, pk):
        return _gc(request, pk)

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        opinions = list(selectors.opinions_of(user, obj))
        for o in opinions:
            o.may_give = services.may_give_opinion(user, o)
        return {"opinions": opinions, "may_edit": services.may_edit(user, obj),
                "may_invite": services.may_invite(user, obj),
                "may_publish": services.may_publish(user, obj)}


class GuidingCaseTransition(pages.TransitionView):
    workflow = GUIDING_WORKFLOW

    def get_object(self, request, pk):
        return _gc(request, pk)

    def transition(self, request, gc, target, note):
        if target not in (GuidingStatus.APPROVED, GuidingStatus.REJECTED):
            raise ValidationError("请通过相应表单办理。")
        return services.guiding_case_decide(actor=request.user, guiding_case=gc,
                                            approve=target == GuidingStatus.APPROVED, note=note)


class ExpertInvite(pages.FormPage):
    capability = "guidingcase.review"
    form_class = InviteForm
    title = "邀请专家论证"
    submit_label = "发出邀请"
    success_message = "已邀请专家论证，专家已收到通知。"

    def get_object(self, request, pk):
        return _gc(request, pk)

    def check(self, request, gc):
        services.may_invite.require(request.user, gc)

    def save(self, request, form, gc):
        services.expert_invite(actor=request.user, guiding_case=gc, **form.cleaned_data)
        return gc


class OpinionSubmit(pages.FormPage):
    capability = "guidingcase.opinion"
    form_class = OpinionForm
    title = "提交论证意见"
    submit_label = "提交意见"
    success_message = "论证意见已提交区司法局。"

    def get_object(self, request, pk):
        return policy.access(request.user, ExpertOpinion.objects.select_related("guiding_case"), pk)

    def check(self, request, opinion):
        services.may_give_opinion.require(request.user, opinion)

    def extra_context(self, request, obj=None, **kwargs):
        return {"title": f"提交论证意见：{obj.guiding_case.title}"}

    def save(self, request, form, opinion):
        return services.expert_opinion_submit(actor=request.user, opinion=opinion,
                                              conclusion=form.cleaned_data["conclusion"],
                                              text=form.cleaned_data["opinion"])


class GuidingCasePublish(pages.FormPage):
    capability = "guidingcase.publish"
    form_class = PublishForm
    title = "发布指导案例"
    submit_label = "发布"
    success_message = "指导案例已发布，公众可在公开服务网站查看。"

    def get_object(self, request, pk):
        return _gc(request, pk)

    def check(self, request, gc):
        services.may_publish.require(request.user, gc)

    def save(self, request, form, gc):
        return services.guiding_case_publish(actor=request.user, guiding_case=gc, **form.cleaned_data)


class CompilationIssue(pages.FormPage):
    capability = "guidingcase.publish"
    form_class = CompilationForm
    title = "印发行政执法指导案例汇编"
    submit_label = "印发"
    success_message = lambda document: f"已印发{document.number}。"  # noqa: E731

    def check(self, request, obj):
        services.may_compile.require(request.user)

    def save(self, request, form, obj):
        return services.compilation_issue(actor=request.user, year=form.cleaned_data["year"])


# --- the public portal (M11.3): published cases only, never a party's name or number ----
@require_safe
def public_list(request):
    form, filters = read_filters(PublicFilterForm, request.GET)
    rows = selectors.public_list(filters or {}) if filters is not None else GuidingCase.objects.none()
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    compilations = (Document.objects.filter(kind=services.COMPILATION_KIND, status=DocumentStatus.ISSUED)
                    .order_by("-year", "-issued_at"))
    return render(request, "guidingcases/public_list.html", {
        **portal_context(request), "form": form, "page": page, "query": query.urlencode(),
        "compilations": compilations})


@require_safe
def public_detail(request, pk: int):
    gc = GuidingCase.objects.filter(pk=pk, status=GuidingStatus.PUBLISHED).select_related(
        "department").first()
    if gc is None:
        raise Http404("该指导案例不存在或尚未发布。")
    return render(request, "guidingcases/public_detail.html", {**portal_context(request), "case": gc})


@require_safe
def public_compilation(request, pk: int):
    document = Document.objects.filter(pk=pk, kind=services.COMPILATION_KIND,
                                       status=DocumentStatus.ISSUED).first()
    if document is None:
        raise Http404("该汇编不存在。")
    return pdf_response(document, inline=True)

