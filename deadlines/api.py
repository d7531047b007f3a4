"""/api/v1/deadlines/ and /api/v1/notifications/."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ScopedViewSetMixin

from . import notifications
from .models import Deadline, Notification


class DeadlineSerializer(serializers.ModelSerializer):
    rule_label = serializers.CharField(read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    responsible_name = serializers.CharField(source="responsible.name", read_only=True)
    target_type = serializers.CharField(source="target_type.model", read_only=True)
    is_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Deadline
        fields = ["id", "target_type", "target_id", "target_repr", "rule", "rule_label",
                  "responsible", "responsible_name", "person", "start", "due", "state",
                  "state_display", "met_at", "is_late", "provisional", "escalation_level",
                  "reason", "period", "imposed_by", "created_at"]
        read_only_fields = fields


class DeadlineViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Deadline.objects.select_related("responsible", "target_type")
    serializer_class = DeadlineSerializer
    filterset_fields = {"rule": ["exact"], "state": ["exact", "in"], "responsible": ["exact"],
                        "provisional": ["exact"], "due": ["gte", "lte"]}
    search_fields = ["target_repr"]
    ordering_fields = ["due", "start", "created_at"]


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "subject", "body", "url", "organization", "created_at", "read_at"]
        read_only_fields = fields


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in user's own notifications (the justice bureau's see-all does not
    extend to other people's messages)."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer

    def get_queryset(self):
        return notifications.notifications_of(self.request.user)

    filterset_fields = {"read_at": ["isnull"]}
    search_fields = ["subject", "body"]

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notifications.notification_read(notification=self.get_object(),
                                                       actor=request.user)
        return Response(NotificationSerializer(notification).data)
