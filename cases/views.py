"""Case pages on the shared web layer (core.pages): the list, the case page, the
registration, edit, party, decision and publicity forms, and the workflow steps. Thin:
forms collect input, cases.services writes, cases.selectors reads."""
from __future__ import annotations

import html
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core import pages, policy
from core.formats import moment_text

from . import selectors, services
from .forms import (CaseFilterForm, CaseForm, CaseRegisterForm, DecisionForm, PartyForm,
                    PublicityForm, officer_text)
from .models import CaseStatus
from .panels import render_panels
from .workflow import CASE_WORKFLOW, DECISION_MISSING

_MAJOR = ' <span class="badge text-bg-warning">重大</span>'


def _rows_html(rows, detail_base: str) -> str:
    """The table's lines (``selectors.CaseRow``, every cell already as shown) as one
    string: the list must stay within 3 × a bare page (issue 5, part 5), and a template
    costs a variable lookup and an escape check per cell. ``html.escape`` is what
    Django's ``escape`` wraps. One reverse for the page, not one per row."""
    e = html.escape
    return mark_safe("\n".join(
        f'<tr><td><a href="{e(detail_base)}{row.pk}/">{e(row.number)}</a>'
        f'{_MAJOR if row.is_major_decision else ""}</td><td>{e(row.department)}</td>'
        f'<td>{e(row.act_type)}</td><td>{e(row.field)}</td><td>{e(row.parties)}</td>'
        f'<td class="text-nowrap">{e(row.filed_on)}</td><td>{e(row.status)}</td>'
        f'<td class="text-nowrap">{e(row.closed_on)}</td></tr>'
        for row in rows))


class CaseList(pages.ListPage):
    """The case register. Its paginator reads one window of keys from the list index and
    hydrates the page in one query (``selectors.CasePaginator``/``case_rows``), and its
    rows are rendered in Python: at a million cases the page stays within 3 × a bare one
    with the same queries whatever the page size."""

    title = "执法案件"
    template_name = "cases/case_list.html"
    filter_form = CaseFilterForm
    export_kind = "cases"
    page_size = 25

    def get_queryset(self, request, filters):
        return selectors.case_list(request.user, filters)

    def get_paginator(self, qs):
        return selectors.CasePaginator(qs, self.page_size, hydrate=selectors.case_rows)

    def extra_context(self, request, page, **kwargs):
        register = ""
        if policy.has_capability(request.user, "case.register"):
            register = format_html('<a class="btn btn-primary" href="{}">登记案件</a>',
                                   reverse("cases:register"))
        return {"rows": _rows_html(page, reverse("cases:list")), "buttons": register}


class CaseDetail(pages.DetailPage):
    template_name = "cases/case_detail.html"
    fields = ("department", "act_type", "field", "summary", "discovered_at", "filed_on",
              "closed_on")
    transition_url_name = "cases:transition"

    def get_object(self, request, pk):
        return selectors.case_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        # 作出决定 is taken through the decision form (it supplies what DECISION_MISSING
        # asks for); the other steps are the shared buttons, and who acts next covers all.
        actions = CASE_WORKFLOW.actions(obj, user)
        decide = actions.button(CaseStatus.DECIDED)
        if decide is not None:
            decide = replace(decide, blockers=tuple(b for b in decide.blockers if b != DECISION_MISSING))
        officers = "、".join(officer_text(o) for o in obj.officers.order_by("real_name"))
        return {
            "case": obj,
            "actions": replace(actions, buttons=tuple(
                b for b in actions.buttons if b.target != CaseStatus.DECIDED)),
            "decide": decide,
            "more_fields": [("承办人员", officers),
                            ("登记人", f"{obj.created_by}，{moment_text(obj.created_at)}")],
            "decision_fields": pages.detail_fields(obj, (
                "decision_date", "decision_summary", "penalty_amount", "published_on",
                "publicity_channel")) if obj.decision_date else (),
            "parties": selectors.parties_for(user, obj),
            "may_edit": services.may_edit_case(user, obj),
            "may_record_publicity": services.may_record_publicity(user, obj),
            "panels": render_panels(request, obj),
        }


class CaseRegister(pages.FormPage):
    title = "登记案件"
    template_name = "cases/case_form.html"
    form_class = CaseRegisterForm
    success_message = staticmethod(lambda case: f"案件“{case.number}”已登记。")

    def check(self, request, obj):
        policy.require(request.user, "case.register")

    def get_form_kwargs(self, request, obj):
        return {"user": request.user}

    def cancel_url(self, request, obj):
        return reverse("cases:list")

    def save(self, request, form, obj):
        try:
            return services.case_register(actor=request.user, parties=[form.party.cleaned_data],
                                          **form.cleaned_data)
        except ValidationError as error:
            raise form.refusal(error) from None


class CaseFormPage(pages.FormPage):
    """A form on one case, shown when ``predicate`` holds for the user — the predicate the
    case page asks to offer it and the service asks again before writing."""

    predicate: policy.Predicate

    def get_object(self, request, pk):
        return selectors.case_get(request.user, pk)

    def case_of(self, obj):
        return obj

    def check(self, request, obj):
        self.predicate.require(request.user, self.case_of(obj))

    def extra_context(self, request, obj, **kwargs):
        case = self.case_of(obj)
        return {"case": case, "title": f"{self.title}：{case.number}"}


class CaseEdit(CaseFormPage):
    title = "修改案件信息"
    form_class = CaseForm
    predicate = services.may_edit_case
    success_message = "案件信息已保存。"

    def get_form_kwargs(self, request, case):
        initial = {name: getattr(case, name) for name in services.CASE_FIELDS}
        initial["officers"] = list(case.officers.all())
        return {"user": request.user, "editing": True, "initial": initial}

    def save(self, request, form, case):
        data = dict(form.cleaned_data)
        officers = data.pop("officers")
        return services.case_update(actor=request.user, case=case, data=data, officers=officers)


class PartyAdd(CaseFormPage):
    title = "添加当事人"
    template_name = "cases/party_form.html"
    form_class = PartyForm
    predicate = services.may_edit_case
    success_message = staticmethod(lambda party: f"已添加当事人“{party.name}”。")

    def save(self, request, form, case):
        return services.party_add(actor=request.user, case=case, data=form.cleaned_data)


class PartyEdit(CaseFormPage):
    title = "修改当事人信息"
    template_name = "cases/party_form.html"
    form_class = PartyForm
    predicate = services.may_edit_case
    success_message = "当事人信息已保存。"

    def get_object(self, request, pk):
        return selectors.party_get(request.user, pk)

    def case_of(self, party):
        return party.case

    def get_form_kwargs(self, request, party):
        return {"initial": {name: getattr(party, name) for name in services.PARTY_FIELDS}}

    def save(self, request, form, party):
        return services.party_update(actor=request.user, party=party, data=form.cleaned_data)


class PartyRemove(pages.ActionView):
    def get_object(self, request, pk):
        return selectors.party_get(request.user, pk)

    def perform(self, request, party, data):
        services.party_remove(actor=request.user, party=party)
        return party

    def message(self, request, party, result):
        return f"已删除当事人“{party.name}”。"

    def get_success_url(self, request, party, result):
        return party.get_absolute_url()


class CaseTransition(pages.TransitionView):
    workflow = CASE_WORKFLOW

    def get_object(self, request, pk):
        return selectors.case_get(request.user, pk)

    def transition(self, request, case, target, note):
        return services.case_transition(case=case, target=target, actor=request.user, note=note)


class CaseDecision(CaseFormPage):
    title = "记录处理决定"
    template_name = "cases/decision_form.html"
    form_class = DecisionForm
    predicate = services.may_decide
    multipart = True
    submit_label = "记录决定"
    success_message = "处理决定已记录，公示期限已开始计算。"

    def extra_context(self, request, obj, **kwargs):
        return {**super().extra_context(request, obj), "blockers": [
            b for b in CASE_WORKFLOW.blockers(obj, CaseStatus.DECIDED) if b != DECISION_MISSING]}

    def save(self, request, form, case):
        return services.case_record_decision(actor=request.user, case=case, **form.cleaned_data)


class CasePublicity(CaseFormPage):
    title = "登记决定公示"
    template_name = "cases/publicity_form.html"
    form_class = PublicityForm
    predicate = services.may_record_publicity
    success_message = "公示情况已登记。"

    def get_form_kwargs(self, request, case):
        return {"initial": {"published_on": case.published_on,
                            "publicity_channel": case.publicity_channel}}

    def extra_context(self, request, obj, **kwargs):
        return {**super().extra_context(request, obj),
                "deadline": selectors.publicity_deadline(request.user, obj)}

    def save(self, request, form, case):
        return services.case_record_publicity(actor=request.user, case=case,
                                              published_on=form.cleaned_data["published_on"],
                                              channel=form.cleaned_data["publicity_channel"])
