"""/api/v1/interference-records/: read (and nothing else — M12.2: no update, no delete)
through the pages' capability and scope, never the interfering unit's."""
from __future__ import annotations

from rest_framework import serializers, viewsets

from core.api import ScopedViewSetMixin

from . import selectors
from .models import InterferenceRecord


class InterferenceRecordSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    recorded_by_name = serializers.CharField(source="recorded_by.display_name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    method_display = serializers.CharField(source="get_method_display", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True, allow_null=True)

    class Meta:
        model = InterferenceRecord
        fields = ["id", "seq", "prev_hash", "hash", "created_at", "recorded_by", "recorded_by_name",
                  "unit", "unit_name", "kind", "kind_display", "interferer_name", "interferer_unit",
                  "interferer_position", "interferer_org", "method", "method_display",
                  "occurred_at", "demand", "refused", "response", "case", "case_number",
                  "corrects", "correction_reason", "attachment_digests"]
        read_only_fields = fields


class InterferenceRecordViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "interference.view"  # as the list page
    queryset = InterferenceRecord.objects.select_related("unit", "recorded_by", "case")
    serializer_class = InterferenceRecordSerializer
    filterset_fields = ["unit", "kind", "method", "refused", "corrects"]
    search_fields = ["interferer_name", "interferer_unit", "demand"]

    def get_queryset(self):
        return selectors.records_visible(self.request.user).select_related(
            "unit", "recorded_by", "case").order_by("-seq")
