"""/api/v1/townships/ (township ↔ district transfers) and the M15 records beneath it: the
same scopes, services and confidentiality rule as the pages."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from cases.models import EnforcementCase
from core import policy
from core.api import ScopedViewSetMixin
from core.models import Organization
from transfers.models import Transfer

from . import selectors, services
from .models import (
    Consultation,
    Dissuasion,
    InfoNotice,
)


class TownshipTransferSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Transfer
        fields = ["id", "sender", "receiver", "case", "subject", "reason", "basic_facts",
                  "discovered_at", "is_urgent", "status", "status_display", "copied_to",
                  "return_reason", "sent_at", "answered_at", "created_at"]
        read_only_fields = fields


class TownshipTransferCreateSerializer(serializers.Serializer):
    sender = serializers.PrimaryKeyRelatedField(label="移送单位", queryset=Organization.objects.all())
    receiver = serializers.PrimaryKeyRelatedField(label="接收单位", queryset=Organization.objects.all())
    case = serializers.PrimaryKeyRelatedField(label="案件", queryset=EnforcementCase.objects.all(),
                                              required=False, allow_null=True)
    subject = serializers.CharField(label="事由", max_length=200)
    reason = serializers.CharField(label="移送理由", max_length=2000)
    basic_facts = serializers.CharField(label="基本事实书面说明", max_length=5000)
    discovered_at = serializers.DateTimeField(label="发现时间")
    is_urgent = serializers.BooleanField(label="紧急移送", required=False, default=False)


class TownshipTransferViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Transfers either way between a township and a district department (M15.1); each
    is then sent, accepted or returned at /api/v1/transfers/{id}/."""

    serializer_class = TownshipTransferSerializer
    filterset_fields = ["status", "sender", "receiver", "is_urgent"]

    def get_queryset(self):
        return selectors.township_transfers(self.request.user).prefetch_related("copied_to")

    @extend_schema(request=TownshipTransferCreateSerializer, responses=TownshipTransferSerializer)
    def create(self, request, *args, **kwargs):
        # A body that is not an object (a list, a string …) is the serializer's to refuse
        # with its 400 ("期待为字典类型").
        data = TownshipTransferCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if values.get("case") is not None:
            values["case"] = policy.access(request.user, EnforcementCase, values["case"].pk)
        transfer = services.township_transfer_create(actor=request.user, **values)
        return Response(TownshipTransferSerializer(transfer).data, status=201)


def _viewset(model, fields: list[str], filters: list[str], doc: str, serializer=None):
    serializer = serializer or type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {
        "Meta": type("Meta", (), {"model": model, "fields": fields})})
    return type(f"{model.__name__}ViewSet", (ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet), {
        "queryset": model.objects.all(), "serializer_class": serializer,
        "filterset_fields": filters, "__doc__": doc})


DissuasionViewSet = _viewset(
    Dissuasion, ["id", "township", "competent", "location", "violation", "measures",
                 "dissuaded_at", "notified_at", "transfer"], ["township", "competent"],
    "On-the-spot dissuasion of ongoing violations (M15.1).")
ConsultationViewSet = _viewset(
    Consultation, ["id", "kind", "topic", "initiator", "participants", "subject", "content",
                   "case", "meeting_at", "conclusion", "concluded_at"], ["kind", "topic"],
    "Consultations and joint handling (M15.4).")
InfoNoticeViewSet = _viewset(
    InfoNotice, ["id", "sender", "recipients", "title", "body", "created_at"], ["sender"],
    "Information notices between townships and departments (M15.3).")
