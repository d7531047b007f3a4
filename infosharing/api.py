"""/api/v1/web-inspections/, /api/v1/statistics-requests/ and /api/v1/info-queries/: read,
through the pages' capability and scopes (an inspection once circulated, a unit's own
results; a request for the units asked, each report for its unit; a query for the two
agencies; the justice bureau sees all). Steps are taken on the pages, through the services."""
from __future__ import annotations

from rest_framework import serializers, viewsets

from core import policy
from core.api import ScopedViewSetMixin

from .models import InfoQuery, StatisticsReport, StatisticsRequest, UnitResult, WebInspection


class _ViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "infosharing.view"


class UnitResultSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = UnitResult
        fields = ["id", "unit", "unit_name", "checked", "problems", "late_publications", "note",
                  "checked_at", "notice"]


class WebInspectionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    period_label = serializers.CharField(read_only=True)
    results = serializers.SerializerMethodField()

    class Meta:
        model = WebInspection
        fields = ["id", "period", "period_label", "status", "status_display", "summary", "reported_at",
                  "review_body", "reviewed_on", "review_remarks", "circulated_at", "rectify_by",
                  "bulletin", "results"]

    def get_results(self, obj) -> list[dict]:
        rows = policy.visible_to(self.context["request"].user, UnitResult).filter(
            inspection=obj).select_related("unit")
        return UnitResultSerializer(rows, many=True).data


class WebInspectionViewSet(_ViewSet):
    queryset = WebInspection.objects.select_related("bulletin")
    serializer_class = WebInspectionSerializer
    filterset_fields = ["status", "period"]
    search_fields = ["summary", "review_remarks"]

    def get_queryset(self):
        return super().get_queryset().order_by("-period")


class StatisticsReportSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = StatisticsReport
        fields = ["id", "unit", "unit_name", "status", "status_display", "licensing", "penalty",
                  "coercion", "levy", "charge", "inspection", "major", "prefill", "note", "submitted_at"]


class StatisticsRequestSerializer(serializers.ModelSerializer):
    reports = serializers.SerializerMethodField()

    class Meta:
        model = StatisticsRequest
        fields = ["id", "title", "period_start", "period_end", "due_on", "annual_year", "created_at",
                  "reports"]

    def get_reports(self, obj) -> list[dict]:
        rows = policy.visible_to(self.context["request"].user, StatisticsReport).filter(
            request=obj).select_related("unit")
        return StatisticsReportSerializer(rows, many=True).data


class StatisticsRequestViewSet(_ViewSet):
    queryset = StatisticsRequest.objects.all()
    serializer_class = StatisticsRequestSerializer
    filterset_fields = ["annual_year"]
    search_fields = ["title"]

    def get_queryset(self):
        return super().get_queryset().order_by("-due_on", "-id")


class InfoQuerySerializer(serializers.ModelSerializer):
    requester_name = serializers.CharField(source="requester.name", read_only=True)
    addressee_name = serializers.CharField(source="addressee.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    refusal_ground_display = serializers.CharField(source="get_refusal_ground_display", read_only=True)

    class Meta:
        model = InfoQuery
        fields = ["id", "requester", "requester_name", "addressee", "addressee_name", "subject",
                  "purpose", "case", "status", "status_display", "answer", "refusal_ground",
                  "refusal_ground_display", "refusal_law", "answered_at", "created_at"]


class InfoQueryViewSet(_ViewSet):
    queryset = InfoQuery.objects.select_related("requester", "addressee")
    serializer_class = InfoQuerySerializer
    filterset_fields = ["status", "refusal_ground", "requester", "addressee"]
    search_fields = ["subject", "purpose", "answer"]

    def get_queryset(self):
        return super().get_queryset().order_by("-created_at", "-id")
