"""/api/v1/documents/: issued documents through the same scope, filters, files and
services as the pages (documents/views.py). Documents are never written here: voiding and
issuing a supervision notice go through documents.services, which check, audit and
open or cancel the rectification deadline."""
from __future__ import annotations

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from core import policy
from core.api import ScopedViewSetMixin
from core.drf import FilterSet
from core.models import Organization

from . import kinds, services
from .forms import SupervisionNoticeForm
from .models import Document
from .supervision import NOTICE_LIMITS
from .views import docx_response, pdf_response

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentSerializer(serializers.ModelSerializer):
    kind_title = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    issuer_name = serializers.CharField(source="issuer.name", read_only=True)
    addressee_name = serializers.CharField(source="addressee.name", read_only=True,
                                           allow_null=True)
    issued_by_name = serializers.CharField(source="issued_by.display_name", read_only=True)
    voided_by_name = serializers.CharField(source="voided_by.display_name", read_only=True,
                                           allow_null=True)
    target_type = serializers.CharField(source="target_type.model", read_only=True,
                                        allow_null=True, help_text="所属对象的类型（如案件、移送）。")

    class Meta:
        model = Document
        fields = ["id", "kind", "kind_title", "number", "title", "version", "previous",
                  "issuer", "issuer_name", "addressee", "addressee_name", "year", "sequence",
                  "status", "status_display", "issued_by_name", "issued_at", "sha256", "size",
                  "data", "voided_at", "voided_by_name", "void_reason", "target_type",
                  "target_id"]
        read_only_fields = fields


class DocumentVoidSerializer(serializers.Serializer):
    reason = serializers.CharField(label="作废理由", max_length=1000, error_messages={
        "required": "请填写作废理由。", "blank": "请填写作废理由。"})


class _NoticeIssuerField(serializers.PrimaryKeyRelatedField):
    """Only the organisations the user may issue a notice for, as the page's form offers."""

    def get_queryset(self):
        return policy.organizations_with(self.context["request"].user, "supervision.notice")


class SupervisionNoticeSerializer(serializers.Serializer):
    """The fields of the page's SupervisionNoticeForm; the service checks the deadline."""

    issuer = _NoticeIssuerField(label="发文机关", queryset=Organization.objects.all())
    addressee = serializers.PrimaryKeyRelatedField(
        label="主送单位", queryset=SupervisionNoticeForm.base_fields["addressee"].queryset,
        help_text="被监督的行政执法部门或乡镇（街道）。")
    title = serializers.CharField(label="标题", max_length=200, required=False, allow_blank=True,
                                  default="", help_text="不填则为“行政执法监督通知书”。")
    facts = serializers.CharField(label="检查发现的问题", max_length=NOTICE_LIMITS["facts"],
                                  help_text="每段一行；以“（一）”开头的段落按二级标题排版。")
    legal_basis = serializers.CharField(label="认定依据", max_length=NOTICE_LIMITS["legal_basis"])
    rectification = serializers.CharField(label="整改要求",
                                          max_length=NOTICE_LIMITS["rectification"])
    deadline = serializers.DateField(label="整改期限",
                                     help_text="整改须于该日24时前完成，须晚于今天。")
    report_method = serializers.CharField(label="整改情况报告方式",
                                          max_length=NOTICE_LIMITS["report_method"])
    contact = serializers.CharField(label="联系人及电话", max_length=NOTICE_LIMITS["contact"], required=False,
                                    allow_blank=True, default="")
    attachments = serializers.ListField(label="附件名称", child=serializers.CharField(max_length=200),
                                        max_length=20,
                                        required=False, default=list,
                                        help_text="每项一个附件名称，没有附件则不填。")


class _FileNegotiation(BaseContentNegotiation):
    """A file action answers with its file whatever Accept says, and with JSON when it
    fails (DRF would refuse ``Accept: application/pdf`` with 406)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DocumentFilter(FilterSet):  # core.drf's: moments filtered in UTC
    kind = django_filters.ChoiceFilter(label="文种", choices=kinds.choices)

    class Meta:
        model = Document
        fields = ["kind", "issuer", "year", "status"]


class DocumentViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Documents the user's organisations issued or received, or whose object they see."""

    queryset = Document.objects.select_related("issuer", "addressee", "issued_by", "voided_by",
                                               "target_type")
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    search_fields = ["number", "title"]
    ordering_fields = ["issued_at", "number", "year"]

    def get_serializer_class(self):
        if self.action == "void":
            return DocumentVoidSerializer
        if self.action == "supervision_notice":
            return SupervisionNoticeSerializer
        return DocumentSerializer

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], content_negotiation_class=_FileNegotiation)
    def pdf(self, request, pk=None):
        """The issued PDF, as the page's download button serves it."""
        return pdf_response(self.get_object())

    @extend_schema(responses={(200, DOCX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], content_negotiation_class=_FileNegotiation)
    def docx(self, request, pk=None):
        """The Word version, as the page's download button serves it."""
        return docx_response(self.get_object())

    @extend_schema(request=DocumentVoidSerializer, responses=DocumentSerializer)
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        """Void the document; its number stays used (the issuer's 作废公文 capability)."""
        document = self.get_object()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.document_void(document=document, actor=request.user,
                               reason=data.validated_data["reason"])
        return Response(DocumentSerializer(document).data)

    @extend_schema(request=SupervisionNoticeSerializer, responses={201: DocumentSerializer})
    @action(detail=False, methods=["post"], url_path="supervision-notice")
    def supervision_notice(self, request):
        """Issue a 行政执法监督通知书 (M7.5) and open its rectification deadline."""
        policy.require(request.user, "supervision.notice")
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["title"] = values["title"] or None
        document = services.supervision_notice_issue(actor=request.user, **values)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
