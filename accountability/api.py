"""/api/v1/accountability/: proceedings read through the pages' capability and scope, with
the list's filters. Steps are taken on the pages, through the services."""
from __future__ import annotations

from rest_framework import serializers, viewsets

from core.api import ScopedViewSetMixin

from .models import Proceeding
from .selectors import with_deadline


class ProceedingSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    officer_names = serializers.SerializerMethodField()
    ground_display = serializers.CharField(source="get_ground_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    route_display = serializers.CharField(source="get_route_display", read_only=True)
    reserved_to_display = serializers.CharField(source="get_reserved_to_display", read_only=True)
    determination_due = serializers.DateTimeField(source="due", read_only=True, allow_null=True)
    determination_state = serializers.CharField(source="deadline_state", read_only=True,
                                                allow_null=True)

    class Meta:
        model = Proceeding
        fields = ["id", "subject", "agency", "agency_name", "officers", "officer_names", "ground",
                  "ground_display", "facts", "source_kind", "source_id", "source_text", "status",
                  "status_display", "fault_determination", "determined_at", "route",
                  "route_display", "outcome_organ", "outcome", "outcome_document", "closed_at",
                  "reserved_to", "reserved_to_display", "reserved_reason", "determination_due",
                  "determination_state", "created_at"]
        read_only_fields = fields

    def get_officer_names(self, obj) -> list[str]:
        return [u.display_name for u in obj.officers.all()]


class ProceedingViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "accountability.view"  # as the list page
    queryset = Proceeding.objects.select_related("agency").prefetch_related("officers")
    serializer_class = ProceedingSerializer
    filterset_fields = ["agency", "status", "ground", "route", "source_kind"]
    search_fields = ["subject", "facts"]

    def get_queryset(self):
        return with_deadline(super().get_queryset()).order_by("-created_at", "-id")
