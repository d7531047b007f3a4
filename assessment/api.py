"""/api/v1/appraisals/, /api/v1/self-assessments/, /api/v1/officer-evaluations/: read
through the pages' capabilities and scopes. Steps are taken on the pages, through the
services."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from core import policy
from core.api import ScopedViewSetMixin

from .models import Appraisal, OfficerEvaluation, OfficerGrade, Result, SelfAssessment, SelfScore


class _Scoped(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Read as the pages read: the page's capability (``read_capability``), then its scope."""


class ResultSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)

    class Meta:
        model = Result
        fields = ["unit", "unit_name", "total", "grade", "grade_display", "honour", "honour_note"]
        read_only_fields = fields


class AppraisalSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    results = serializers.SerializerMethodField()

    class Meta:
        model = Appraisal
        fields = ["id", "year", "title", "status", "status_display", "opened_at", "proposed_at",
                  "approved_at", "approval_note", "published_at", "report", "results"]
        read_only_fields = fields

    @extend_schema_field(ResultSerializer(many=True))
    def get_results(self, appraisal):
        # The results the viewer may see (a unit its own, once approved), as the page shows.
        rows = policy.visible_to(self.context["request"].user, Result).filter(
            appraisal=appraisal).select_related("unit").order_by("-total", "unit__name")
        return ResultSerializer(rows, many=True).data


class AppraisalViewSet(_Scoped):
    read_capability = "appraisal.view"
    queryset = Appraisal.objects.all()
    serializer_class = AppraisalSerializer
    filterset_fields = ["year", "status"]
    search_fields = ["title"]

    def get_queryset(self):
        return super().get_queryset().order_by("-year")


class SelfScoreSerializer(serializers.ModelSerializer):
    item_title = serializers.CharField(source="item.title", read_only=True)

    class Meta:
        model = SelfScore
        fields = ["item", "item_title", "points", "note"]
        read_only_fields = fields


class SelfAssessmentSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="appraisal.year", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    scores = SelfScoreSerializer(many=True, read_only=True)

    class Meta:
        model = SelfAssessment
        fields = ["id", "year", "department", "department_name", "summary", "status",
                  "status_display", "filed_at", "published_at", "scores"]
        read_only_fields = fields


class SelfAssessmentViewSet(_Scoped):
    queryset = SelfAssessment.objects.select_related("appraisal", "department").prefetch_related("scores__item")
    serializer_class = SelfAssessmentSerializer
    filterset_fields = ["department", "status"]
    search_fields = ["summary", "department__name"]

    def get_queryset(self):
        return super().get_queryset().order_by("-appraisal__year", "department__name")


class OfficerGradeSerializer(serializers.ModelSerializer):
    officer_name = serializers.CharField(source="officer.display_name", read_only=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)

    class Meta:
        model = OfficerGrade
        fields = ["officer", "officer_name", "grade", "grade_display", "remarks"]
        read_only_fields = fields


class OfficerEvaluationSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    grades = OfficerGradeSerializer(many=True, read_only=True)

    class Meta:
        model = OfficerEvaluation
        fields = ["id", "department", "department_name", "period", "status", "status_display",
                  "filed_at", "published_at", "grades"]
        read_only_fields = fields


class OfficerEvaluationViewSet(_Scoped):
    queryset = OfficerEvaluation.objects.select_related("department").prefetch_related("grades__officer")
    serializer_class = OfficerEvaluationSerializer
    filterset_fields = ["department", "period", "status"]
    search_fields = ["department__name"]

    def get_queryset(self):
        return super().get_queryset().order_by("-period", "department__name")
