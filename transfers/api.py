"""/api/v1/transfers/ and /api/v1/transfer-orders/."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.models import EnforcementCase
from core import policy
from core.api import ScopedViewSetMixin
from core.models import Organization

from . import services
from .models import CriminalOutcome, Transfer, TransferKind, TransferMaterial, TransferOrder, TransferStatus


class TransferMaterialSerializer(serializers.ModelSerializer):
    material_type_display = serializers.CharField(source="get_material_type_display", read_only=True)

    class Meta:
        model = TransferMaterial
        fields = ["id", "material_type", "material_type_display", "attachment", "document",
                  "description", "added_at"]


class TransferSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    materials = TransferMaterialSerializer(many=True, read_only=True)
    # Blank until the procuratorate or court records one: declared, because DRF drops
    # allow_blank from a read-only model field and the schema then omitted "".
    outcome = serializers.ChoiceField(label="刑事处理结果", choices=CriminalOutcome.choices,
                                      allow_blank=True, read_only=True)

    class Meta:
        model = Transfer
        fields = ["id", "kind", "kind_display", "sender", "receiver", "case", "subject", "reason",
                  "basic_facts", "discovered_at", "is_urgent", "status", "status_display",
                  "copied_to", "reported_to", "decision_travels", "outcome", "outcome_note",
                  "outcome_by", "outcome_document", "return_reason", "sent_at", "answered_at",
                  "order", "materials", "created_at"]
        read_only_fields = ["status", "copied_to", "reported_to", "decision_travels", "outcome",
                            "outcome_note", "outcome_by", "outcome_document", "return_reason",
                            "sent_at", "answered_at", "order", "created_at"]


class TransferCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TransferKind.choices)
    sender = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    receiver = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    case = serializers.PrimaryKeyRelatedField(queryset=EnforcementCase.objects.all(),
                                              required=False, allow_null=True)
    subject = serializers.CharField(max_length=200)
    reason = serializers.CharField(max_length=2000)
    basic_facts = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    discovered_at = serializers.DateTimeField(required=False, allow_null=True)
    is_urgent = serializers.BooleanField(required=False, default=False)


class TransferTransitionSerializer(serializers.Serializer):
    target = serializers.ChoiceField(choices=TransferStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class TransferOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CriminalOutcome.choices)
    document = serializers.FileField(label="决定书")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class TransferViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Transfers the user's organisations send, receive or are copied on."""

    queryset = Transfer.objects.select_related("sender", "receiver", "case").prefetch_related(
        "materials", "copied_to")
    serializer_class = TransferSerializer
    filterset_fields = ["kind", "status", "sender", "receiver", "case", "outcome"]
    search_fields = ["subject", "case__number"]

    def get_serializer_class(self):
        return TransferCreateSerializer if self.action == "create" else TransferSerializer

    @extend_schema(request=TransferCreateSerializer, responses=TransferSerializer)
    def create(self, request, *args, **kwargs):
        data = TransferCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if values.get("case") is not None:
            values["case"] = policy.access(request.user, EnforcementCase, values["case"].pk)
        transfer = services.transfer_create(actor=request.user, **values)
        return Response(TransferSerializer(transfer).data, status=201)

    @extend_schema(request=TransferTransitionSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Send, approve, accept, return, record the police decision, ask for reconsideration."""
        data = TransferTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        transfer = services.transfer_transition(actor=request.user, transfer=self.get_object(),
                                                **data.validated_data)
        return Response(TransferSerializer(transfer).data)

    @extend_schema(request=TransferOutcomeSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        """Record another organ's decision with its document (multipart), as the page does (M4.4)."""
        data = TransferOutcomeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        f = values.pop("document")
        transfer = services.transfer_record_outcome(actor=request.user, transfer=self.get_object(),
                                                    fileobj=f, name=f.name, size=f.size, **values)
        return Response(TransferSerializer(transfer).data)


class TransferOrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = TransferOrder
        fields = ["id", "issuer", "department", "case", "receiver", "kind", "reason", "due",
                  "notice", "complied_at", "sanction_target", "sanction_post", "sanction",
                  "sanction_proposal", "sanction_proposed_at", "created_at"]


class TransferOrderViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """M4.5 orders to transfer by a deadline."""

    queryset = TransferOrder.objects.all()
    serializer_class = TransferOrderSerializer
    filterset_fields = ["issuer", "department", "case"]
