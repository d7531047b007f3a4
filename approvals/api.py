"""/api/v1/approval-decisions/: the approval system pushes its decisions here (POST, one
object or a list; token-authenticated, as a user of the approval bureau) — idempotent by
decision number, all or none of a batch, a 400 naming each wrong field in Chinese — and
every reader reads them through the pages' scope. ``{id}/claim/`` and
``{id}/supervision/`` are the department's steps, through the same services."""
from __future__ import annotations

from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ScopedViewSetMixin

from . import services
from .models import Decision, Result, SupervisionRecord
from .selectors import department_cases


class SupervisionRecordSerializer(serializers.ModelSerializer):
    result_display = serializers.CharField(source="get_result_display", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)

    class Meta:
        model = SupervisionRecord
        fields = ["id", "inspected_on", "inspection", "result", "result_display", "findings",
                  "case", "case_number", "recorded_at"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True, default=None)
    records = SupervisionRecordSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "number", "item_type", "item_name", "applicant", "credit_code", "address",
                  "decided_on", "valid_until", "content", "source", "department",
                  "department_name", "status", "status_display", "pushed_at", "claimed_at",
                  "records", "created_at"]
        read_only_fields = fields


class SupervisionInputSerializer(serializers.Serializer):
    inspected_on = serializers.DateField(label="检查日期")
    inspection = serializers.CharField(label="检查方式和内容", max_length=500)
    result = serializers.ChoiceField(label="检查结果", choices=Result.choices)
    findings = serializers.CharField(label="处理情况", max_length=2000, required=False,
                                     allow_blank=True, default="")
    case = serializers.IntegerField(label="处罚案件", required=False, allow_null=True, default=None)


def _rejected(rejected: services.DecisionsRejected) -> Response:
    return Response({
        "detail": f"审批决定有 {len(rejected.problems)} 处错误，本次提交未接收任何一条。",
        "errors": [{"index": p.where, "field": p.field, "field_label": p.column, "message": p.message}
                   for p in rejected.problems],
    }, status=status.HTTP_400_BAD_REQUEST)


class DecisionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    read_capability = "approval.view"  # as /approvals/
    queryset = Decision.objects.select_related("department").prefetch_related("records__case")
    serializer_class = DecisionSerializer
    filterset_fields = ["status", "department", "item_type", "source"]
    search_fields = ["number", "applicant", "item_name", "credit_code"]

    def get_queryset(self):
        return super().get_queryset().order_by("-decided_on", "-id")

    def create(self, request, *args, **kwargs):
        """One decision (an object) or a batch (a list). 201 when something new was
        received, 200 when every number had been received before."""
        body = request.data
        batch = isinstance(body, list)
        items = body if batch else [body]
        try:
            received = services.decisions_receive(actor=request.user, items=items)
        except services.DecisionsRejected as rejected:
            return _rejected(rejected)
        code = status.HTTP_201_CREATED if received.created else status.HTTP_200_OK
        if not batch:
            return Response(DecisionSerializer(received.decisions()[0]).data, status=code)
        return Response({"created": received.created, "existing": received.existing,
                         "unrouted": received.unrouted, "ids": received.ids}, status=code)

    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        decision = services.decision_claim(actor=request.user, decision=self.get_object())
        return Response(DecisionSerializer(decision).data)

    @action(detail=True, methods=["post"], serializer_class=SupervisionInputSerializer)
    def supervision(self, request, pk=None):
        decision = self.get_object()
        data = SupervisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case_id = values.pop("case")
        values["case"] = department_cases(decision).filter(pk=case_id).first() if case_id else None
        if case_id and values["case"] is None:
            return Response({"case": ["只能关联本部门办理的案件。"]}, status=status.HTTP_400_BAD_REQUEST)
        services.supervision_record(actor=request.user, decision=decision, **values)
        decision.refresh_from_db()
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
