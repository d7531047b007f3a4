"""Referral pages: the list, the justice bureau's accountability leads (M10.4), one
referral with the step its status allows, and the panel on the case page."""
from __future__ import annotations

from typing import Any, Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.models import EnforcementCase
from core import policy
from core.audit import events_for, verb_label
from deadlines.selectors import deadlines_for
from documents.selectors import documents_for

from . import services
from .forms import DecisionFileForm, LeadsForm, NoteForm, ReferralFilterForm
from .models import ReferralStatus
from .selectors import accountability_leads, referral_for_case, referral_get, referral_list
from .workflow import REFERRAL_WORKFLOW


def referral_panel_context(request: HttpRequest, case: EnforcementCase) -> dict[str, Any] | None:
    referral = referral_for_case(request.user, case)
    return None if referral is None else {"referral": referral}


@login_required
def referral_index(request):
    if not policy.sees_all(request.user):
        policy.require(request.user, "referral.view")
    form = ReferralFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(referral_list(request.user, filters), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "discipline/referral_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
    })


@login_required
def accountability(request):
    late = Paginator(accountability_leads(request.user), 30).get_page(request.GET.get("page"))
    no_matter = referral_list(request.user, {"status": ReferralStatus.NO_MATTER})[:100]
    return render(request, "discipline/accountability.html", {
        "page": late, "query": "", "no_matter": no_matter,
    })


@login_required
def referral_detail(request, pk: int):
    referral = referral_get(request.user, pk)
    user = request.user
    allowed = {t.target for t in REFERRAL_WORKFLOW.available(referral, user)}
    S = ReferralStatus
    can_write = (referral.status == S.DRAFTING
                 and policy.has_capability(user, "referral.write", referral.department))
    can_prepare = (referral.status in (S.DRAFTING, S.SIGNING, S.SIGNED)
                   and policy.has_capability(user, "referral.write", referral.department))
    events = list(events_for(referral))
    for event in events:
        event.verb_text = verb_label(event.verb)
    return render(request, "discipline/referral_detail.html", {
        "referral": referral, "case": referral.case, "parties": referral.parties.all(),
        "deadlines": deadlines_for(user, referral), "letters": documents_for(user, referral),
        "leads_form": LeadsForm(initial={"leads": referral.leads,
                                         "commission": referral.commission}),
        "note_form": NoteForm(), "file_form": DecisionFileForm(),
        "can_write": can_write, "can_prepare": can_prepare, "allowed": allowed,
        "can_seal": referral.status == S.SIGNED and referral.seal_confirmed_at is None
        and policy.has_capability(user, "referral.write", referral.department),
        "deliver_blockers": REFERRAL_WORKFLOW.blockers(referral, S.DELIVERED)
        if S.DELIVERED in allowed else [],
        "events": events, "S": S,
    })


def _act(request, pk: int, action: Callable[..., Any], success: str):
    referral = referral_get(request.user, pk)
    try:
        action(referral)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, success)
    return redirect("discipline:detail", pk=pk)


@require_POST
@login_required
def referral_write(request, pk: int):
    form = LeadsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写违纪线索。")
        return redirect("discipline:detail", pk=pk)
    return _act(request, pk, lambda r: services.referral_write(
        actor=request.user, referral=r, leads=form.cleaned_data["leads"],
        commission=form.cleaned_data["commission"]), "违纪线索已保存。")


@require_POST
@login_required
def referral_step(request, pk: int, step: str):
    note = request.POST.get("note", "")
    steps: dict[str, tuple[Callable[..., Any], str]] = {
        "submit": (lambda r: services.referral_submit(actor=request.user, referral=r),
                   "已提交负责人签字。"),
        "return": (lambda r: services.referral_return(actor=request.user, referral=r, note=note),
                   "已退回修改。"),
        "sign": (lambda r: services.referral_sign(actor=request.user, referral=r), "已签字。"),
        "seal": (lambda r: services.referral_confirm_seal(actor=request.user, referral=r),
                 "已确认加盖公章。"),
        "deliver": (lambda r: services.referral_deliver(actor=request.user, referral=r),
                    "移送函已签发并送达纪检监察机关。"),
        "acknowledge": (lambda r: services.referral_acknowledge(actor=request.user, referral=r),
                        "已签收。"),
        "no-matter": (lambda r: services.referral_close_no_matter(actor=request.user, referral=r,
                                                                  reason=note),
                      "已记录无违纪线索的研判理由。"),
    }
    if step not in steps:
        raise Http404("没有这个操作。")
    action, success = steps[step]
    return _act(request, pk, action, success)


@require_POST
@login_required
def referral_decision(request, pk: int):
    form = DecisionFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择行政处罚决定书文件。")
        return redirect("discipline:detail", pk=pk)
    f = form.cleaned_data["file"]
    return _act(request, pk, lambda r: services.referral_attach_decision(
        actor=request.user, referral=r, fileobj=f, name=f.name, size=f.size),
        f"已附行政处罚决定书“{f.name}”。")
