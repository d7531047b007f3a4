from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core import exports, policy
from core.audit import events_for, verb_label
from core.forms import apply_errors, search_keyword
from deadlines.selectors import deadlines_for
from documents.selectors import documents_for

from . import selectors, services
from .forms import (
    MaterialForm,
    OrderForm,
    OutcomeForm,
    SanctionForm,
    TransferFilterForm,
    TransferForm,
    TransitionForm,
)
from .models import MaterialType, REQUIRED_MATERIALS, Transfer, TransferMaterial
from .models import TransferStatus as S
from .workflow import TRANSFER_WORKFLOW, reconsideration_due


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _listing(request, qs, template: str, extra: dict | None = None):
    form = TransferFilterForm(request.GET or None)
    if form.is_valid():
        qs = qs.filter(pk__in=selectors.transfer_list(request.user, form.filters()).values("pk"))
    elif form.is_bound:
        # A filter that cannot be read shows its error and no rows, never the whole list
        # (a dashboard figure's link must not show more than the figure counts).
        qs = qs.none()
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"form": form, "page": page, "query": query.urlencode(),
                                      **(extra or {})})


@login_required
def transfer_list(request):
    return _listing(request, selectors.transfer_list(request.user), "transfers/list.html",
                    {"title": "案件移送", "can_create": bool(
                        policy.organizations_with(request.user, "transfer.prepare").exists())})


@login_required
def inbox(request):
    return _listing(request, selectors.inbox(request.user), "transfers/list.html",
                    {"title": "移送收件箱", "inbox": True})


@login_required
def supervision(request):
    qs = selectors.supervision_list(request.user)
    return _listing(request, qs, "transfers/list.html", {
        "title": "移送监督", "supervision": True,
        "counts": selectors.supervision_counts(request.user),
    })


@login_required
def supervision_export(request):
    return exports.export_response(request, "transfers")


def _export_queryset(user, params):
    form = TransferFilterForm(dict(params))
    qs = selectors.supervision_list(user, form.filters() if form.is_valid() else {})
    return (qs if form.is_valid() else qs.none()).prefetch_related("copied_to")


def _export_rows(user, transfers):
    for t in transfers:
        yield [t.pk, t.get_kind_display(), t.subject, t.case.number if t.case else "",
               t.sender.name, t.receiver.name, t.get_status_display(), t.sent_at, t.answered_at,
               t.get_outcome_display() if t.outcome else "", t.return_reason,
               "、".join(o.short_name for o in t.copied_to.all())]


exports.register(exports.Exporter(
    kind="transfers", title="案件移送台账", capability="transfer.supervise",
    headers=["编号", "类别", "事由", "案件编号", "移送单位", "接收单位", "状态", "移送时间",
             "接收方处理时间", "刑事处理结果", "退回理由", "抄送单位"],
    queryset=_export_queryset, rows=_export_rows,
))


@login_required
def transfer_create(request):
    form = TransferForm(request.POST or None, user=request.user,
                        initial={"case": request.GET.get("case")})
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.transfer_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "移送草稿已建立，请签发案件移送书并上传所需材料。")
            return redirect("transfers:detail", pk=transfer.pk)
    return render(request, "transfers/form.html", {"form": form, "title": "新建案件移送"})


@login_required
def transfer_detail(request, pk: int):
    transfer = policy.access(request.user, Transfer.objects.select_related(
        "sender", "receiver", "case", "order"), pk)
    materials = list(transfer.materials.select_related("attachment", "document"))
    present = {m.material_type for m in materials}
    required = [(MaterialType(m).label, m in present) for m in REQUIRED_MATERIALS[transfer.kind]]
    editable = transfer.status in (S.DRAFT, S.APPROVED) and policy.has_capability(
        request.user, "transfer.prepare", transfer.sender)
    actions = [
        {"target": t.target, "label": t.label, "needs_note": t.needs_note,
         "blockers": TRANSFER_WORKFLOW.blockers(transfer, t.target)}
        for t in selectors.transfer_actions(transfer, request.user)
        if t.target != S.CONCLUDED
    ]
    can_outcome = any(t.target == S.CONCLUDED
                      for t in selectors.transfer_actions(transfer, request.user))
    events = list(events_for(transfer))
    for event in events:
        event.verb_text = verb_label(event.verb)
    return render(request, "transfers/detail.html", {
        "transfer": transfer, "materials": materials, "required": required,
        "editable": editable, "material_form": MaterialForm(), "actions": actions,
        "outcome_form": OutcomeForm() if can_outcome else None,
        "deadlines": deadlines_for(request.user, transfer),
        "documents": documents_for(request.user, transfer),
        "copies": transfer.copied_to.all(), "events": events,
        "reconsideration_due": (reconsideration_due(transfer)
                                if transfer.status == S.NOT_FILED and not transfer.reconsidered
                                else None),
    })


@require_POST
@login_required
def material_add(request, pk: int):
    transfer = policy.access(request.user, Transfer, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        f = form.cleaned_data["file"]
        try:
            services.transfer_material_add(
                actor=request.user, transfer=transfer,
                material_type=form.cleaned_data["material_type"], fileobj=f, name=f.name,
                size=f.size, description=form.cleaned_data["description"])
            messages.success(request, "材料已添加。")
        except ValidationError as exc:
            _errors(request, exc)
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("transfers:detail", pk=transfer.pk)


@require_POST
@login_required
def letter_issue(request, pk: int):
    transfer = policy.access(request.user, Transfer, pk)
    try:
        services.transfer_letter_issue(actor=request.user, transfer=transfer)
        messages.success(request, "案件移送书已签发。")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("transfers:detail", pk=transfer.pk)


@require_POST
@login_required
def material_remove(request, pk: int):
    material = policy.access(request.user, TransferMaterial, pk)
    try:
        services.transfer_material_remove(actor=request.user, material=material)
        messages.success(request, "材料已删除。")
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("transfers:detail", pk=material.transfer_id)


@require_POST
@login_required
def transition(request, pk: int):
    transfer = policy.access(request.user, Transfer, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.transfer_transition(actor=request.user, transfer=transfer,
                                         target=form.cleaned_data["target"],
                                         note=form.cleaned_data["note"])
            messages.success(request, f"已{transfer.get_status_display()}。")
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("transfers:detail", pk=transfer.pk)


@require_POST
@login_required
def outcome(request, pk: int):
    transfer = policy.access(request.user, Transfer, pk)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.transfer_record_outcome(actor=request.user, transfer=transfer,
                                             outcome=form.cleaned_data["outcome"],
                                             note=form.cleaned_data["note"])
            messages.success(request, "司法处理结果已登记。")
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("transfers:detail", pk=transfer.pk)


# --- M4.5 orders -----------------------------------------------------------------------
@login_required
def order_list(request):
    orders = selectors.orders_for(request.user)
    q = search_keyword(request.GET)
    if q:
        orders = orders.filter(case__number__icontains=q) | orders.filter(
            department__name__icontains=q)
    page = Paginator(orders, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "transfers/order_list.html", {
        "page": page, "query": query.urlencode(), "q": q,
        "can_order": policy.organizations_with(request.user, "transfer.order").exists(),
    })


@login_required
def order_create(request):
    policy.require(request.user, "transfer.order")
    form = OrderForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.transfer_order_issue(
                actor=request.user, issuer=data["issuer"], department=data["case"].department,
                case=data["case"], receiver=data["receiver"], reason=data["reason"],
                due=data["due"], kind=data["kind"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "责令限期移送通知书已签发。")
            return redirect("transfers:order_detail", pk=order.pk)
    return render(request, "transfers/form.html", {"form": form, "title": "责令限期移送"})


@login_required
def order_detail(request, pk: int):
    order = policy.access(request.user, selectors.orders_for(request.user), pk)
    can_sanction = policy.has_capability(request.user, "transfer.order", order.issuer)
    form = SanctionForm(request.POST or None)
    if request.method == "POST":
        if not can_sanction:
            policy.require(request.user, "transfer.order", order.issuer)
        if form.is_valid():
            try:
                services.transfer_order_propose_sanction(actor=request.user, order=order,
                                                         **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "处分建议已提出，已通知区政府。")
                return redirect("transfers:order_detail", pk=order.pk)
    return render(request, "transfers/order_detail.html", {
        "order": order, "form": form, "can_sanction": can_sanction,
        "overdue": selectors.order_is_overdue(order),
        "transfers": policy.visible_to(request.user, order.transfers.all()),
        "deadlines": deadlines_for(request.user, order),
    })


def case_panel_context(request, case) -> dict | None:
    transfers = policy.visible_to(request.user, Transfer).filter(case=case).select_related(
        "receiver", "sender")
    can_create = policy.has_capability(request.user, "transfer.prepare", case.department)
    if not transfers.exists() and not can_create:
        return None
    return {"transfers": transfers, "can_create": can_create,
            "blockers": selectors.criminal_transfer_pending(case)}
