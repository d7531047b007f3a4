"""Transfer pages on the shared web layer (core.pages): the three lists (own, inbox,
supervision), a transfer with its materials and workflow, its create form and steps, and
the ordered transfers (M4.5) with the sanction proposal."""
from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from core import formats, pages, policy
from core.workflow import Actions

from . import effects, selectors, services
from .forms import (
    MaterialForm,
    OrderFilterForm,
    OrderForm,
    OutcomeForm,
    SanctionForm,
    TransferFilterForm,
    TransferForm,
)
from .models import (UNSENT, MaterialType, Transfer, TransferKind, TransferMaterial,
                     TransferOrder)
from .models import TransferStatus as S
from .workflow import OUTCOME_TARGETS, TRANSFER_WORKFLOW, reconsideration_due, required_materials


def _create_button(request, capability: str, url_name: str, label: str) -> dict:
    """The list's 新建 button, for a user who may create there."""
    if not policy.organizations_with(request.user, capability).exists():
        return {}
    return {"buttons": format_html('<a class="btn btn-primary" href="{}">{}</a>',
                                   reverse(url_name), label)}


def _given(obj, names) -> list[tuple[str, object]]:
    """The detail fields that hold something (a criminal transfer has no discovery time)."""
    return [(label, value) for label, value in pages.detail_fields(obj, names)
            if value not in ("", None)]


def _status_text(t: Transfer) -> str:
    return f"{t.get_status_display()}（{t.get_outcome_display()}）" if t.outcome else t.get_status_display()


# --- lists ------------------------------------------------------------------------------
class TransferList(pages.ListPage):
    title = "案件移送"
    filter_form = TransferFilterForm
    export_kind = "transfers_list"
    empty_text = "没有符合条件的移送。"
    columns = (
        ("事由", lambda t: t.subject),
        ("类别", lambda t: f"{t.get_kind_display()}（紧急）" if t.is_urgent else t.get_kind_display()),
        ("案件", lambda t: t.case.number if t.case else "—"),
        ("移送单位", lambda t: t.sender.short_name),
        ("接收单位", lambda t: t.receiver.short_name),
        ("状态", _status_text),
        ("移送时间", lambda t: formats.moment_text(t.sent_at) or "—"),
    )

    def get_queryset(self, request, filters):
        return selectors.transfer_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return _create_button(request, "transfer.prepare", "transfers:create", "新建案件移送")


class TransferInbox(TransferList):
    title = "移送收件箱"
    export_kind = "transfers_inbox"

    def get_queryset(self, request, filters):
        return selectors.inbox(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {}


class TransferSupervision(TransferList):
    """M4.1: every sent transfer, for the justice bureau and the procuratorate."""

    title = "移送监督"
    capability = "transfer.supervise"
    export_kind = "transfers"
    template_name = "transfers/supervision.html"

    def get_queryset(self, request, filters):
        return selectors.supervision_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"counts": selectors.supervision_counts(request.user)}


# --- one transfer -----------------------------------------------------------------------
def _transfer_get(user, pk) -> Transfer:
    return policy.access(user, Transfer.objects.select_related("sender", "receiver", "case", "order"), pk)


class TransferDetail(pages.DetailPage):
    template_name = "transfers/detail.html"
    # The workflow's actions are built in extra_context (the outcome steps left out).
    transition_url_name = "transfers:transition"
    fields = ("sender", "receiver", "case", "discovered_at", "reason", "basic_facts",
              "decision_travels", "sent_at", "reported_to", "return_reason", "outcome_by",
              "outcome_note", "outcome_document", "order")

    def get_queryset(self, request):
        return Transfer.objects.select_related("sender", "receiver", "case", "order")

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        materials = list(obj.materials.select_related("attachment", "document"))
        present = {m.material_type for m in materials if not (m.document and m.document.status == "voided")}
        outcome_choices = selectors.outcome_choices(user, obj)
        # The decisions of other organs are recorded with their document (the outcome
        # form), not with the plain buttons; who records them still shows as waiting.
        actions = TRANSFER_WORKFLOW.actions(obj, user)
        actions = Actions(tuple(b for b in actions.buttons if b.target not in OUTCOME_TARGETS),
                          actions.waiting)
        return {
            "transfer": obj, "actions": actions,
            "fields": _given(obj, self.fields),
            "materials": materials,
            "required": [(MaterialType(m).label, m in present) for m in required_materials(obj)],
            "editable": services.may_edit_materials(user, obj),
            "material_form": MaterialForm(),
            "outcome_form": OutcomeForm(choices=outcome_choices) if outcome_choices else None,
            # M4.3: the sender is told before sending that no report can be made.
            "no_higher_authority": (obj.kind == TransferKind.CRIMINAL and obj.status in UNSENT
                                    and obj.status != S.CANCELLED
                                    and effects.higher_authority(obj.sender) is None),
            "copies": obj.copied_to.all(),
            "reconsideration_due": (reconsideration_due(obj)
                                    if obj.status == S.NOT_FILED and not obj.reconsidered else None),
        }


class TransferCreate(pages.FormPage):
    title = "新建案件移送"
    capability = "transfer.prepare"
    form_class = TransferForm
    submit_label = "建立移送草稿"
    success_message = "移送草稿已建立，请签发案件移送书并上传所需材料。"

    def get_form_kwargs(self, request, obj):
        return {"user": request.user, "initial": {"case": request.GET.get("case")}}

    def save(self, request, form, obj):
        return services.transfer_create(actor=request.user, **form.cleaned_data)


class TransferAction(pages.ActionView):
    def get_object(self, request, pk):
        return _transfer_get(request.user, pk)


class MaterialAdd(TransferAction):
    form_class = MaterialForm
    success_message = "材料已添加。"

    def perform(self, request, transfer, data):
        f = data["file"]
        return services.transfer_material_add(
            actor=request.user, transfer=transfer, material_type=data["material_type"],
            fileobj=f, name=f.name, size=f.size, description=data["description"])


class LetterIssue(TransferAction):
    success_message = "案件移送书已签发。"

    def perform(self, request, transfer, data):
        return services.transfer_letter_issue(actor=request.user, transfer=transfer)


class MaterialRemove(TransferAction):
    success_message = "材料已删除。"

    def perform(self, request, transfer, data):
        material = policy.access(request.user, TransferMaterial.objects.filter(transfer=transfer),
                                 self.kwargs["material_pk"])
        return services.transfer_material_remove(actor=request.user, material=material)


class TransferTransition(pages.TransitionView):
    workflow = TRANSFER_WORKFLOW

    def get_object(self, request, pk):
        return _transfer_get(request.user, pk)

    def transition(self, request, transfer, target, note):
        return services.transfer_transition(actor=request.user, transfer=transfer, target=target,
                                            note=note)


class OutcomeRecord(TransferAction):
    form_class = OutcomeForm
    invalid_message = "请选择处理结果并上传决定书。"
    success_message = staticmethod(lambda t: f"已登记处理结果：{t.get_outcome_display()}。")

    def perform(self, request, transfer, data):
        f = data["document"]
        return services.transfer_record_outcome(
            actor=request.user, transfer=transfer, outcome=data["outcome"], note=data["note"],
            fileobj=f, name=f.name, size=f.size)


# --- M4.5 ordered transfers -------------------------------------------------------------
class OrderList(pages.ListPage):
    title = "责令限期移送"
    filter_form = OrderFilterForm
    export_kind = "transfer_orders"
    empty_text = "没有符合条件的责令限期移送。"
    columns = (
        ("案件", lambda o: o.case.number),
        ("被责令单位", lambda o: o.department.short_name),
        ("责令单位", lambda o: o.issuer.short_name),
        ("移送期限", lambda o: formats.due_text(o.due)),
        ("移送情况", lambda o: f"已于{formats.moment_text(o.complied_at)}移送" if o.complied_at else "未移送"),
        ("处分建议", lambda o: f"{o.sanction_target}：{o.get_sanction_display()}" if o.sanction else "—"),
    )

    def get_queryset(self, request, filters):
        return selectors.orders_for(request.user, filters)

    def extra_context(self, request, **kwargs):
        return _create_button(request, "transfer.order", "transfers:order_create", "责令限期移送")


class OrderCreate(pages.FormPage):
    title = "责令限期移送"
    capability = "transfer.order"
    form_class = OrderForm
    submit_label = "签发责令限期移送通知书"
    success_message = "责令限期移送通知书已签发。"

    def get_form_kwargs(self, request, obj):
        return {"user": request.user}

    def save(self, request, form, obj):
        data = form.cleaned_data
        return services.transfer_order_issue(
            actor=request.user, issuer=data["issuer"], department=data["case"].department,
            case=data["case"], receiver=data["receiver"], reason=data["reason"],
            due=data["due"], kind=data["kind"])


def _order_get(user, pk) -> TransferOrder:
    return policy.access(user, selectors.orders_for(user), pk)


class OrderDetail(pages.DetailPage):
    template_name = "transfers/order_detail.html"
    fields = ("issuer", "department", "case", "receiver", "kind", "reason", "notice",
              "complied_at", "sanction_target", "sanction_post", "sanction", "sanction_proposal",
              "sanction_proposed_at")

    def get_queryset(self, request):
        return selectors.orders_for(request.user)

    def extra_context(self, request, obj, **kwargs):
        return {
            "order": obj, "fields": _given(obj, self.fields),
            "overdue": selectors.order_is_overdue(obj),
            "transfers": policy.visible_to(request.user, obj.transfers.all()),
            "sanction_form": (SanctionForm() if services.may_propose_sanction(request.user, obj)
                              else None),
        }


class OrderSanction(pages.FormPage):
    """M4.5: the ordering unit asks the government to sanction the responsible head."""

    title = "提请区政府追究责任人责任"
    form_class = SanctionForm
    submit_label = "提出处分建议"
    success_message = "处分建议已提出，已通知区政府。"

    def get_object(self, request, pk):
        return _order_get(request.user, pk)

    def check(self, request, order):
        services.may_propose_sanction.require(request.user, order)

    def save(self, request, form, order):
        return services.transfer_order_propose_sanction(actor=request.user, order=order,
                                                        **form.cleaned_data)


def case_panel_context(request: HttpRequest, case) -> dict | None:
    transfers = policy.visible_to(request.user, Transfer).filter(case=case).select_related(
        "receiver", "sender")
    can_create = policy.has_capability(request.user, "transfer.prepare", case.department)
    if not transfers.exists() and not can_create:
        return None
    return {"transfers": transfers, "can_create": can_create,
            "blockers": selectors.transfer_blocks_decision(case)}
