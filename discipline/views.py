"""Referral pages on the shared web layer (core.pages): the list, the justice bureau's
accountability leads (M10.4), one referral with its workflow's buttons, the leads form,
the penalty decision and seal steps, and the panel on the case page."""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cases.models import EnforcementCase
from core import formats, pages

from . import services
from .forms import DecisionFileForm, LeadFilterForm, LeadsForm, ReferralFilterForm
from .models import ReferralStatus
from .selectors import accountability_leads, referral_for_case, referral_get, referral_list
from .workflow import REFERRAL_WORKFLOW


def referral_panel_context(request: HttpRequest, case: EnforcementCase) -> dict[str, Any] | None:
    referral = referral_for_case(request.user, case)
    return None if referral is None else {"referral": referral}


def _state(r) -> str:
    return f"{r.get_status_display()}（已逾期）" if r.deadline_state == "overdue" else r.get_status_display()


def _done(r) -> str:
    if not r.met_at:
        return "—"
    late = "（逾期完成）" if r.due and r.met_at > r.due else ""
    return f"{formats.moment_text(r.met_at)}{late}"


REFERRAL_COLUMNS = (
    ("案件编号", lambda r: r.case.number),
    ("移送单位", lambda r: r.department.short_name),
    ("状态", _state),
    ("移送期限", lambda r: formats.due_text(r.due) or "—"),
    ("完成", _done),
    ("移送函", lambda r: r.letter_number or "—"),
)


class ReferralList(pages.ListPage):
    title = "违纪线索移送"
    capability = "referral.view"
    filter_form = ReferralFilterForm
    export_kind = "discipline_referrals"
    template_name = "discipline/referral_list.html"
    columns = REFERRAL_COLUMNS

    def get_queryset(self, request, filters):
        return referral_list(request.user, filters)


def _ground(r) -> str:
    if r.status == ReferralStatus.NO_MATTER:
        return f"经研判无违纪线索：{r.no_matter_reason}"
    return "逾期未移送" if r.deadline_state == "overdue" else "逾期后移送"


class AccountabilityLeads(pages.ListPage):
    """M10.4: failing to refer, or to refer in time, is itself accountable; a "no matter"
    judgement is reviewed for failing to notice."""

    title = "问责线索"
    capability = "referral.oversee"
    filter_form = LeadFilterForm
    export_kind = "discipline_leads"
    template_name = "discipline/accountability.html"
    columns = (*REFERRAL_COLUMNS[:4], ("问责线索", _ground))

    def get_queryset(self, request, filters):
        return accountability_leads(request.user, filters)


class ReferralDetail(pages.DetailPage):
    template_name = "discipline/referral_detail.html"
    workflow = REFERRAL_WORKFLOW
    transition_url_name = "discipline:transition"
    fields = ("case", "department", "commission", "leads", "signed_by", "signed_at",
              "seal_confirmed_by", "seal_confirmed_at", "delivered_at", "acknowledged_by",
              "acknowledged_at", "no_matter_reason")

    def get_object(self, request, pk):
        return referral_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        return {
            "referral": obj, "parties": obj.parties.all(),
            "leads_form": LeadsForm(initial={"leads": obj.leads, "commission": obj.commission})
            if services.may_write_leads(user, obj) else None,
            "file_form": DecisionFileForm() if services.may_attach_decision(user, obj) else None,
            "may_confirm_seal": services.may_confirm_seal(user, obj),
        }


class ReferralTransition(pages.TransitionView):
    workflow = REFERRAL_WORKFLOW

    def get_object(self, request, pk):
        return referral_get(request.user, pk)

    def transition(self, request, referral, target, note):
        return services.referral_transition(actor=request.user, referral=referral,
                                            target=target, note=note)


class ReferralWrite(pages.FormPage):
    """The leads and the receiving commission; a refusal keeps what was typed."""

    title = "撰写违纪线索"
    form_class = LeadsForm
    success_message = "违纪线索已保存。"

    def get_object(self, request, pk):
        return referral_get(request.user, pk)

    def check(self, request, referral):
        services.may_write_leads.require(request.user, referral)

    def get_form_kwargs(self, request, referral):
        return {"initial": {"leads": referral.leads, "commission": referral.commission}}

    def save(self, request, form, referral):
        return services.referral_write(actor=request.user, referral=referral,
                                       leads=form.cleaned_data["leads"],
                                       commission=form.cleaned_data["commission"])


class ReferralDecision(pages.ActionView):
    form_class = DecisionFileForm
    invalid_message = "请选择行政处罚决定书文件。"
    success_message = staticmethod(lambda a: f"已附行政处罚决定书“{a.original_name}”。")

    def get_object(self, request, pk):
        return referral_get(request.user, pk)

    def perform(self, request, referral, data):
        f = data["file"]
        return services.referral_attach_decision(actor=request.user, referral=referral,
                                                 fileobj=f, name=f.name, size=f.size)


class ReferralSeal(pages.ActionView):
    success_message = "已确认加盖公章。"

    def get_object(self, request, pk):
        return referral_get(request.user, pk)

    def perform(self, request, referral, data):
        return services.referral_confirm_seal(actor=request.user, referral=referral)
