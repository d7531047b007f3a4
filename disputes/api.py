"""/api/v1/disputes/: read through the pages' scope (the parties, the justice bureau, the
district government once asked to rule) and filters; steps are taken on the pages,
through the services."""
from __future__ import annotations

from rest_framework import serializers, viewsets

from core.api import ScopedViewSetMixin

from .models import CoordinationMeeting, Dispute, DisputeParty, NegotiationPosition


class DisputePartySerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = DisputeParty
        fields = ["id", "organization", "organization_name", "is_applicant", "opinion_due",
                  "opinion", "opinion_at", "confirmed_at", "implement_due", "implementation",
                  "implemented_at"]
        read_only_fields = fields


class DisputeNegotiationSerializer(serializers.ModelSerializer):
    class Meta:
        model = NegotiationPosition
        fields = ["id", "party", "negotiated_on", "representatives", "position"]
        read_only_fields = fields


class CoordinationMeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoordinationMeeting
        fields = ["id", "held_at", "place", "attendees", "summary"]
        read_only_fields = fields


class DisputeSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    parties = DisputePartySerializer(many=True, read_only=True)
    negotiations = DisputeNegotiationSerializer(many=True, read_only=True)
    meetings = CoordinationMeetingSerializer(many=True, read_only=True)

    class Meta:
        model = Dispute
        fields = ["id", "applicant", "kind", "kind_display", "subject", "facts", "coordinator",
                  "status", "status_display", "filed_at", "accepted_at", "refuse_reason",
                  "agreement", "agreed_at", "settled_at", "government", "submitted_at", "ruling",
                  "competent", "ruled_at", "closed_at", "parties", "negotiations", "meetings",
                  "created_at"]
        read_only_fields = fields


class DisputeViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Disputes between departments (M2) and township–department jurisdiction disputes
    (M15.6), as their pages show them."""

    read_capability = "dispute.view"
    queryset = Dispute.objects.prefetch_related("parties__organization", "negotiations", "meetings")
    serializer_class = DisputeSerializer
    filterset_fields = ["kind", "status", "applicant"]
    search_fields = ["subject", "facts", "ruling"]

    def get_queryset(self):
        return super().get_queryset().order_by("-created_at", "-id")
