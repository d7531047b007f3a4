"""Evidence pages: the case's evidence list (also shown as a panel on the case page),
add and edit an item with its type's checklist, upload files, remove an item."""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.models import CaseStatus, EnforcementCase
from cases.selectors import case_get
from core import policy
from core.audit import events_for, verb_label
from core.forms import apply_errors

from . import services
from .forms import EvidenceFileForm, EvidenceRemoveForm, evidence_form_class
from .models import CHECKLIST_FIELDS, EvidenceItem, EvidenceKind
from .selectors import evidence_blockers, evidence_files, evidence_for_case, item_gaps


def _can_manage(user, case: EnforcementCase) -> bool:
    return case.status != CaseStatus.CLOSED and policy.has_capability(
        user, "evidence.manage", case.department)


def evidence_panel_context(request: HttpRequest, case: EnforcementCase) -> dict[str, Any]:
    items = evidence_for_case(request.user, case)
    return {
        "items": items,
        "unconfirmed": [i for i in items if not i.confirmed],
        "can_manage": _can_manage(request.user, case),
        "kinds": EvidenceKind.choices,
    }


def _item_get(user, pk) -> EvidenceItem:
    return policy.access(user, EvidenceItem.objects.select_related("case", "case__department"), pk)


@login_required
def case_evidence(request, case_id: int):
    case = case_get(request.user, case_id)
    context = evidence_panel_context(request, case)
    return render(request, "evidence/case_evidence.html", {
        **context, "case": case, "blockers": evidence_blockers(case),
    })


@login_required
def evidence_add(request, case_id: int, kind: str):
    case = case_get(request.user, case_id)
    if kind not in CHECKLIST_FIELDS:
        raise Http404("没有这种证据类型。")
    policy.require(request.user, "evidence.manage", case.department)
    form_class = evidence_form_class(kind)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.evidence_add(actor=request.user, case=case, kind=kind,
                                         data=form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, f"已登记{item}，请上传证据文件。")
            return redirect("evidence:detail", pk=item.pk)
    return render(request, "evidence/item_form.html", {
        "case": case, "form": form, "kind_label": EvidenceKind(kind).label, "item": None,
    })


@login_required
def evidence_edit(request, pk: int):
    item = _item_get(request.user, pk)
    policy.require(request.user, "evidence.manage", item.case.department)
    form_class = evidence_form_class(item.kind)
    form = form_class(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_update(actor=request.user, item=_item_get(request.user, pk),
                                     data=form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, "证据信息已保存。")
            return redirect("evidence:detail", pk=item.pk)
    return render(request, "evidence/item_form.html", {
        "case": item.case, "form": form, "kind_label": item.get_kind_display(), "item": item,
    })


@login_required
def evidence_detail(request, pk: int):
    item = _item_get(request.user, pk)
    form_fields = evidence_form_class(item.kind)(instance=item)
    events = list(events_for(item))
    for event in events:
        event.verb_text = verb_label(event.verb)
    return render(request, "evidence/item_detail.html", {
        "item": item, "case": item.case, "missing": item_gaps(item),
        "checklist": [form_fields[name] for name in CHECKLIST_FIELDS[item.kind]],
        "files": evidence_files(request.user, item),
        "file_form": EvidenceFileForm(), "remove_form": EvidenceRemoveForm(),
        "can_manage": _can_manage(request.user, item.case), "events": events,
    })


@require_POST
@login_required
def evidence_upload(request, pk: int):
    item = _item_get(request.user, pk)
    form = EvidenceFileForm(request.POST, request.FILES)
    if form.is_valid():
        f = form.cleaned_data["file"]
        try:
            services.evidence_attach(actor=request.user, item=item, fileobj=f, name=f.name,
                                     size=f.size, description=form.cleaned_data["description"])
        except ValidationError as e:
            messages.error(request, "；".join(e.messages))
        else:
            messages.success(request, f"已上传“{f.name}”。")
    else:
        messages.error(request, "请选择要上传的文件。")
    return redirect("evidence:detail", pk=item.pk)


@require_POST
@login_required
def evidence_remove(request, pk: int):
    item = _item_get(request.user, pk)
    form = EvidenceRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "删除证据须说明理由。")
        return redirect("evidence:detail", pk=item.pk)
    case = item.case
    try:
        services.evidence_remove(actor=request.user, item=item, reason=form.cleaned_data["reason"])
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
        return redirect("evidence:detail", pk=item.pk)
    messages.success(request, f"已删除{item}。")
    return redirect("evidence:case", case_id=case.pk)
