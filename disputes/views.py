"""Dispute pages on the shared web layer (core.pages): the list, the government's list of
the disputes awaiting its ruling, the application, the dispute's page from the negotiation
record to the ruling carried out, and the forms of each step."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect

from core import formats, pages
from deadlines.selectors import deadlines_for

from . import selectors, services
from .forms import (AgreementForm, DisputeFilterForm, DisputeForm, MeetingForm, NegotiationForm,
                    NegotiationRemoveForm, OpinionForm, OpinionRequestForm, RecommendationForm,
                    ReportForm, RulingForm)
from .models import Dispute, DisputeStatus
from .workflow import DISPUTE_WORKFLOW, FORM_STEPS

VIEW = "dispute.view"


def _parties(dispute: Dispute) -> str:
    return "、".join(p.organization.name for p in dispute.parties.all())


COLUMNS = (("争议事项", lambda d: d.subject), ("争议类别", lambda d: d.get_kind_display()),
           ("当事单位", _parties), ("申请时间", lambda d: formats.moment_text(d.filed_at)),
           ("状态", lambda d: d.get_status_display()))


class DisputeList(pages.ListPage):
    capability = VIEW
    title = "执法争议协调"
    template_name = "disputes/dispute_list.html"
    filter_form = DisputeFilterForm
    export_kind = "disputes"
    columns = COLUMNS

    def get_queryset(self, request, filters):
        return selectors.dispute_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"may_file": selectors.acting_organizations(request.user, "dispute.file").exists()}


class RulingList(pages.ListPage):
    """The district government's list (M2.4, M15.6): the disputes brought to it that it
    has not ruled on yet."""

    capability = "dispute.rule"
    title = "争议裁决"
    columns = COLUMNS + (("报请时间", lambda d: formats.moment_text(d.submitted_at)),)
    empty_text = "没有待裁决的争议。"

    def get_queryset(self, request, filters):
        return selectors.awaiting_ruling(request.user)


class DisputeNew(pages.FormPage):
    capability = "dispute.file"
    form_class = DisputeForm
    title = "申请执法争议协调"
    submit_label = "下一步：记录先行协商情况"
    success_message = "已建立协调申请，请记录与各当事单位先行协商的情况后提交。"

    def check(self, request, obj):
        if not selectors.acting_organizations(request.user, "dispute.file").exists():
            raise PermissionDenied("须以区行政执法部门或乡镇人民政府（街道办事处）名义申请。")

    def get_form_kwargs(self, request, obj):
        return {"units": selectors.acting_organizations(request.user, "dispute.file")}

    def save(self, request, form, obj):
        return services.dispute_create(actor=request.user, **form.cleaned_data)


def _dispute(request, pk) -> Dispute:
    return selectors.dispute_get(request.user, pk)


def waiting_text(dispute: Dispute, parties) -> str:
    """Who acts next at the steps taken through forms (the workflow's buttons say it for
    the others)."""
    names = lambda rows: "、".join(p.organization.name for p in rows)  # noqa: E731
    if dispute.status == DisputeStatus.COORDINATING:
        owing = [p for p in parties if p.opinion_due and not p.opinion]
        if owing:
            return f"待{names(owing)}提交书面意见；区司法局协调后出具协调意见或书面建议"
        return "待区司法局征求意见、召开协调会，出具协调意见或书面建议"
    if dispute.status == DisputeStatus.AGREEMENT:
        return f"待{names(p for p in parties if p.confirmed_at is None)}确认协调意见"
    if dispute.status == DisputeStatus.SUBMITTED:
        return f"待{dispute.government}作出裁决"
    if dispute.status == DisputeStatus.RULED:
        return f"待{names(p for p in parties if p.implemented_at is None)}报告裁决执行情况"
    return ""


class DisputeDetail(pages.DetailPage):
    capability = VIEW
    model = Dispute
    template_name = "disputes/dispute_detail.html"
    workflow = DISPUTE_WORKFLOW
    workflow_exclude = FORM_STEPS
    transition_url_name = "disputes:transition"
    fields = ("kind", "applicant", "subject", "facts", "coordinator", "status", "filed_at",
              "accepted_at", "refuse_reason", "agreement", "agreed_at", "settled_at",
              "government", "submitted_at", "ruling", "competent", "ruled_at", "closed_at")

    def get_object(self, request, pk):
        return _dispute(request, pk)

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        parties = list(selectors.parties_of(obj))
        for p in parties:
            p.dispute = obj
            p.deadlines = deadlines_for(user, p).order_by("due")
            p.files = selectors.files_of(user, p)
            p.may_give_opinion = services.may_give_opinion(user, p)
            p.may_confirm = services.may_confirm(user, p)
            p.may_report = services.may_report_implementation(user, p)
        return {
            "parties": parties,
            "waiting": waiting_text(obj, parties),
            "negotiations": obj.negotiations.select_related("party__organization"),
            "meetings": obj.meetings.all(),
            "may_edit_draft": services.may_edit_draft(user, obj),
            "may_coordinate": services.may_coordinate(user, obj),
            "may_request_opinions": services.may_coordinate(user, obj)
            and any(p.opinion_due is None for p in parties),
            "may_agree": services.may_coordinate(user, obj),
            "may_recommend": services.may_recommend(user, obj),
            "may_rule": services.may_rule(user, obj),
            "opinion_request_form": OpinionRequestForm(),
            "ruling_file": obj.ruling_file,
        }


class DisputeTransition(pages.TransitionView):
    workflow = DISPUTE_WORKFLOW

    def get_object(self, request, pk):
        return _dispute(request, pk)

    def transition(self, request, dispute, target, note):
        user = request.user
        if target == DisputeStatus.FILED:
            return services.dispute_file(actor=user, dispute=dispute)
        if target == DisputeStatus.COORDINATING:
            return services.dispute_accept(actor=user, dispute=dispute)
        if target == DisputeStatus.REFUSED:
            return services.dispute_refuse(actor=user, dispute=dispute, reason=note)
        raise ValidationError("请通过相应表单办理。")


class _DisputeForm(pages.FormPage):
    """A form on one dispute, offered as ``predicate`` (the service's own rule) allows."""

    capability = VIEW
    template_name = "disputes/step_form.html"
    predicate = None

    def get_object(self, request, pk: int):
        return _dispute(request, pk)

    def check(self, request, dispute):
        self.predicate.require(request.user, dispute)


class NegotiationAdd(_DisputeForm):
    form_class = NegotiationForm
    title = "记录先行协商情况"
    success_message = "已记录该方在协商中的意见。"
    predicate = services.may_edit_draft

    def get_form_kwargs(self, request, dispute):
        return {"dispute": dispute}

    def save(self, request, form, dispute):
        services.negotiation_add(actor=request.user, dispute=dispute, **form.cleaned_data)
        return dispute


class NegotiationRemove(pages.ActionView):
    form_class = NegotiationRemoveForm
    success_message = "已删除该协商记录。"

    def get_object(self, request, pk):
        return _dispute(request, pk)

    def perform(self, request, dispute, data):
        row = dispute.negotiations.filter(pk=data["row"]).first()
        if row is None:
            raise ValidationError("该协商记录已删除。")
        return services.negotiation_remove(actor=request.user, row=row)


class OpinionRequest(pages.ActionView):
    form_class = OpinionRequestForm
    invalid_message = "请填写有效的书面意见期限。"
    success_message = "已征求各当事单位的书面意见。"

    def get_object(self, request, pk):
        return _dispute(request, pk)

    def perform(self, request, dispute, data):
        return services.opinion_request(actor=request.user, dispute=dispute, due_on=data["due_on"])


class MeetingAdd(_DisputeForm):
    form_class = MeetingForm
    title = "登记协调会"
    success_message = "已登记协调会。"
    predicate = services.may_coordinate

    def save(self, request, form, dispute):
        services.meeting_record(actor=request.user, dispute=dispute, **form.cleaned_data)
        return dispute


class AgreementNew(_DisputeForm):
    form_class = AgreementForm
    title = "出具协调意见"
    submit_label = "出具协调意见，请各方确认"
    success_message = "协调意见已送各当事单位确认。"
    predicate = services.may_coordinate

    def save(self, request, form, dispute):
        return services.agreement_record(actor=request.user, dispute=dispute, **form.cleaned_data)


class RecommendationNew(_DisputeForm):
    form_class = RecommendationForm
    title = "协调未果：出具行政执法争议协调书面建议"
    submit_label = "签发书面建议并报请区政府裁决"
    success_message = "书面建议已签发，已报请区政府裁决。"
    predicate = services.may_recommend

    def save(self, request, form, dispute):
        return services.recommendation_issue(actor=request.user, dispute=dispute, **form.cleaned_data)


class RulingNew(_DisputeForm):
    capability = "dispute.rule"
    form_class = RulingForm
    title = "登记区政府裁决"
    multipart = True
    success_message = "裁决已登记，并已通知各当事单位。"
    predicate = services.may_rule

    def get_form_kwargs(self, request, dispute):
        return {"dispute": dispute}

    def save(self, request, form, dispute):
        data = form.cleaned_data
        f = data["document"]
        return services.ruling_record(actor=request.user, dispute=dispute, ruling=data["ruling"],
                                      implement_due=data["implement_due"],
                                      competent=data.get("competent"),
                                      document=(f, f.name, f.size))


@login_required
def party_page(request, pk: int):
    """A party's part of its dispute's page (the target of its deadlines)."""
    party = selectors.party_get(request.user, pk)
    return HttpResponseRedirect(f"{party.dispute.get_absolute_url()}#party-{party.pk}")


class _PartyForm(pages.FormPage):
    capability = "dispute.respond"
    template_name = "disputes/step_form.html"
    predicate = None

    def get_object(self, request, pk: int):
        return selectors.party_get(request.user, pk)

    def check(self, request, party):
        self.predicate.require(request.user, party)


class OpinionSubmit(_PartyForm):
    form_class = OpinionForm
    title = "提交书面意见"
    submit_label = "提交书面意见"
    multipart = True
    success_message = "书面意见已提交区司法局。"
    predicate = services.may_give_opinion

    def save(self, request, form, party):
        f = form.cleaned_data["file"]
        return services.opinion_submit(actor=request.user, party=party,
                                       opinion=form.cleaned_data["opinion"],
                                       files=[(f, f.name, f.size)] if f else ())


class AgreementConfirm(pages.ActionView):
    success_message = "已确认协调意见。"

    def get_object(self, request, pk):
        return selectors.party_get(request.user, pk)

    def perform(self, request, party, data):
        return services.agreement_confirm(actor=request.user, party=party)


class ImplementationReport(_PartyForm):
    form_class = ReportForm
    title = "报告裁决执行情况"
    submit_label = "提交执行情况"
    success_message = "执行情况已报告。"
    predicate = services.may_report_implementation

    def save(self, request, form, party):
        return services.implementation_report(actor=request.user, party=party,
                                              report=form.cleaned_data["report"])
