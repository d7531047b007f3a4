from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import escape_uri_path
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from core import policy
from core.audit import events_for, verb_label

from . import services
from .forms import DocumentFilterForm, DocumentVoidForm, SupervisionNoticeForm
from .models import Document
from .rendering import document_docx_bytes
from .selectors import document_list as select_documents
from .selectors import document_versions
from .workflow import DOCUMENT_WORKFLOW


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


@login_required
def document_list(request):
    form = DocumentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    documents = select_documents(
        request.user, kind=filters.get("kind") or "", issuer=filters.get("issuer"),
        year=filters.get("year"), q=(filters.get("q") or "").strip())
    page = Paginator(documents, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "documents/document_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "can_issue_notice": policy.organizations_with(request.user, "supervision.notice").exists(),
    })


@login_required
def document_detail(request, pk: int):
    document = policy.access(request.user, Document.objects.select_related(
        "issuer", "addressee", "issued_by", "voided_by"), pk)
    events = list(events_for(document))
    for event in events:
        event.verb_text = verb_label(event.verb)
    can_void = any(t.target == "voided" for t in DOCUMENT_WORKFLOW.available(document, request.user))
    return render(request, "documents/document_detail.html", {
        "document": document,
        "versions": document_versions(document),
        "events": events,
        "void_form": DocumentVoidForm() if can_void else None,
    })


@xframe_options_sameorigin  # the detail page previews the PDF in an iframe
@login_required
def document_pdf(request, pk: int):
    document = policy.access(request.user, Document, pk)
    return pdf_response(document, inline=request.GET.get("download") is None)


@login_required
def document_docx(request, pk: int):
    document = policy.access(request.user, Document.objects.select_related("issuer"), pk)
    return docx_response(document)


@require_POST
@login_required
def document_void(request, pk: int):
    document = policy.access(request.user, Document, pk)
    form = DocumentVoidForm(request.POST)
    if form.is_valid():
        try:
            services.document_void(document=document, actor=request.user,
                                   reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"{document.number}已作废，该文号不再使用。")
    else:
        messages.error(request, "请填写作废理由。")
    return redirect(document.get_absolute_url())


@login_required
def supervision_notice_new(request):
    policy.require(request.user, "supervision.notice")
    form = SupervisionNoticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.supervision_notice_issue(
                actor=request.user, issuer=data["issuer"], addressee=data["addressee"],
                facts=data["facts"], legal_basis=data["legal_basis"],
                rectification=data["rectification"], deadline=data["deadline"],
                report_method=data["report_method"], contact=data["contact"],
                attachments=data["attachments"], title=data["title"] or None)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, f"已签发{document.number}，整改期限已登记督办。")
            return redirect(document.get_absolute_url())
    return render(request, "documents/supervision_notice_form.html", {"form": form})
