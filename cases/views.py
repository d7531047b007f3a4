"""Case pages. Thin: forms collect input, cases.services writes, cases.selectors reads."""
from __future__ import annotations

import html

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from core import exports, policy
from core.audit import events_for, verb_label
from core.forms import apply_errors

from . import selectors, services
from .forms import (CaseFilterForm, CaseForm, DecisionForm, PartyForm, PublicityForm,
                    TransitionForm)
from .models import CaseStatus
from .panels import render_panels
from .workflow import CASE_WORKFLOW, DECISION_MISSING

PAGE_SIZE = 25


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


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if request.GET.get("export") == "xlsx":
        return exports.export_response(request, "cases")
    form = CaseFilterForm(request.GET or None)
    form.is_valid()
    filters = form.filters()
    page = selectors.CasePaginator(
        selectors.case_list(request.user, filters), PAGE_SIZE, hydrate=selectors.case_rows,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/case_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "rows": _rows_html(page, reverse("cases:list")),
        "can_register": policy.has_capability(request.user, "case.register"),
        "can_export": policy.has_capability(request.user, "case.export"),
    })


def _transition_buttons(case, user) -> list[dict]:
    buttons = []
    for t in CASE_WORKFLOW.available(case, user):
        blockers = CASE_WORKFLOW.blockers(case, t.target)
        # 作出决定 opens the decision form, which supplies what this blocker asks for.
        decides = t.target == CaseStatus.DECIDED
        if decides:
            blockers = [b for b in blockers if b != DECISION_MISSING]
        buttons.append({"target": t.target, "label": t.label, "needs_note": t.needs_note,
                        "blockers": blockers, "decides": decides})
    return buttons


def _timeline(request: HttpRequest, case) -> list[dict]:
    entries = [
        {"at": e.created_at, "kind": "event", "title": verb_label(e.verb),
         "who": e.actor, "org": e.organization, "note": e.note, "changes": e.changes}
        for e in events_for(case)
    ]
    for d in selectors.case_deadlines(request.user, case):
        entries.append({"at": d.start, "kind": "deadline", "deadline": d})
    return sorted(entries, key=lambda e: e["at"], reverse=True)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    return render(request, "cases/case_detail.html", {
        "case": case,
        "officers": case.officers.order_by("real_name"),
        "parties": selectors.parties_for(request.user, case),
        "can_handle": policy.has_capability(request.user, "case.handle", case.department_id)
        and case.status != CaseStatus.CLOSED,
        "buttons": _transition_buttons(case, request.user),
        "timeline": _timeline(request, case),
        "deadlines": selectors.case_deadlines(request.user, case),
        "panels": render_panels(request, case),
    })


@login_required
def case_register(request: HttpRequest) -> HttpResponse:
    if not policy.organizations_with(request.user, "case.register").exists():
        raise PermissionDenied("您没有“登记案件”的权限。")
    form = CaseForm(request.POST or None, user=request.user)
    party_form = PartyForm(request.POST or None, prefix="party")
    if request.method == "POST" and form.is_valid() and party_form.is_valid():
        try:
            case = services.case_register(actor=request.user, parties=[party_form.cleaned_data],
                                          **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"案件“{case.number}”已登记。")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {
        "form": form, "party_form": party_form, "title": "登记案件"})


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    policy.require(request.user, "case.handle", case.department)
    initial = {name: getattr(case, name) for name in services.CASE_FIELDS}
    initial["officers"] = list(case.officers.all())
    form = CaseForm(request.POST or None, initial=initial, user=request.user, editing=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        officers = data.pop("officers")
        try:
            services.case_update(actor=request.user, case=case, data=data, officers=officers)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "案件信息已保存。")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "case": case, "title": "修改案件信息"})


@login_required
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    policy.require(request.user, "case.handle", case.department)
    form = PartyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.party_add(actor=request.user, case=case, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "当事人已添加。")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/party_form.html", {"form": form, "case": case, "title": "添加当事人"})


@login_required
def party_edit(request: HttpRequest, pk: int) -> HttpResponse:
    party = selectors.party_get(request.user, pk)
    case = party.case
    policy.require(request.user, "case.handle", case.department)
    initial = {name: getattr(party, name) for name in services.PARTY_FIELDS}
    form = PartyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.party_update(actor=request.user, party=party, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "当事人信息已保存。")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/party_form.html", {
        "form": form, "case": case, "party": party, "title": "修改当事人信息"})


@require_POST
@login_required
def party_remove(request: HttpRequest, pk: int) -> HttpResponse:
    party = selectors.party_get(request.user, pk)
    try:
        services.party_remove(actor=request.user, party=party)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"当事人“{party.name}”已删除。")
    return redirect("cases:detail", pk=party.case_id)


@require_POST
@login_required
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求无效，请刷新页面后重试。")
        return redirect("cases:detail", pk=case.pk)
    try:
        services.case_transition(case=case, target=form.cleaned_data["target"], actor=request.user,
                                 note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"案件状态已变更为“{case.get_status_display()}”。")
    return redirect("cases:detail", pk=case.pk)


@login_required
def case_decision(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    policy.require(request.user, "case.decide", case.department)
    form = DecisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_record_decision(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "处理决定已记录，公示期限已开始计算。")
            return redirect("cases:detail", pk=case.pk)
    blockers = [b for b in CASE_WORKFLOW.blockers(case, CaseStatus.DECIDED) if b != DECISION_MISSING]
    return render(request, "cases/decision_form.html", {"form": form, "case": case, "blockers": blockers})


@login_required
def case_publicity(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, pk)
    policy.require(request.user, "case.handle", case.department)
    form = PublicityForm(request.POST or None, initial={
        "published_on": case.published_on, "publicity_channel": case.publicity_channel})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_record_publicity(actor=request.user, case=case,
                                           published_on=form.cleaned_data["published_on"],
                                           channel=form.cleaned_data["publicity_channel"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "公示情况已登记。")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/publicity_form.html", {
        "form": form, "case": case, "deadline": selectors.publicity_deadline(request.user, case)})
