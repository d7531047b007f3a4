"""/api/v1/complaints/, /api/v1/complaint-channels/ and /api/v1/complaint-assistance/:
read through the pages' scopes and capabilities; the complainant's identity and contact
are null wherever the page shows （保密） (``may_see_complainant``). Steps are taken on
the pages, through the services."""
from __future__ import annotations

from rest_framework import serializers, viewsets

from core.api import ScopedViewSetMixin

from .models import CONFIDENTIAL_FIELDS, AssistanceRequest, Complaint, ComplaintChannel
from .services import may_see_complainant


class ComplaintSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Complaint
        fields = ["id", "number", "unit", "unit_name", "year", "sequence", "kind", "kind_display",
                  "channel", "channel_display", "hotline_order", "received_at", "anonymous",
                  "confidential", *CONFIDENTIAL_FIELDS, "subject_org", "subject_officer_name",
                  "matter", "status", "status_display", "accepted_at", "reject_reason",
                  "transferred_to", "referred_from", "told_at", "extension_reason", "result",
                  "concluded_at", "answer_method", "answer", "answered_at", "satisfaction",
                  "archived_at", "created_at"]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not may_see_complainant(self.context["request"].user, instance):
            for name in CONFIDENTIAL_FIELDS:
                data[name] = None
        return data


class ComplaintViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "complaint.view"
    queryset = Complaint.objects.select_related("unit")
    serializer_class = ComplaintSerializer
    filterset_fields = ["unit", "kind", "channel", "status", "year", "subject_org"]
    # Never the complainant's fields: a search would tell who complained.
    search_fields = ["number", "hotline_order", "matter", "subject_officer_name"]

    def get_queryset(self):
        return super().get_queryset().order_by("-received_at", "-id")


class ChannelSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = ComplaintChannel
        fields = ["id", "organization", "organization_name", "handling_office", "phone", "postal",
                  "email", "address", "hours", "updated_at"]
        read_only_fields = fields


class ChannelViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = ComplaintChannel.objects.select_related("organization").order_by("organization__name")
    serializer_class = ChannelSerializer
    filterset_fields = ["organization"]
    search_fields = ["organization__name", "handling_office"]


class AssistanceSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = AssistanceRequest
        fields = ["id", "kind", "kind_display", "complaint", "requester", "addressee", "subject",
                  "content", "letter", "reply_due", "status", "status_display", "reply",
                  "replied_at", "created_at"]
        read_only_fields = fields


class AssistanceViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "assistance.handle"
    queryset = AssistanceRequest.objects.all()
    serializer_class = AssistanceSerializer
    filterset_fields = ["kind", "status", "requester", "addressee", "complaint"]
    search_fields = ["subject", "content", "reply"]

    def get_queryset(self):
        return super().get_queryset().order_by("-created_at", "-id")
