"""/api/v1/inspections/, /api/v1/case-reviews/ and /api/v1/leads/: read through the pages'
capabilities and scopes, with the lists' filters. Steps are taken on the pages."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from core.api import ScopedViewSetMixin

from .leads import rule_label
from .models import CaseReview, Check, CheckUnit, Finding, Lead, ReviewFile


class CheckUnitSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CheckUnit
        fields = ["id", "unit", "unit_name", "status", "status_display", "provided_at", "instrument"]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    item_display = serializers.CharField(source="get_item_display", read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "unit", "item", "item_display", "description", "source", "created_at"]
        read_only_fields = fields


class CheckSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    method_display = serializers.CharField(source="get_method_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    units = serializers.SerializerMethodField()
    findings = serializers.SerializerMethodField()

    class Meta:
        model = Check
        fields = ["id", "organizer", "title", "kind", "kind_display", "method", "method_display",
                  "items", "field_note", "starts_on", "ends_on", "materials_request", "materials_due_on",
                  "status", "status_display", "bulletin", "units", "findings", "created_at"]
        read_only_fields = fields

    def _scoped(self, model, check):
        from core import policy

        return policy.visible_to(self.context["request"].user, model).filter(check_record=check)

    @extend_schema_field(CheckUnitSerializer(many=True))
    def get_units(self, check):
        return CheckUnitSerializer(self._scoped(CheckUnit, check).select_related("unit"), many=True).data

    @extend_schema_field(FindingSerializer(many=True))
    def get_findings(self, check):
        return FindingSerializer(self._scoped(Finding, check), many=True).data


class CheckViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "inspection.view"
    queryset = Check.objects.select_related("organizer")
    serializer_class = CheckSerializer
    filterset_fields = ["kind", "method", "status", "organizer"]
    search_fields = ["title", "field_note"]

    def get_queryset(self):
        return super().get_queryset().order_by("-starts_on", "-id")


class ReviewFileSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = ReviewFile
        fields = ["id", "case", "case_number", "reviewer", "score", "vetoed", "passed", "comment", "scored_at"]
        read_only_fields = fields


class CaseReviewSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    seed = serializers.CharField(read_only=True)
    files = ReviewFileSerializer(many=True, read_only=True)

    class Meta:
        model = CaseReview
        fields = ["id", "check_record", "department", "standard", "closed_from", "closed_to",
                  "sample_size", "seed", "status", "status_display", "finding", "files", "created_at"]
        read_only_fields = fields


class CaseReviewViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "inspection.plan"
    queryset = CaseReview.objects.prefetch_related("files__case")
    serializer_class = CaseReviewSerializer
    filterset_fields = ["department", "status", "check_record"]

    def get_queryset(self):
        return super().get_queryset().order_by("-created_at", "-id")


class LeadSerializer(serializers.ModelSerializer):
    rule_display = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Lead
        fields = ["id", "rule", "rule_display", "subject", "organization", "organization_name",
                  "observed_on", "status", "status_display", "dismiss_reason", "finding", "handled_at"]
        read_only_fields = fields

    def get_rule_display(self, lead) -> str:
        return rule_label(lead.rule)


class LeadViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "inspection.leads"
    queryset = Lead.objects.select_related("organization")
    serializer_class = LeadSerializer
    filterset_fields = ["rule", "status", "organization"]
    search_fields = ["subject"]

    def get_queryset(self):
        return super().get_queryset().order_by("-observed_on", "-id")
