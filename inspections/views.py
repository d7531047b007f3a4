"""Supervision-check pages on the shared web layer (core.pages): the checks list and a check
from its plan to its bulletin and each unit's instrument; a unit's materials (M7.4); the
findings; the case-file reviews with each file's scoring; the monitoring leads (M7.3)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from cases.selectors import CasePaginator
from core import formats, pages, policy
from core.models import Organization
from deadlines.selectors import deadlines_for

from . import selectors, services
from .forms import (BulletinForm, CheckFilterForm, CheckForm, FindingForm, InstrumentForm,
                    LeadFilterForm, LeadFindingForm,
                    MaterialsForm, ReviewDrawForm, ReviewFilterForm, ReviewScoreForm)
from .leads import rule_label, rules
from .models import CaseReview, Check, CheckStatus, Lead, LeadStatus
from .workflow import CHECK_WORKFLOW, LEAD_WORKFLOW, REVIEW_WORKFLOW

VIEW = "inspection.view"
PLAN = "inspection.plan"
LEADS = "inspection.leads"


# --- checks -------------------------------------------------------------------------------
class CheckList(pages.ListPage):
    capability = VIEW
    title = "监督检查"
    template_name = "inspections/check_list.html"
    filter_form = CheckFilterForm
    export_kind = "inspections"
    columns = (("检查名称", lambda c: c.title), ("组织单位", lambda c: c.organizer.name),
               ("检查类别", lambda c: c.get_kind_display()), ("检查方式", lambda c: c.get_method_display()),
               ("检查日期", lambda c: f"{formats.date_text(c.starts_on)}至{formats.date_text(c.ends_on)}"),
               ("状态", lambda c: c.get_status_display()))

    def get_queryset(self, request, filters):
        return selectors.check_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        user = request.user
        return {"may_plan": services.may_plan(user), "may_open_reviews": policy.may_open(user, PLAN),
                "may_open_leads": policy.may_open(user, LEADS)}


class CheckNew(pages.FormPage):
    capability = PLAN
    form_class = CheckForm
    title = "拟定监督检查"
    success_message = "检查已拟定，启动后将通知被检查单位。"

    def check(self, request, obj):
        services.may_plan.require(request.user)

    def get_form_kwargs(self, request, obj):
        return {"organizers": policy.organizations_with(request.user, PLAN).filter(
            kind__in=services.ORGANIZER_KINDS)}

    def save(self, request, form, obj):
        return services.check_create(actor=request.user, **form.cleaned_data)


def _check(request, pk) -> Check:
    return selectors.check_get(request.user, pk)


class CheckEdit(pages.FormPage):
    """The plan changed while it is settled (services.may_edit_check): the same form as a
    new check, its organizer fixed."""

    capability = PLAN
    form_class = CheckForm
    title = "修改检查方案"
    success_message = "检查方案已修改。"

    def get_object(self, request, pk: int):
        return _check(request, pk)

    def check(self, request, check):
        if not services.may_edit_check(request.user, check):
            services.may_plan.require(request.user, check.organizer)
            raise PermissionDenied(selectors.plan_locked_text(check))

    def get_form_kwargs(self, request, check):
        initial = {name: getattr(check, name) for name in services.PLAN_FIELDS}
        initial.update(organizer=check.organizer_id, items=check.items,
                       units=list(check.unit_rows.values_list("unit_id", flat=True)),
                       team=list(check.team.values_list("pk", flat=True)))
        return {"organizers": Organization.objects.filter(pk=check.organizer_id), "initial": initial,
                "organizer_fixed": True}

    def save(self, request, form, check):
        data = dict(form.cleaned_data)
        data.pop("organizer", None)
        return services.check_update(actor=request.user, check=check, **data)


class CheckDetail(pages.DetailPage):
    capability = VIEW
    model = Check
    template_name = "inspections/check_detail.html"
    workflow = CHECK_WORKFLOW
    workflow_exclude = (CheckStatus.CIRCULATED,)
    transition_url_name = "inspections:transition"
    fields = ("organizer", "kind", "field_note", "method", "starts_on", "ends_on", "materials_request",
              "materials_due_on", "status", "bulletin", "cancel_reason", "created_by", "created_at")

    def get_object(self, request, pk):
        return _check(request, pk)

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        rows = selectors.unit_rows(user, obj)
        for row in rows:
            row.files = selectors.files_of(user, row)
            row.deadlines = deadlines_for(user, row)
            row.may_provide = services.may_provide(user, row)
            row.may_issue = services.may_issue_instrument(user, row)
            for f in row.findings:
                f.files = selectors.files_of(user, f)
        return {
            "items": obj.item_labels, "team": obj.team.order_by("real_name"), "rows": rows,
            "reviews": selectors.review_list(user, {"check": obj.pk}),
            "may_record_findings": services.may_record_findings(user, obj),
            "may_circulate": services.may_circulate(user, obj),
            "may_review": services.may_review(user, obj),
            "may_edit": services.may_edit_check(user, obj),
        }


class CheckTransition(pages.TransitionView):
    workflow = CHECK_WORKFLOW

    def get_object(self, request, pk):
        return _check(request, pk)

    def transition(self, request, check, target, note):
        return services.check_transition(actor=request.user, check=check, target=target, note=note)


class MaterialsProvide(pages.FormPage):
    capability = "inspection.provide"
    form_class = MaterialsForm
    title = "报送检查材料"
    submit_label = "报送"
    multipart = True
    success_message = "检查材料已报送。"

    def get_object(self, request, pk: int):
        return selectors.unit_row_get(request.user, pk)

    def check(self, request, row):
        services.may_provide.require(request.user, row)

    def extra_context(self, request, obj, **kwargs):
        return {"title": f"报送检查材料：{obj.check_record.title}"}

    def save(self, request, form, row):
        return services.check_materials_provide(actor=request.user, row=row, note=form.cleaned_data["note"],
                                                files=form.cleaned_data["files"])


class FindingAdd(pages.FormPage):
    capability = PLAN
    form_class = FindingForm
    title = "登记检查发现的问题"
    multipart = True
    success_message = "已登记检查发现的问题。"

    def get_object(self, request, pk: int):
        return _check(request, pk)

    def check(self, request, check):
        services.may_record_findings.require(request.user, check)

    def get_form_kwargs(self, request, check):
        return {"check": check}

    def save(self, request, form, check):
        return services.finding_add(actor=request.user, check=check, **form.cleaned_data)


class BulletinIssue(pages.FormPage):
    capability = "supervision.notice"
    form_class = BulletinForm
    title = "印发问题通报"
    submit_label = "签发并印发"
    success_message = staticmethod(lambda doc: f"问题通报{doc.number}已印发至各单位。")

    def get_object(self, request, pk: int):
        return _check(request, pk)

    def check(self, request, check):
        services.may_circulate.require(request.user, check)

    def get_success_url(self, request, result):
        return result.get_absolute_url()

    def save(self, request, form, check):
        return services.check_bulletin_issue(actor=request.user, check=check, **form.cleaned_data)


class InstrumentIssue(pages.FormPage):
    capability = "supervision.notice"
    form_class = InstrumentForm
    title = "签发监督文书"
    submit_label = "签发"
    success_message = staticmethod(lambda doc: f"{doc.number}《{doc.title}》已签发，整改期限已登记督办。")

    def get_object(self, request, pk: int):
        return selectors.unit_row_get(request.user, pk)

    def check(self, request, row):
        services.may_issue_instrument.require(request.user, row)

    def get_form_kwargs(self, request, row):
        return {"user": request.user, "initial": {"facts": selectors.instrument_facts(row),
                            "report_method": "整改完成后5个工作日内，将整改情况书面报告报送区司法局，"
                                             "同时通过本平台上传整改材料。"}}

    def extra_context(self, request, obj, **kwargs):
        return {"title": f"签发监督文书：{obj.unit.name}"}

    def cancel_url(self, request, obj):
        return obj.check_record.get_absolute_url()

    def save(self, request, form, row):
        return services.check_instrument_issue(actor=request.user, row=row, **form.cleaned_data)


# --- case-file review ----------------------------------------------------------------------
class ReviewList(pages.ListPage):
    capability = PLAN
    title = "案卷评查"
    template_name = "inspections/review_list.html"
    filter_form = ReviewFilterForm
    export_kind = "case_reviews"
    columns = (("案卷评查", lambda r: str(r)), ("监督检查", lambda r: r.check_record.title),
               ("抽取案卷", lambda r: r.file_count), ("合格", lambda r: r.passed_count),
               ("平均得分", lambda r: "" if r.mean_score is None else f"{r.mean_score:.1f}"),
               ("状态", lambda r: r.get_status_display()))

    def get_queryset(self, request, filters):
        return selectors.review_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"results": selectors.review_results(request.user)}


class ReviewDraw(pages.FormPage):
    capability = PLAN
    form_class = ReviewDrawForm
    title = "抽取评查案卷"
    submit_label = "随机抽取"
    success_message = staticmethod(lambda r: f"已抽取案卷 {r.sample_size} 件，随机种子 {r.seed}。")

    def get_object(self, request, pk: int):
        return _check(request, pk)

    def check(self, request, check):
        services.may_review.require(request.user, check)

    def get_form_kwargs(self, request, check):
        return {"check": check}

    def save(self, request, form, check):
        return services.review_draw(actor=request.user, check=check, **form.cleaned_data)


class ReviewDetail(pages.DetailPage):
    capability = VIEW
    model = CaseReview
    template_name = "inspections/review_detail.html"
    workflow = REVIEW_WORKFLOW
    transition_url_name = "inspections:review_transition"
    fields = ("check_record", "department", "standard", "closed_from", "closed_to", "sample_size", "seed",
              "status", "finding", "created_by", "created_at")

    def get_object(self, request, pk):
        return selectors.review_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        files = list(obj.files.select_related("case", "reviewer").order_by("case__act_type", "case__number"))
        for f in files:
            f.may_score = services.may_score(request.user, f)
        return {"files": files, "may_to_finding": services.may_review_to_finding(request.user, obj),
                "pass_mark": obj.standard.pass_mark}


class ReviewTransition(pages.TransitionView):
    workflow = REVIEW_WORKFLOW

    def get_object(self, request, pk):
        return selectors.review_get(request.user, pk)

    def transition(self, request, review, target, note):
        return services.review_complete(actor=request.user, review=review)


class ReviewToFinding(pages.ActionView):
    success_message = "评查结果已转为检查发现。"

    def get_object(self, request, pk):
        return selectors.review_get(request.user, pk)

    def perform(self, request, review, data):
        return services.review_to_finding(actor=request.user, review=review)

    def get_success_url(self, request, review, finding):
        return finding.get_absolute_url()


class ReviewFileScore(pages.FormPage):
    capability = PLAN
    form_class = ReviewScoreForm
    template_name = "inspections/review_score_form.html"
    title = "案卷评分"
    submit_label = "保存评分"
    success_message = staticmethod(lambda f: f"{f.case.number}评分已保存：{f.score}分，"
                                             f"{'合格' if f.passed else '不合格'}。")

    def get_object(self, request, pk: int):
        return selectors.review_file_get(request.user, pk)

    def check(self, request, file):
        services.may_score.require(request.user, file)

    def get_form_kwargs(self, request, file):
        initial = {"comment": file.comment}
        for s in file.scores.all():
            initial.update({f"points_{s.criterion_id}": s.points, f"veto_{s.criterion_id}": s.veto_hit,
                            f"note_{s.criterion_id}": s.comment})
        return {"criteria": file.review.standard.criteria.all(), "initial": initial}

    def extra_context(self, request, obj, **kwargs):
        return {"title": f"案卷评分：{obj.case.number}", "case": obj.case}

    def cancel_url(self, request, file):
        return file.review.get_absolute_url()

    def get_success_url(self, request, file):
        return file.review.get_absolute_url()

    def save(self, request, form, file):
        return services.review_file_score(actor=request.user, file=file, scores=form.scores(),
                                          comment=form.cleaned_data["comment"])


# --- leads ---------------------------------------------------------------------------------
class LeadList(pages.ListPage):
    """The bureau's leads: a quarter of a million after a night over the district's data.
    The page reads one window of keys from the list's indexes and loads its rows by key
    (``CasePaginator``): no count of every lead, no sort, the same queries whatever the
    page size (make bench ARGS=inspections: 3.5 × a bare page before, 2.1 × after)."""

    capability = LEADS
    title = "大数据监测线索"
    template_name = "inspections/lead_list.html"
    filter_form = LeadFilterForm
    export_kind = "inspection_leads"
    columns = (("事项", lambda lead: lead.subject), ("监测规则", lambda lead: rule_label(lead.rule)),
               ("涉及单位", lambda lead: lead.organization.name),
               ("发现日期", lambda lead: formats.date_text(lead.observed_on)),
               ("状态", lambda lead: lead.get_status_display()))

    def get_queryset(self, request, filters):
        return selectors.lead_list(request.user, filters)

    def get_paginator(self, qs):
        return CasePaginator(qs, self.page_size, hydrate=selectors.lead_rows)

    def extra_context(self, request, **kwargs):
        return {"rules": rules()}


def _lead(request, pk) -> Lead:
    return selectors.lead_get(request.user, pk)


class LeadDetail(pages.DetailPage):
    capability = LEADS
    model = Lead
    template_name = "inspections/lead_detail.html"
    workflow = LEAD_WORKFLOW
    workflow_exclude = (LeadStatus.FINDING,)
    transition_url_name = "inspections:lead_transition"
    fields = ("subject", "organization", "observed_on", "status", "dismiss_reason", "finding",
              "handled_by", "handled_at")

    def get_object(self, request, pk):
        return _lead(request, pk)

    def extra_context(self, request, obj, **kwargs):
        return {"rule": rule_label(obj.rule), "target_url": obj.target_url(),
                "may_to_finding": obj.status == LeadStatus.OPEN
                and policy.has_capability(request.user, LEADS)}


class LeadTransition(pages.TransitionView):
    workflow = LEAD_WORKFLOW

    def get_object(self, request, pk):
        return _lead(request, pk)

    def transition(self, request, lead, target, note):
        if target != LeadStatus.DISMISSED:
            raise ValidationError("转为检查发现须选择监督检查并写明问题。")
        return services.lead_dismiss(actor=request.user, lead=lead, reason=note)


class LeadToFinding(pages.FormPage):
    capability = LEADS
    form_class = LeadFindingForm
    title = "线索转为检查发现"
    submit_label = "转为检查发现"
    success_message = "线索已转为检查发现。"

    def get_object(self, request, pk: int):
        return _lead(request, pk)

    def check(self, request, lead):
        policy.require(request.user, LEADS)
        if lead.status != LeadStatus.OPEN:
            raise PermissionDenied("该线索已处理。")

    def get_form_kwargs(self, request, lead):
        checks = selectors.check_list(request.user, {"unit": lead.organization}).filter(
            status__in=[CheckStatus.UNDERWAY, CheckStatus.FINISHED])
        return {"checks": checks, "initial": {"description": f"{rule_label(lead.rule)}：{lead.subject}。"}}

    def save(self, request, form, lead):
        return services.lead_to_finding(actor=request.user, lead=lead, **form.cleaned_data)
