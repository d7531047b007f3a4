"""/api/v1/meetings/ and /api/v1/resolutions/: read, through the pages' scopes (a meeting
for its body's convener and members, a matter for the convener and the departments it is
assigned to) and filters. Steps are taken on the pages, through the services."""
from __future__ import annotations

from rest_framework import serializers, viewsets

from core import policy
from core.api import ScopedViewSetMixin

from .models import AgendaItem, Assignment, Meeting, Resolution


class _MeetingsViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Read as the pages read: the pages' capability, then the pages' scope."""

    def check_permissions(self, request):
        super().check_permissions(request)
        policy.require_open(request.user, "meeting.view")


class AgendaItemSerializer(serializers.ModelSerializer):
    topic_display = serializers.CharField(source="get_topic_display", read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["topic", "topic_display", "title"]


class MeetingSerializer(serializers.ModelSerializer):
    body_display = serializers.CharField(source="body.get_kind_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    agenda = AgendaItemSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "body", "body_display", "kind", "kind_display", "proposal", "title",
                  "starts_at", "place", "status", "status_display", "notified_at", "held_at",
                  "attended", "summary", "minutes", "agenda", "created_at"]
        read_only_fields = fields


class MeetingViewSet(_MeetingsViewSet):
    queryset = Meeting.objects.select_related("body").prefetch_related("agenda", "attended")
    serializer_class = MeetingSerializer
    filterset_fields = ["body", "kind", "status"]
    search_fields = ["title", "place"]

    def get_queryset(self):
        return super().get_queryset().order_by("-starts_at", "-id")


class AssignmentSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "department", "department_name", "status", "status_display", "report",
                  "reported_at", "return_reason", "times_returned", "accepted_at"]
        read_only_fields = fields


class ResolutionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Resolution
        fields = ["id", "meeting", "title", "content", "due_on", "status", "status_display",
                  "closed_at", "assignments", "created_at"]
        read_only_fields = fields


class ResolutionViewSet(_MeetingsViewSet):
    queryset = Resolution.objects.prefetch_related("assignments__department")
    serializer_class = ResolutionSerializer
    filterset_fields = ["meeting", "status"]
    search_fields = ["title", "content"]

    def get_queryset(self):
        return super().get_queryset().order_by("due_on", "-id")
