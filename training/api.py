"""/api/v1/training-sessions/: read through the pages' capability and scope."""
from __future__ import annotations

from rest_framework import serializers, viewsets

from core.api import ScopedViewSetMixin

from .models import Attendance, TrainingSession


class AttendanceSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.display_name", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["person", "person_name", "organization", "organization_name"]


class TrainingSessionSerializer(serializers.ModelSerializer):
    topic_display = serializers.CharField(source="get_topic_display", read_only=True)
    organizer_name = serializers.CharField(source="organizer.name", read_only=True)
    attendances = AttendanceSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingSession
        fields = ["id", "organizer", "organizer_name", "topic", "topic_display", "title", "held_on",
                  "hours", "trainer", "place", "attendances", "created_at"]
        read_only_fields = fields


class TrainingSessionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "training.view"
    queryset = TrainingSession.objects.select_related("organizer").prefetch_related(
        "attendances__person", "attendances__organization")
    serializer_class = TrainingSessionSerializer
    filterset_fields = ["organizer", "topic", "held_on"]
    search_fields = ["title", "trainer"]

    def get_queryset(self):
        return super().get_queryset().order_by("-held_on", "-id")
