"""Document pages on the shared web layer (core.pages): the list with its Excel copy, one
document with its PDF, versions, rectification loop and timeline, voiding, the
supervision notice form, and the file downloads (shared with the API)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_sameorigin

from core import formats, pages, policy
from core.workflow import Actions

from . import services
from .forms import (DocumentFilterForm, RectificationForm, RectificationReplyForm,
                    SupervisionNoticeForm)
from .models import (Document, DocumentStatus, RectificationKind, RectificationReport,
                     RectificationStatus)
from .rendering import document_docx_bytes
from .selectors import document_list, document_versions, rectification_reports
from .supervision import INSTRUMENTS
from .workflow import DOCUMENT_WORKFLOW, RECTIFICATION_WORKFLOW


def _filename(document: Document, extension: str) -> str:
    version = f"（第{document.version}版）" if document.version > 1 else ""
    return f"{document.number}{document.title}{version}.{extension}"


def _disposition(kind: str, name: str) -> str:
    return f"{kind}; filename*=UTF-8''{escape_uri_path(name)}"


def pdf_response(document: Document, *, inline: bool = False) -> FileResponse:
    """The stored PDF as issued; shared with the API so both serve the same file and name."""
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = _disposition("inline" if inline else "attachment",
                                                   _filename(document, "pdf"))
    return response


def docx_response(document: Document) -> HttpResponse:
    """The .docx rendered from the issued data (``document.issuer`` is read)."""
    response = HttpResponse(
        document_docx_bytes(document),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = _disposition("attachment", _filename(document, "docx"))
    return response


def _number(document: Document) -> str:
    return f"{document.number}（第{document.version}版）" if document.version > 1 else document.number


class DocumentList(pages.ListPage):
    title = "公文"
    filter_form = DocumentFilterForm
    export_kind = "documents"
    columns = (
        ("发文字号", _number),
        ("标题", lambda d: d.title),
        ("文种", lambda d: d.kind_title),
        ("发文机关", lambda d: d.issuer.name),
        ("主送单位", lambda d: d.addressee.name if d.addressee else "—"),
        ("签发时间", lambda d: formats.moment_text(d.issued_at)),
        ("状态", lambda d: d.get_status_display()),
    )
    empty_text = "没有符合条件的公文。"

    def get_queryset(self, request, filters):
        return document_list(request.user, filters)

    def extra_context(self, request, **kwargs):
        if not policy.organizations_with(request.user, "supervision.notice").exists():
            return {}
        return {"buttons": format_html('<a class="btn btn-primary" href="{}">签发行政执法监督通知书</a>',
                                       reverse("documents:supervision_notice_new"))}


class DocumentDetail(pages.DetailPage):
    template_name = "documents/document_detail.html"
    workflow = DOCUMENT_WORKFLOW
    # A correction is issued by its own service, not with a button here.
    workflow_exclude = (DocumentStatus.SUPERSEDED,)
    transition_url_name = "documents:void"
    fields = ("kind", "issuer", "addressee", "issued_by", "issued_at", "sha256")

    def get_queryset(self, request):
        return Document.objects.select_related("issuer", "addressee", "issued_by", "voided_by")

    def extra_context(self, request, obj, **kwargs):
        # Only the issuer's own buttons: "who acts next" would read as if voiding were due.
        actions = DOCUMENT_WORKFLOW.actions(obj, request.user, exclude=self.workflow_exclude)
        return {
            "fields": [*pages.detail_fields(obj, ("issuer", "addressee", "issued_by")),
                       ("签发时间", formats.moment_text(obj.issued_at)), ("文种", obj.kind_title),
                       ("文件校验码", obj.sha256)],
            "actions": Actions(actions.buttons, ()),
            "versions": document_versions(obj),
            **_rectification_context(request.user, obj),
        }


def _rectification_context(user, notice: Document) -> dict:
    """M7.5's loop on the notice page: what the unit sent, the bureau's replies, and the
    forms each side may use now."""
    if notice.kind not in INSTRUMENTS:
        return {}
    reports = rectification_reports(user, notice)
    for r in reports:
        # 退回 carries a new deadline, so it has a form of its own.
        r.actions = RECTIFICATION_WORKFLOW.actions(r, user, exclude=(RectificationStatus.RETURNED,))
        r.may_return = RECTIFICATION_WORKFLOW.actions(r, user).button(RectificationStatus.RETURNED)
    return {"rectification": True, "reports": reports,
            "may_report": services.may_report_rectification(user, notice),
            "report_form": RectificationForm()}


class RectificationSubmit(pages.FormPage):
    """The unit's report of its rectification, or its objection (M7.5)."""

    template_name = "documents/rectification_form.html"
    form_class = RectificationForm
    multipart = True
    submit_label = "提交"

    def get_object(self, request, pk, kind):
        if kind not in RectificationKind.values:
            raise Http404("没有这种报告。")
        self.kind = RectificationKind(kind)
        return policy.access(request.user, Document, pk)

    def check(self, request, notice):
        services.may_report_rectification.require(request.user, notice)

    def extra_context(self, request, obj, **kwargs):
        return {"title": f"{obj.number}：{self.kind.label}"}

    success_message = staticmethod(
        lambda report: f"{report.get_kind_display()}已提交，等待司法局审核。")

    def save(self, request, form, notice):
        return services.rectification_submit(actor=request.user, notice=notice, kind=self.kind,
                                             body=form.cleaned_data["body"],
                                             files=form.cleaned_data["files"])


class RectificationReply(pages.ActionView):
    """The issuing bureau accepts, sends back with a new deadline, or answers."""

    form_class = RectificationReplyForm
    invalid_message = "请求无效，请刷新页面后重试。"

    def get_object(self, request, pk):
        return policy.access(request.user, RectificationReport.objects.select_related(
            "notice", "notice__issuer", "notice__addressee"), pk)

    def perform(self, request, report, data):
        self.step = RECTIFICATION_WORKFLOW.find(report.status, data["target"])
        return services.rectification_reply(actor=request.user, report=report,
                                            target=data["target"], note=data["note"],
                                            new_deadline=data["new_deadline"])

    def message(self, request, report, result):
        return self.step.done_text


class DocumentVoid(pages.TransitionView):
    """作废 with its reason: the number stays used; a notice stops asking for rectification."""

    workflow = DOCUMENT_WORKFLOW

    def get_object(self, request, pk):
        return policy.access(request.user, Document, pk)

    def transition(self, request, document, target, note):
        if target != DocumentStatus.VOIDED:
            raise ValidationError("请求无效，请刷新页面后重试。")
        return services.document_void(document=document, actor=request.user, reason=note)

    def message(self, request, document, result):
        return f"{document.number}已作废，该文号不再使用。"


class SupervisionNoticeNew(pages.FormPage):
    """签发行政执法监督通知书 (M7.5). Rendering takes seconds: the page's one-time key stops a
    retried submit from issuing the same notice twice under two numbers."""

    title = "签发行政执法监督通知书"
    template_name = "documents/supervision_notice_form.html"
    form_class = SupervisionNoticeForm
    submit_label = "签发"
    success_message = staticmethod(lambda d: f"已签发{d.number}，整改期限已登记督办。")

    def check(self, request, obj):
        policy.require(request.user, "supervision.notice")

    def get_form_kwargs(self, request, obj):
        return {"user": request.user}

    def cancel_url(self, request, obj):
        return reverse("documents:list")

    def save(self, request, form, obj):
        data = dict(form.cleaned_data)
        data["title"] = data["title"] or None
        return services.supervision_notice_issue(actor=request.user, **data)


@xframe_options_sameorigin  # the detail page previews the PDF in an iframe
@login_required
def document_pdf(request, pk: int):
    document = policy.access(request.user, Document, pk)
    return pdf_response(document, inline=request.GET.get("download") is None)


@login_required
def document_docx(request, pk: int):
    document = policy.access(request.user, Document.objects.select_related("issuer"), pk)
    return docx_response(document)
