"""Appraisal pages on the shared web layer (core.pages): the year's appraisal with its
scheme, units and results; a unit's sheet with the figures behind each computed point; the
bureau's scoring, reversals and honours; self-assessments and officer evaluations; the
implementation supervision of W2; and the public results on the portal."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from core import formats, pages, policy
from core.models import Organization, User
from documents.models import Document
from portal.views import portal_context

from . import implementation, selectors, services
from .forms import (AppraisalFilterForm, AppraisalForm, EvaluationFilterForm, EvaluationForm,
                    GradesForm, HonourForm, ImplementationFilterForm, ImplementationNoticeForm,
                    ItemForm, ResultFilterForm, ReversalFilterForm, ReversalForm, ScoreForm,
                    SelfAssessmentFilterForm, SelfAssessmentForm)
from .models import (Appraisal, AppraisalStatus, Area, Item, OfficerEvaluation,
                     ReportStatus, SelfAssessment)
from .workflow import APPRAISAL_WORKFLOW, OFFICER_EVALUATION_WORKFLOW, SELF_ASSESSMENT_WORKFLOW

VIEW = "appraisal.view"
MANAGE = "appraisal.manage"
WRITE = "self_assessment.write"
SUPERVISE = "implementation.supervise"


# --- appraisals ------------------------------------------------------------------------
class AppraisalList(pages.ListPage):
    capability = VIEW
    title = "依法行政考核"
    filter_form = AppraisalFilterForm
    export_kind = "appraisals"
    template_name = "assessment/appraisal_list.html"
    columns = (("考核名称", lambda a: a.title), ("考核年度", lambda a: a.year),
               ("状态", lambda a: a.get_status_display()),
               ("审定时间", lambda a: formats.moment_text(a.approved_at) if a.approved_at else ""))

    def get_queryset(self, request, filters):
        return selectors.appraisal_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"may_create": policy.has_capability(request.user, MANAGE)}


class AppraisalNew(pages.FormPage):
    capability = MANAGE
    form_class = AppraisalForm
    title = "建立年度考核"
    success_message = "年度考核已建立，请制定考核方案。"

    def check(self, request, obj):
        policy.require(request.user, MANAGE)

    def save(self, request, form, obj):
        d = form.cleaned_data
        return services.appraisal_create(actor=request.user, year=d["year"], title=d["title"],
                                         copy_from=d["copy_from"])


def _appraisal(request, pk) -> Appraisal:
    return selectors.appraisal_get(request.user, pk)


def _scheme(appraisal: Appraisal) -> list[tuple[str, list[Item]]]:
    items = list(appraisal.items.all())
    return [(label, [i for i in items if i.area == area]) for area, label in Area.choices]


class AppraisalDetail(pages.DetailPage):
    capability = VIEW
    model = Appraisal
    workflow = APPRAISAL_WORKFLOW
    transition_url_name = "assessment:transition"
    template_name = "assessment/appraisal_detail.html"
    fields = ("year", "organizer", "government", "status", "opened_at", "proposed_at",
              "approved_at", "approved_by", "approval_note", "published_at")

    def get_object(self, request, pk):
        return _appraisal(request, pk)

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        manages = policy.has_capability(user, MANAGE, obj.organizer)
        units = list(selectors.units_of(obj)) if manages or policy.sees_all(user) else []
        sheets = selectors.sheets(obj, [u.pk for u in units]) if units and obj.status in (
            AppraisalStatus.DRAFT, AppraisalStatus.OPEN) else {}
        unit_rows = [(u, selectors.total_of(sheets[u.pk])) for u in units if u.pk in sheets]
        form, filters = pages.read_filters(ResultFilterForm, request.GET)
        results = selectors.result_list(user, obj, filters or {}) if filters is not None else []
        total_weight = sum((i.weight for i in obj.items.all()), start=0)
        return {
            "scheme": _scheme(obj), "total_weight": total_weight,
            "may_edit": services.may_edit_scheme(user, obj),
            "may_honour": services.may_honour(user, obj),
            "unit_rows": unit_rows, "results": results, "result_form": form,
            "honour_form": HonourForm(),
        }


class AppraisalTransition(pages.TransitionView):
    workflow = APPRAISAL_WORKFLOW

    def get_object(self, request, pk):
        return _appraisal(request, pk)

    def transition(self, request, appraisal, target, note):
        return services.appraisal_transition(actor=request.user, appraisal=appraisal,
                                             target=target, note=note)


class _ItemPage(pages.FormPage):
    capability = MANAGE
    form_class = ItemForm

    def check(self, request, obj):
        services.may_edit_scheme.require(request.user, obj if isinstance(obj, Appraisal) else obj.appraisal)

    def get_success_url(self, request, result):
        return result.appraisal.get_absolute_url() + "#scheme"


class ItemNew(_ItemPage):
    title = "添加考核指标"
    success_message = "考核指标已添加。"

    def get_object(self, request, pk):
        return _appraisal(request, pk)

    def save(self, request, form, appraisal):
        return services.item_save(actor=request.user, appraisal=appraisal, **form.cleaned_data)


def _item(request, pk) -> Item:
    item = get_object_or_404(Item.objects.select_related("appraisal", "appraisal__organizer"), pk=pk)
    selectors.appraisal_get(request.user, item.appraisal_id)  # the appraisal's scope
    return item


class ItemEdit(_ItemPage):
    title = "修改考核指标"
    success_message = "考核指标已修改。"

    def get_object(self, request, pk):
        return _item(request, pk)

    def get_form_kwargs(self, request, item):
        return {"initial": {f: getattr(item, f) for f in services.ITEM_FIELDS}}

    def save(self, request, form, item):
        return services.item_save(actor=request.user, appraisal=item.appraisal, item=item,
                                  **form.cleaned_data)


class ItemRemove(pages.ActionView):
    success_message = "考核指标已删除。"

    def get_object(self, request, pk):
        return _item(request, pk)

    def perform(self, request, item, data):
        return services.item_remove(actor=request.user, item=item)

    def get_success_url(self, request, item, result):
        return item.appraisal.get_absolute_url() + "#scheme"


def _unit(appraisal: Appraisal, unit_id: int) -> Organization:
    unit = selectors.units_of(appraisal).filter(pk=unit_id).first()
    if unit is None:
        raise Http404(policy.NOT_FOUND)
    return unit


class UnitSheet(pages.Page):
    """A unit's points on every item of the year: the computed figures link to the rows
    behind them; the bureau scores the scored items from here."""

    capability = VIEW
    template_name = "assessment/unit_sheet.html"

    def get(self, request, pk, unit_id):
        user = request.user
        appraisal = _appraisal(request, pk)
        unit = _unit(appraisal, unit_id)
        sees = policy.has_capability(user, MANAGE, appraisal.organizer) or policy.sees_all(user) or (
            appraisal.status in selectors.FED_BACK and unit.pk in policy.viewer(user).org_ids)
        if not sees:
            raise Http404(policy.NOT_FOUND)
        cells = selectors.sheets(appraisal, [unit.pk])[unit.pk]
        result = appraisal.results.filter(unit=unit).first()
        return render(request, self.template_name, {
            "title": f"{unit.name}{appraisal.year}年度考核得分", "appraisal": appraisal, "unit": unit,
            "cells": cells, "total": selectors.total_of(cells), "result": result,
            "scorable": appraisal.status == AppraisalStatus.OPEN
            and policy.has_capability(user, MANAGE, appraisal.organizer),
            "self_assessment": SelfAssessment.objects.filter(appraisal=appraisal, department=unit)
            .exclude(status=ReportStatus.DRAFT).first(),
        })


class ScoreEdit(pages.FormPage):
    capability = MANAGE
    form_class = ScoreForm
    title = "评分"
    multipart = True
    success_message = "评分已保存。"

    def get_object(self, request, pk, unit_id):
        item = _item(request, pk)
        item.unit = _unit(item.appraisal, unit_id)
        return item

    def check(self, request, item):
        services.may_score.require(request.user, item)

    def get_form_kwargs(self, request, item):
        score = item.scores.filter(unit=item.unit).first()
        initial = {"points": score.points, "basis": score.basis, "note": score.note} if score else {}
        return {"initial": initial}

    def extra_context(self, request, obj, **kwargs):
        return {"title": f"评分：{obj.unit.name} · {obj.title}（{obj.weight_text}分）"}

    def cancel_url(self, request, item):
        return reverse("assessment:unit", args=[item.appraisal_id, item.unit.pk])

    def save(self, request, form, item):
        d = form.cleaned_data
        f = d["file"]
        return services.score_save(actor=request.user, item=item, unit=item.unit, points=d["points"],
                                   basis=d["basis"], note=d["note"],
                                   files=[(f, f.name, f.size)] if f else ())


class ResultHonour(pages.ActionView):
    form_class = HonourForm
    success_message = "已记录。"

    def get_object(self, request, pk):
        return selectors.result_get(request.user, pk)

    def perform(self, request, result, data):
        return services.result_honour(actor=request.user, result=result, honour=data["honour"],
                                      note=data["note"])

    def get_success_url(self, request, result, _r):
        return result.appraisal.get_absolute_url() + "#results"


# --- reversals -------------------------------------------------------------------------
class ReversalList(pages.ListPage):
    capability = MANAGE
    title = "行政复议被纠错和行政诉讼败诉"
    filter_form = ReversalFilterForm
    export_kind = "appraisal_reversals"
    template_name = "assessment/reversal_list.html"
    columns = (("单位", lambda r: r.unit.name), ("年度", lambda r: r.year),
               ("行政复议被纠错", lambda r: r.reconsideration_reversed),
               ("行政诉讼败诉", lambda r: r.litigation_lost), ("说明", lambda r: r.note),
               ("登记时间", lambda r: formats.moment_text(r.entered_at)))

    def get_queryset(self, request, filters):
        return selectors.reversal_list(request.user, filters)


class ReversalNew(pages.FormPage):
    capability = MANAGE
    form_class = ReversalForm
    title = "登记复议纠错和诉讼败诉"
    success_message = "已登记。"

    def check(self, request, obj):
        policy.require(request.user, MANAGE)

    def save(self, request, form, obj):
        return services.reversal_save(actor=request.user, **form.cleaned_data)


# --- self-assessment (M9.6) ------------------------------------------------------------
class SelfAssessmentList(pages.ListPage):
    capability = WRITE
    title = "考核自评"
    filter_form = SelfAssessmentFilterForm
    export_kind = "self_assessments"
    template_name = "assessment/self_assessment_list.html"
    columns = (("自评单位", lambda s: s.department.name), ("年度", lambda s: s.appraisal.year),
               ("状态", lambda s: s.get_status_display()),
               ("报送时间", lambda s: formats.moment_text(s.filed_at) if s.filed_at else ""))

    def get_queryset(self, request, filters):
        return selectors.self_assessment_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        year = timezone.localdate().year
        departments = _departments(request.user)
        started = SelfAssessment.objects.filter(appraisal__year=year, department__in=departments
                                                ).exclude(status=ReportStatus.DRAFT)
        return {"may_write": departments.exists() and not started.exists(),
                "now_year": year}


def _departments(user):
    from core.models import OrgKind

    return policy.organizations_with(user, WRITE).filter(kind=OrgKind.DEPARTMENT)


class SelfAssessmentEdit(pages.FormPage):
    """The department's self-assessment of the year against the scheme (new or its draft)."""

    capability = WRITE
    form_class = SelfAssessmentForm
    title = "填报考核自评"
    success_message = "自评已保存，确认无误后报送。"

    def get_object(self, request, year: int | None = None):
        year = year or timezone.localdate().year
        appraisal = selectors.appraisal_of_year(year)
        if appraisal is None or appraisal.status == AppraisalStatus.DRAFT:
            raise Http404("本年度考核方案尚未确定。")
        department = _departments(request.user).first()
        if department is None:
            raise PermissionDenied("考核自评由行政执法部门填报。")
        appraisal.department = department
        appraisal.existing = SelfAssessment.objects.filter(appraisal=appraisal,
                                                           department=department).first()
        return appraisal

    def check(self, request, appraisal):
        if appraisal.existing is not None:
            services.may_write_self_assessment.require(request.user, appraisal.existing)

    def get_form_kwargs(self, request, appraisal):
        kwargs = {"items": list(appraisal.items.all())}
        sa = appraisal.existing
        if sa is not None and request.method == "GET":
            initial = {"summary": sa.summary}
            for s in sa.scores.all():
                initial[f"points_{s.item_id}"], initial[f"note_{s.item_id}"] = s.points, s.note
            kwargs["initial"] = initial
        return kwargs

    def extra_context(self, request, obj, **kwargs):
        return {"title": f"{obj.department.name}{obj.year}年度考核自评"}

    def cancel_url(self, request, appraisal):
        return appraisal.existing.get_absolute_url() if appraisal.existing else ""

    def save(self, request, form, appraisal):
        return services.self_assessment_save(
            actor=request.user, appraisal=appraisal, department=appraisal.department,
            summary=form.cleaned_data["summary"], scores=form.scores())


class SelfAssessmentDetail(pages.DetailPage):
    capability = None
    model = SelfAssessment
    workflow = SELF_ASSESSMENT_WORKFLOW
    transition_url_name = "assessment:self_assessment_transition"
    template_name = "assessment/self_assessment_detail.html"
    fields = ("appraisal", "department", "status", "created_by", "created_at", "filed_at",
              "published_at")

    def get_object(self, request, pk):
        return selectors.self_assessment_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        return {"scores": obj.scores.select_related("item"), "total": obj.total,
                "may_edit": services.may_write_self_assessment(request.user, obj)}


class SelfAssessmentTransition(pages.TransitionView):
    workflow = SELF_ASSESSMENT_WORKFLOW

    def get_object(self, request, pk):
        return selectors.self_assessment_get(request.user, pk)

    def transition(self, request, sa, target, note):
        return services.self_assessment_transition(actor=request.user, sa=sa, target=target)


# --- officer evaluation (M9.7) ---------------------------------------------------------
class EvaluationList(pages.ListPage):
    capability = WRITE
    title = "执法人员考核评议"
    filter_form = EvaluationFilterForm
    export_kind = "officer_evaluations"
    template_name = "assessment/evaluation_list.html"
    columns = (("评议单位", lambda e: e.department.name), ("评议期间", lambda e: e.period_text),
               ("状态", lambda e: e.get_status_display()),
               ("备案时间", lambda e: formats.moment_text(e.filed_at) if e.filed_at else ""))

    def get_queryset(self, request, filters):
        return selectors.evaluation_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"may_write": policy.organizations_with(request.user, WRITE).exists()}


class EvaluationNew(pages.FormPage):
    capability = WRITE
    form_class = EvaluationForm
    title = "开展执法人员考核评议"
    success_message = "已建立，请逐一评定执法人员的等次。"

    def check(self, request, obj):
        if not policy.organizations_with(request.user, WRITE).exists():
            raise PermissionDenied("您没有“填报考核自评和执法人员考核评议”的权限。")

    def get_form_kwargs(self, request, obj):
        return {"units": policy.organizations_with(request.user, WRITE)}

    def save(self, request, form, obj):
        return services.officer_evaluation_create(actor=request.user, **form.cleaned_data)


class EvaluationDetail(pages.DetailPage):
    capability = None
    model = OfficerEvaluation
    workflow = OFFICER_EVALUATION_WORKFLOW
    transition_url_name = "assessment:evaluation_transition"
    template_name = "assessment/evaluation_detail.html"
    fields = ("department", "status", "created_by", "created_at", "filed_at", "published_at")

    def get_object(self, request, pk):
        return selectors.evaluation_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        grades = list(obj.grades.select_related("officer"))
        may_grade = services.may_grade(request.user, obj)
        return {"grades": grades, "may_grade": may_grade,
                "grades_form": GradesForm(grades=grades) if may_grade else None}


class EvaluationGrade(pages.ActionView):
    success_message = "评议等次已保存。"

    def get_object(self, request, pk):
        return selectors.evaluation_get(request.user, pk)

    def perform(self, request, evaluation, data):
        form = GradesForm(request.POST, grades=evaluation.grades.select_related("officer"))
        if not form.is_valid():
            raise ValidationError("评议等次或评语无效（评语不超过500字）。")
        return services.officer_evaluation_grade(actor=request.user, evaluation=evaluation,
                                                 grades=form.grades())


class EvaluationTransition(pages.TransitionView):
    workflow = OFFICER_EVALUATION_WORKFLOW

    def get_object(self, request, pk):
        return selectors.evaluation_get(request.user, pk)

    def transition(self, request, evaluation, target, note):
        return services.officer_evaluation_transition(actor=request.user, evaluation=evaluation,
                                                      target=target)


class OfficerHistory(pages.Page):
    """M9.7: an officer's grades, half year by half year."""

    capability = None
    template_name = "assessment/officer.html"

    def get(self, request, pk):
        officer = get_object_or_404(User, pk=pk)
        history = list(selectors.officer_history(request.user, officer.pk))
        if not history and officer.pk != request.user.pk and not policy.sees_all(request.user):
            raise Http404(policy.NOT_FOUND)
        return render(request, self.template_name, {"title": f"{officer.display_name}的考核评议",
                                                    "officer": officer, "history": history})


# --- implementation supervision (W2) ---------------------------------------------------
def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2999 else timezone.localdate().year


class ImplementationList(pages.ListPage):
    capability = SUPERVISE
    title = "机制落实督查"
    filter_form = ImplementationFilterForm
    export_kind = "implementation"
    template_name = "assessment/implementation_list.html"
    # Shown by the template: each unit links to its page for the year asked.
    columns = ()
    headers = ("单位", "本年按期完成", "本年逾期完成", "当前逾期未完成", "正在办理")

    def get_queryset(self, request, filters):
        return implementation.unit_list(filters)

    def get(self, request, **kwargs):
        self.year = _year(request)
        return super().get(request, **kwargs)

    def extra_context(self, request, page, **kwargs):
        return {"year": self.year, "headers": self.headers}


class ImplementationUnit(pages.Page):
    capability = SUPERVISE
    template_name = "assessment/implementation_unit.html"

    def get(self, request, pk):
        unit = get_object_or_404(selectors.appraised_units(), pk=pk)
        year = _year(request)
        user = request.user
        appraisal = selectors.appraisal_of_year(year)
        figures = implementation.indicator_rows(year, unit)
        notices = policy.visible_to(user, Document).filter(
            kind=services.IMPLEMENTATION_KIND, addressee=unit).order_by("-issued_at")
        return render(request, self.template_name, {
            "title": f"{unit.name}{year}年度机制落实情况", "unit": unit, "year": year,
            "mechanisms": implementation.unit_mechanisms(unit, year), "figures": figures,
            "appraisal": appraisal, "notices": notices,
            "may_issue": policy.organizations_with(user, SUPERVISE).exists()
            and policy.has_capability(user, SUPERVISE),
        })


class ImplementationNotice(pages.FormPage):
    capability = SUPERVISE
    form_class = ImplementationNoticeForm
    title = "印发工作通报"
    submit_label = "签发通报"
    success_message = staticmethod(lambda d: f"工作通报{d.number}已印发。")

    def get_object(self, request, pk):
        return get_object_or_404(selectors.appraised_units(), pk=pk)

    def check(self, request, unit):
        policy.require(request.user, SUPERVISE)

    def extra_context(self, request, obj, **kwargs):
        return {"title": f"印发工作通报：{obj.name}"}

    def cancel_url(self, request, unit):
        return implementation.unit_url(unit.pk, timezone.localdate().year)

    def save(self, request, form, unit):
        return services.implementation_notice_issue(actor=request.user, unit=unit, **form.cleaned_data)


# --- the public portal (M9.4 予公布, M9.6, M9.7 向社会公开) -----------------------------
@require_safe
def public_results(request):
    appraisals = list(selectors.published_appraisals()[:5])
    for a in appraisals:
        a.public_results = list(a.results.select_related("unit").order_by("-total", "unit__name"))
    context = portal_context(request)
    context.update({
        "appraisals": appraisals,
        "self_assessments": SelfAssessment.objects.filter(status=ReportStatus.PUBLISHED)
        .select_related("department", "appraisal").order_by("-appraisal__year", "department__name")[:50],
        "evaluations": OfficerEvaluation.objects.filter(status=ReportStatus.PUBLISHED)
        .select_related("department").prefetch_related("grades__officer")
        .order_by("-period", "department__name")[:20],
    })
    return render(request, "assessment/public.html", context)


@require_safe
def public_self_assessment(request, pk):
    sa = get_object_or_404(SelfAssessment.objects.select_related("department", "appraisal"),
                           pk=pk, status=ReportStatus.PUBLISHED)
    context = portal_context(request)
    context.update({"sa": sa, "scores": sa.scores.select_related("item")})
    return render(request, "assessment/public_self_assessment.html", context)
