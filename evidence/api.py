"""/api/v1/evidence/: evidence items with their derived confirmation state (M13)."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from cases.models import EnforcementCase
from core import policy
from core.api import AttachmentSerializer, ScopedViewSetMixin

from . import services
from .models import CHECKLIST_FIELDS, COMMON_FIELDS, EvidenceItem
from .selectors import with_file_counts, item_gaps

ALL_CHECKLIST_FIELDS = tuple(dict.fromkeys(f for fields in CHECKLIST_FIELDS.values() for f in fields))


class EvidenceItemSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    confirmed = serializers.SerializerMethodField(help_text="由确认要求推导，不能直接填写。")
    missing = serializers.SerializerMethodField(help_text="尚缺的确认要求。")
    file_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = EvidenceItem
        fields = ["id", "case", "kind", "kind_display", *COMMON_FIELDS, *ALL_CHECKLIST_FIELDS,
                  "confirmed", "missing", "file_count", "created_by", "created_at", "updated_at"]
        read_only_fields = ["created_by", "created_at", "updated_at"]

    def get_missing(self, item: EvidenceItem) -> list[str]:
        if not hasattr(item, "_missing"):
            item._missing = item_gaps(item)
        return item._missing

    def get_confirmed(self, item: EvidenceItem) -> bool:
        return not self.get_missing(item)

    def validate_case(self, case: EnforcementCase) -> EnforcementCase:
        return policy.access(self.context["request"].user, EnforcementCase, case.pk)


class EvidenceUpdateSerializer(EvidenceItemSerializer):
    class Meta(EvidenceItemSerializer.Meta):
        read_only_fields = ["case", "kind", "created_by", "created_at", "updated_at"]


class EvidenceFileSerializer(serializers.Serializer):
    file = serializers.FileField(label="证据文件")
    description = serializers.CharField(label="说明", required=False, allow_blank=True,
                                        max_length=200)


class EvidenceItemViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                          viewsets.ReadOnlyModelViewSet):
    queryset = EvidenceItem.objects.all()
    serializer_class = EvidenceItemSerializer
    parser_classes = [JSONParser, MultiPartParser]
    filterset_fields = ["case", "kind"]
    search_fields = ["title", "proves", "source"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return with_file_counts(super().get_queryset()).order_by("case", "id")

    def get_serializer_class(self):
        if self.action == "partial_update":
            return EvidenceUpdateSerializer
        if self.action == "files":
            return EvidenceFileSerializer
        return EvidenceItemSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        case, kind = data.pop("case"), data.pop("kind")
        item = services.evidence_add(actor=self.request.user, case=case, kind=kind, data=data)
        serializer.instance = self.get_queryset().get(pk=item.pk)

    def perform_update(self, serializer):
        item = services.evidence_update(actor=self.request.user, item=serializer.instance,
                                        data=serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=item.pk)

    @extend_schema(request=EvidenceFileSerializer, responses=AttachmentSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def files(self, request, pk=None):
        """Attach a scan, photo or recording of the evidence."""
        item = self.get_object()
        upload = EvidenceFileSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        f = upload.validated_data["file"]
        attachment = services.evidence_attach(
            actor=request.user, item=item, fileobj=f, name=f.name, size=f.size,
            description=upload.validated_data.get("description", ""))
        return Response(AttachmentSerializer(attachment).data, status=201)
