"""/api/v1/discipline/: referrals (read), scoped to the department, the commission it was
delivered to, and the justice bureau. Steps are taken on the pages (they sign and seal)."""
from __future__ import annotations

from rest_framework import serializers, viewsets

from core.api import ScopedViewSetMixin

from .models import DisciplineReferral
from .selectors import with_deadline


class DisciplineReferralSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    due = serializers.DateTimeField(read_only=True, help_text="移送期限（结案后10个工作日）")
    deadline_state = serializers.CharField(read_only=True)
    met_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = DisciplineReferral
        fields = ["id", "case", "case_number", "department", "commission", "status",
                  "status_display", "leads", "signed_by", "signed_at", "seal_confirmed_at",
                  "penalty_decision", "letter_number", "delivered_at", "acknowledged_by",
                  "acknowledged_at", "no_matter_reason", "due", "deadline_state", "met_at",
                  "created_at"]
        read_only_fields = fields


class DisciplineReferralViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "referral.view"  # as /discipline/
    queryset = DisciplineReferral.objects.select_related("case")
    serializer_class = DisciplineReferralSerializer
    filterset_fields = ["status", "department", "commission"]
    search_fields = ["case__number", "leads"]

    def get_queryset(self):
        return with_deadline(super().get_queryset()).order_by("-created_at", "-id")
