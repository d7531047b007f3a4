"""/api/v1/townships/ (township ↔ district transfers) and the M15 records beneath it."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from core.api import ScopedViewSetMixin
from transfers.api import TransferCreateSerializer, TransferSerializer
from transfers.api import TransferViewSet as BaseTransferViewSet
from transfers.models import Transfer, TransferKind
from transfers import services as transfer_services

from .models import (
    AssistanceRequest,
    ComplaintNotice,
    Consultation,
    Dissuasion,
    InfoNotice,
    JurisdictionDispute,
)


class TownshipTransferViewSet(BaseTransferViewSet):
    """Transfers either way between a township and a district department (M15.1)."""

    queryset = Transfer.objects.filter(kind=TransferKind.TOWNSHIP).select_related(
        "sender", "receiver", "case").prefetch_related("materials", "copied_to")

    @extend_schema(request=TransferCreateSerializer, responses=TransferSerializer)
    def create(self, request, *args, **kwargs):
        payload = request.data.dict() if hasattr(request.data, "dict") else request.data
        if isinstance(payload, dict):
            payload = {**payload, "kind": TransferKind.TOWNSHIP}
        # Anything else (a JSON list, string, number or null) is the serializer's to refuse
        # with its 400 ("期待为字典类型"), not a TypeError here.
        data = TransferCreateSerializer(data=payload)
        data.is_valid(raise_exception=True)
        transfer = transfer_services.transfer_create(actor=request.user, **data.validated_data)
        return Response(TransferSerializer(transfer).data, status=201)


def _viewset(model, fields: list[str], filters: list[str], doc: str):
    serializer = type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {
        "Meta": type("Meta", (), {"model": model, "fields": fields})})
    return type(f"{model.__name__}ViewSet", (ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet), {
        "queryset": model.objects.all(), "serializer_class": serializer,
        "filterset_fields": filters, "__doc__": doc})


DissuasionViewSet = _viewset(
    Dissuasion, ["id", "township", "competent", "location", "violation", "measures",
                 "dissuaded_at", "notified_at", "transfer"], ["township", "competent"],
    "On-the-spot dissuasion of ongoing violations (M15.1).")
ComplaintViewSet = _viewset(
    ComplaintNotice, ["id", "receiver", "handler", "department", "summary", "received_at",
                      "status", "told_at", "result", "result_at"], ["status", "handler"],
    "Complaint notification loop (M15.2); the complainant's identity is not exposed.")
AssistanceViewSet = _viewset(
    AssistanceRequest, ["id", "requester", "addressee", "kind", "subject", "content",
                        "reply_due", "status", "reply", "replied_at", "created_at"],
    ["status", "kind", "requester", "addressee"], "Assistance requests (M15.5).")
ConsultationViewSet = _viewset(
    Consultation, ["id", "kind", "topic", "initiator", "participants", "subject", "content",
                   "case", "meeting_at", "conclusion", "concluded_at"], ["kind", "topic"],
    "Consultations and joint handling (M15.4).")
DisputeViewSet = _viewset(
    JurisdictionDispute, ["id", "applicant", "respondent", "subject", "description",
                          "negotiation", "negotiated_at", "status", "competent", "decision",
                          "decided_at"], ["status"], "Jurisdiction disputes (M15.6).")
InfoNoticeViewSet = _viewset(
    InfoNotice, ["id", "sender", "recipients", "title", "body", "created_at"], ["sender"],
    "Information notices between townships and departments (M15.3).")
