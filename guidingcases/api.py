"""/api/v1/guiding-cases/: read through the pages' capability and scope, with their
filters. Steps are taken on the pages, through the services."""
from __future__ import annotations

from rest_framework import serializers, viewsets

from core.api import ScopedViewSetMixin

from .models import GuidingCase


class GuidingCaseSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    act_type_display = serializers.CharField(source="get_act_type_display", read_only=True)
    origin_display = serializers.CharField(source="get_origin_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    reasons = serializers.CharField(source="reasons_text", read_only=True)

    class Meta:
        model = GuidingCase
        fields = ["id", "case", "department", "department_name", "year", "origin", "origin_display",
                  "act_type", "act_type_display", "reasons", "title", "facts", "handling",
                  "significance", "legal_basis", "status", "status_display", "decision_note",
                  "decided_at", "in_gazette", "in_press", "in_compilation", "published_on",
                  "created_at"]
        read_only_fields = fields


class GuidingCaseViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "guidingcase.view"
    queryset = GuidingCase.objects.select_related("department")
    serializer_class = GuidingCaseSerializer
    filterset_fields = ["year", "department", "act_type", "origin", "status"]
    search_fields = ["title", "facts", "significance"]

    def get_queryset(self):
        return super().get_queryset().order_by("-year", "-created_at", "-id")
