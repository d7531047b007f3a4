"""The complaint pages on the shared web layer (core.pages): the ledger (filters, Excel,
import), an entry from registration to archive with its deadlines and who acts next,
the channels, and the assistance requests. The public pages are in ``public.py``."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path

from cases.selectors import CasePaginator
from core import formats, pages, policy
from core.models import Organization
from core.views import INLINE_TYPES, STORED_FILE_CSP

from . import imports, selectors, services
from .forms import (AnswerForm, ArchiveForm, AssistanceFilterForm, AssistanceForm,
                    AssistanceReplyForm, ChannelFilterForm, ChannelForm, ComplaintFilterForm,
                    ComplaintForm, ExtendForm, FilesForm, ImportForm, InvestigationForm,
                    TransferForm, uploads)
from .models import (CONFIDENTIAL_FIELDS, AssistanceKind, AssistanceRequest, AssistanceStatus,
                     Complaint, ComplaintStatus)
from .workflow import ASSISTANCE_WORKFLOW, COMPLAINT_WORKFLOW, FORM_STEPS

VIEW = "complaint.view"
HANDLE = "complaint.handle"


def _units(user, capability: str = HANDLE):
    return policy.organizations_with(user, capability).filter(kind__in=services.ACTING_KINDS)


# --- the ledger ------------------------------------------------------------------------
class ComplaintList(pages.ListPage):
    capability = VIEW
    title = "投诉举报登记办理台账"
    template_name = "complaints/complaint_list.html"
    filter_form = ComplaintFilterForm
    export_kind = "complaints"
    columns = (("台账编号", lambda c: c.number), ("类别", lambda c: c.get_kind_display()),
               ("来源渠道", lambda c: c.get_channel_display()), ("办理单位", lambda c: c.unit.name),
               ("收到时间", lambda c: formats.moment_text(c.received_at)),
               ("被投诉举报单位", lambda c: c.subject_org.name if c.subject_org else ""),
               ("状态", lambda c: c.get_status_display() + ("（已逾期）" if c.is_overdue else "")))

    def get_queryset(self, request, filters):
        return selectors.complaint_list(request.user, filters)

    def get_paginator(self, qs):
        # One window of keys from the list index, the page's rows by key (issue 17,
        # Performance): no COUNT over the whole ledger, the same queries for any page size.
        return CasePaginator(qs, self.page_size, hydrate=selectors.ledger_rows)

    def extra_context(self, request, **kwargs):
        user = request.user
        return {"may_register": _units(user).exists(), "may_import": services.may_import(user),
                "sees_all": policy.sees_all(user)}


class ComplaintNew(pages.FormPage):
    capability = HANDLE
    form_class = ComplaintForm
    title = "登记投诉举报"
    multipart = True
    submit_label = "登记"
    success_message = staticmethod(lambda c: f"已登记，台账编号{c.number}。")

    def get_form_kwargs(self, request, obj):
        return {"units": _units(request.user), "initial": {
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}}

    def save(self, request, form, obj):
        data = dict(form.cleaned_data)
        files = uploads(data.pop("files"))
        return services.complaint_register(actor=request.user, files=files, **data)


class ComplaintDetail(pages.DetailPage):
    capability = VIEW
    model = Complaint
    template_name = "complaints/complaint_detail.html"
    workflow = COMPLAINT_WORKFLOW
    workflow_exclude = FORM_STEPS
    transition_url_name = "complaints:transition"
    fields = ("number", "unit", "kind", "channel", "hotline_order", "received_at", "anonymous",
              "confidential", "complainant_name", "complainant_id_number", "complainant_phone",
              "complainant_address", "subject_org", "subject_officer_name", "matter", "status",
              "accepted_at", "reject_reason", "transferred_to", "told_at", "extension_reason",
              "result", "concluded_at", "answer_method", "answer", "answered_at", "satisfaction",
              "archived_at", "tracking_code", "created_by", "created_at")
    confidential = CONFIDENTIAL_FIELDS

    def get_object(self, request, pk):
        return selectors.complaint_get(request.user, pk)

    def may_see_confidential(self, user, obj):
        return services.may_see_complainant(user, obj)

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        sees = services.may_see_complainant(user, obj)
        return {
            "files": selectors.files_of(obj) if sees else None,
            "origin": obj.referred_from if obj.referred_from_id and policy.visible_to(
                user, Complaint).filter(pk=obj.referred_from_id).exists() else None,
            "successor": selectors.successor_of(obj),
            "assistance": selectors.assistance_list(user).filter(complaint=obj),
            "may_transfer": services.may_transfer(user, obj),
            "may_answer": services.may_answer(user, obj),
            "may_archive": services.may_archive(user, obj),
            "may_extend": services.may_extend(user, obj),
            "may_request_investigation": services.may_request_investigation(user, obj),
            "may_add_files": services.may_add_files(user, obj),
            "files_form": FilesForm(),
        }


def _complaint(request, pk) -> Complaint:
    return selectors.complaint_get(request.user, pk)


class ComplaintTransition(pages.TransitionView):
    workflow = COMPLAINT_WORKFLOW

    def get_object(self, request, pk):
        return _complaint(request, pk)

    def transition(self, request, complaint, target, note):
        return services.complaint_transition(actor=request.user, complaint=complaint, target=target,
                                             note=note)


class _ComplaintStep(pages.FormPage):
    """A step of an entry that carries a form (转办, 答复, 归档, 延长, 协助调查)."""

    capability = HANDLE
    predicate: policy.Predicate

    def get_object(self, request, pk: int):
        return _complaint(request, pk)

    def check(self, request, complaint):
        self.predicate.require(request.user, complaint)

    def get_success_url(self, request, result):
        return self._obj_url

    def post(self, request, **kwargs):
        self._obj_url = _complaint(request, kwargs["pk"]).get_absolute_url()
        return super().post(request, **kwargs)


class ComplaintTransfer(_ComplaintStep):
    form_class = TransferForm
    title = "转办投诉举报"
    submit_label = "转办"
    predicate = services.may_transfer
    success_message = "已转办，投诉举报人已被告知处理单位。"

    def get_form_kwargs(self, request, obj):
        return {"initial": {"told_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}}

    def save(self, request, form, complaint):
        return services.complaint_transfer(actor=request.user, complaint=complaint, **form.cleaned_data)


class ComplaintAnswer(_ComplaintStep):
    form_class = AnswerForm
    title = "记录答复情况"
    submit_label = "保存答复"
    predicate = services.may_answer
    success_message = "已记录答复情况。"

    def get_form_kwargs(self, request, obj):
        return {"initial": {"answered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                            "answer": obj.result}}

    def save(self, request, form, complaint):
        return services.complaint_answer(actor=request.user, complaint=complaint, **form.cleaned_data)


class ComplaintArchive(_ComplaintStep):
    form_class = ArchiveForm
    title = "归档"
    submit_label = "归档"
    predicate = services.may_archive
    success_message = "已归档。"

    def save(self, request, form, complaint):
        return services.complaint_archive(actor=request.user, complaint=complaint, **form.cleaned_data)


class ComplaintExtend(_ComplaintStep):
    capability = "complaint.extend"
    form_class = ExtendForm
    title = "延长办理期限"
    submit_label = "批准延长"
    predicate = services.may_extend
    success_message = "办理期限已延长（只能延长一次）。"

    def save(self, request, form, complaint):
        services.complaint_extend(actor=request.user, complaint=complaint, **form.cleaned_data)
        return complaint


class InvestigationRequest(_ComplaintStep):
    capability = "assistance.handle"
    form_class = InvestigationForm
    title = "请求协助调查"
    submit_label = "发出协助调查请求"
    predicate = services.may_request_investigation
    success_message = "已向被投诉举报单位发出协助调查请求。"

    def save(self, request, form, complaint):
        services.assistance_request(actor=request.user, requester=complaint.unit,
                                    addressee=complaint.subject_org,
                                    kind=AssistanceKind.INVESTIGATION, complaint=complaint,
                                    **form.cleaned_data)
        return complaint


class ComplaintFilesAdd(pages.ActionView):
    form_class = FilesForm
    invalid_message = "请选择要上传的文件。"
    success_message = "材料已上传。"

    def get_object(self, request, pk):
        return _complaint(request, pk)

    def perform(self, request, complaint, data):
        return services.complaint_files_add(actor=request.user, complaint=complaint,
                                            files=uploads(data["files"]))


@login_required
def file_download(request, pk: int):
    """A material — never active content on the site's origin (as core's attachments)."""
    row = selectors.file_get(request.user, pk)
    inline = row.content_type in INLINE_TYPES and request.GET.get("download") is None
    response = FileResponse(row.file.open("rb"), content_type=row.content_type)
    response["Content-Disposition"] = (
        f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{escape_uri_path(row.original_name)}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = STORED_FILE_CSP
    return response


class ComplaintImport(pages.FormPage):
    capability = "complaint.import"
    form_class = ImportForm
    title = "导入投诉举报台账"
    template_name = "complaints/import.html"
    multipart = True
    submit_label = "导入"

    def get_form_kwargs(self, request, obj):
        return {"units": _units(request.user, "complaint.import")}

    def extra_context(self, request, obj=None, form=None, **kwargs):
        return {"columns": imports.COLUMNS, "report": getattr(self, "_report", None)}

    def save(self, request, form, obj):
        f = form.cleaned_data["file"]
        try:
            result = imports.complaint_import(actor=request.user, unit=form.cleaned_data["unit"],
                                              fileobj=f)
        except imports.ImportRefused as refused:
            self._report = refused.problems
            raise ValidationError(f"台账有 {len(refused.problems)} 处错误，未导入任何一行，请改正后重新导入。") from None
        self._count = result
        return form.cleaned_data["unit"]

    def success_message(self, unit) -> str:
        return f"已导入 {self._count} 行，已编入{unit.name}的台账。"

    def get_success_url(self, request, result):
        from django.urls import reverse

        return f"{reverse('complaints:list')}?unit={result.pk}"


# --- channels (M3.1) -------------------------------------------------------------------
class ChannelList(pages.ListPage):
    capability = None
    title = "投诉举报渠道"
    template_name = "complaints/channel_list.html"
    filter_form = ChannelFilterForm
    export_kind = "complaint_channels"
    columns = (("单位", lambda c: c.organization.name), ("受理机构", lambda c: c.handling_office),
               ("投诉举报电话", lambda c: c.phone), ("信箱", lambda c: c.postal),
               ("电子邮箱", lambda c: c.email), ("接待地址", lambda c: c.address),
               ("接待时间", lambda c: c.hours))

    def get_queryset(self, request, filters):
        return policy.visible_to(request.user, selectors.channel_list(filters))

    def extra_context(self, request, **kwargs):
        user = request.user
        return {"missing": selectors.units_without_channel() if policy.sees_all(user) else None,
                "may_publish": _units(user, "complaint.channel").exists()}


class ChannelEdit(pages.FormPage):
    capability = "complaint.channel"
    form_class = ChannelForm
    title = "公布投诉举报渠道"
    success_message = "投诉举报渠道已公布。"

    def get_form_kwargs(self, request, obj):
        units = _units(request.user, "complaint.channel")
        if policy.sees_all(request.user):
            units = Organization.objects.filter(kind__in=services.ACTING_KINDS, is_active=True).order_by("kind", "name")
        initial = {}
        wanted = request.GET.get("organization", "")
        unit = (units.filter(pk=int(wanted)).first() if wanted.isdigit() else None) or units.first()
        channel = getattr(unit, "complaint_channel", None) if unit else None
        if unit:
            initial["organization"] = unit.pk
        if channel:
            initial.update({name: getattr(channel, name) for name in services.CHANNEL_FIELDS})
        return {"units": units, "initial": initial}

    def save(self, request, form, obj):
        return services.channel_save(actor=request.user, **form.cleaned_data)


# --- assistance (M3.4, M15.5) ----------------------------------------------------------
class AssistanceList(pages.ListPage):
    capability = "assistance.handle"
    title = "协助请求"
    template_name = "complaints/assistance_list.html"
    filter_form = AssistanceFilterForm
    export_kind = "complaint_assistance"
    columns = (("事项", lambda a: a.subject), ("类别", lambda a: a.get_kind_display()),
               ("请求单位", lambda a: a.requester.name), ("被请求单位", lambda a: a.addressee.name),
               ("答复期限", lambda a: formats.date_text(a.reply_due)),
               ("状态", lambda a: a.get_status_display()))

    def get_queryset(self, request, filters):
        return selectors.assistance_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        return {"may_request": _units(request.user, "assistance.handle").exists()}


class AssistanceNew(pages.FormPage):
    capability = "assistance.handle"
    form_class = AssistanceForm
    title = "提出协助请求"
    multipart = True
    submit_label = "发出请求"
    success_message = "协助请求已发出，被请求单位已收到通知。"

    def get_form_kwargs(self, request, obj):
        return {"units": _units(request.user, "assistance.handle")}

    def save(self, request, form, obj):
        data = dict(form.cleaned_data)
        f = data.pop("letter")
        return services.assistance_request(actor=request.user, letter=(f, f.name, f.size) if f else None,
                                           **data)


class AssistanceDetail(pages.DetailPage):
    capability = "assistance.handle"
    model = AssistanceRequest
    template_name = "complaints/assistance_detail.html"
    workflow = ASSISTANCE_WORKFLOW
    workflow_exclude = (AssistanceStatus.REPLIED,)
    transition_url_name = "complaints:assistance_transition"
    fields = ("kind", "complaint", "requester", "addressee", "subject", "content", "letter",
              "reply_due", "status", "reply", "replied_at", "created_by", "created_at")

    def get_object(self, request, pk):
        return selectors.assistance_get(request.user, pk)

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        return {"files": selectors.assistance_files(user, obj),
                "may_reply": obj.status == AssistanceStatus.REQUESTED and policy.has_capability(
                    user, "assistance.handle", obj.addressee)}


class AssistanceTransition(pages.TransitionView):
    workflow = ASSISTANCE_WORKFLOW

    def get_object(self, request, pk):
        return selectors.assistance_get(request.user, pk)

    def transition(self, request, obj, target, note):
        if target != AssistanceStatus.DECLINED:
            raise ValidationError("答复请填写答复表单。")
        return services.assistance_answer(actor=request.user, request=obj, target=target, reply=note)


class AssistanceReply(pages.FormPage):
    capability = "assistance.handle"
    form_class = AssistanceReplyForm
    title = "答复协助请求"
    multipart = True
    submit_label = "提交答复"
    success_message = "已答复，请求单位已收到通知。"

    def get_object(self, request, pk: int):
        return selectors.assistance_get(request.user, pk)

    def check(self, request, obj):
        if not policy.has_capability(request.user, "assistance.handle", obj.addressee):
            raise PermissionDenied("只有被请求单位可以答复。")

    def save(self, request, form, obj):
        return services.assistance_answer(actor=request.user, request=obj,
                                          target=AssistanceStatus.REPLIED,
                                          reply=form.cleaned_data["reply"],
                                          files=uploads(form.cleaned_data["files"]))
