"""/api/v1/joint-operations/ and /api/v1/guidance-tasks/: read through the pages' scopes (an
operation for its lead and participants, a task for its giver and receiver) and filters.
Steps are taken on the pages, through the services."""
from __future__ import annotations

from rest_framework import serializers, viewsets

from core.api import ScopedViewSetMixin

from .models import Consultation, GuidanceTask, JointOperation, LinkedCase, Participant


class ParticipantSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Participant
        fields = ["unit", "unit_name", "confirmed_at"]


class JointConsultationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consultation
        fields = ["id", "held_on", "subject", "conclusion", "units"]


class LinkedCaseSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="case.number", read_only=True)
    department = serializers.IntegerField(source="case.department_id", read_only=True)

    class Meta:
        model = LinkedCase
        fields = ["case", "number", "department", "linked_at"]


class JointOperationSerializer(serializers.ModelSerializer):
    field_display = serializers.CharField(source="get_field_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    lead_name = serializers.CharField(source="lead.name", read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    consultations = JointConsultationSerializer(many=True, read_only=True)
    cases = LinkedCaseSerializer(many=True, read_only=True)

    class Meta:
        model = JointOperation
        fields = ["id", "lead", "lead_name", "title", "field", "field_display", "scope", "starts_on",
                  "ends_on", "work_plan", "work_plan_file", "emergency_plan", "emergency_plan_file",
                  "status", "status_display", "started_at", "results", "closed_at", "participants",
                  "consultations", "cases", "created_at"]
        read_only_fields = fields


class JointOperationViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "joint.view"  # as /joint/
    queryset = JointOperation.objects.select_related("lead").prefetch_related(
        "participants__unit", "consultations__units", "cases__case")
    serializer_class = JointOperationSerializer
    filterset_fields = ["status", "field", "lead"]
    search_fields = ["title", "scope"]

    def get_queryset(self):
        return super().get_queryset().order_by("-starts_on", "-id")


class GuidanceTaskSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = GuidanceTask
        fields = ["id", "giver", "receiver", "kind", "kind_display", "title", "content", "due_on",
                  "status", "status_display", "report", "reported_at", "return_reason",
                  "accepted_at", "created_at"]
        read_only_fields = fields


class GuidanceTaskViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "joint.view"  # as /joint/tasks/
    queryset = GuidanceTask.objects.all()
    serializer_class = GuidanceTaskSerializer
    filterset_fields = ["status", "kind", "giver", "receiver"]
    search_fields = ["title", "content"]

    def get_queryset(self):
        return super().get_queryset().order_by("due_on", "-id")
