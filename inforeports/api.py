"""/api/v1/info-reports/: read through the pages' capability and scope."""
from __future__ import annotations

from rest_framework import serializers, viewsets

from core.api import ScopedViewSetMixin

from .models import InfoReport


class InfoReportSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = InfoReport
        fields = ["id", "unit", "unit_name", "month", "title", "text", "status", "status_display",
                  "adopted_at", "created_at"]
        read_only_fields = fields


class InfoReportViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "inforeport.view"
    queryset = InfoReport.objects.select_related("unit")
    serializer_class = InfoReportSerializer
    filterset_fields = ["unit", "status", "month"]
    search_fields = ["title", "text"]

    def get_queryset(self):
        return super().get_queryset().order_by("-created_at", "-id")
