"""/api/v1/cases/ and /api/v1/case-parties/: read through the same scope, filters and ID
masking as the pages; registration and transitions go through the services."""
from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import ScopedViewSetMixin
from core.drf import FilterSet
from core.models import Organization, User

from . import selectors, services
from .models import (ActType, CaseStatus, EnforcementCase, EnforcementField, Party, PartyKind,
                     PoliticalStatus)


class PartySerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField(help_text="证件号码；非本案办案单位和区司法局显示为掩码。")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Party
        fields = ["id", "case", "kind", "kind_display", "name", "id_number", "political_status",
                  "employer", "post", "is_party_member", "is_state_functionary"]

    @extend_schema_field(serializers.CharField())
    def get_id_number(self, party: Party) -> str:
        user = self.context["request"].user
        if selectors.sees_full_ids(user, self.context.get("department_id") or party.case.department_id):
            return party.id_number
        return selectors.mask_id(party.id_number)


class CaseSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    act_type_display = serializers.CharField(source="get_act_type_display", read_only=True)
    field_display = serializers.CharField(source="get_field_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    parties = serializers.SerializerMethodField()

    class Meta:
        model = EnforcementCase
        fields = ["id", "department", "department_name", "number", "act_type", "act_type_display",
                  "field", "field_display", "summary", "discovered_at", "filed_on", "closed_on",
                  "status", "status_display", "is_major_decision", "decision_date",
                  "decision_summary", "penalty_amount", "decision_document", "published_on",
                  "publicity_channel", "officers", "parties"]

    @extend_schema_field(PartySerializer(many=True))
    def get_parties(self, case: EnforcementCase) -> list[dict]:
        context = {**self.context, "department_id": case.department_id}
        return PartySerializer(case.parties.all(), many=True, context=context).data


class PartyInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label="当事人类型", choices=PartyKind.choices)
    name = serializers.CharField(label="姓名或名称", max_length=200)
    id_number = serializers.CharField(label="证件号码", max_length=40)
    political_status = serializers.ChoiceField(label="政治面貌", choices=PoliticalStatus.choices,
                                               required=False, allow_blank=True)
    employer = serializers.CharField(label="工作单位", max_length=200, required=False, allow_blank=True)
    post = serializers.CharField(label="职务", max_length=100, required=False, allow_blank=True)
    is_party_member = serializers.BooleanField(label="中共党员", required=False, default=False)
    is_state_functionary = serializers.BooleanField(label="国家公职人员", required=False, default=False)


class CaseRegisterSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(label="办案单位", queryset=Organization.objects.all())
    number = serializers.CharField(label="案件编号", max_length=60)
    act_type = serializers.ChoiceField(label="行为类别", choices=ActType.choices)
    field = serializers.ChoiceField(label="执法领域", choices=EnforcementField.choices)
    summary = serializers.CharField(label="案情摘要",
                                    max_length=EnforcementCase._meta.get_field("summary").max_length)
    discovered_at = serializers.DateTimeField(label="发现时间")
    filed_on = serializers.DateField(label="立案日期")
    is_major_decision = serializers.BooleanField(label="重大执法决定", required=False, default=False)
    officers = serializers.PrimaryKeyRelatedField(label="承办人员", many=True,
                                                  queryset=User.objects.filter(is_active=True))
    parties = PartyInputSerializer(label="当事人", many=True, required=False)


class TransitionSerializer(serializers.Serializer):
    target = serializers.ChoiceField(label="目标状态", choices=CaseStatus.choices)
    note = serializers.CharField(label="说明", required=False, allow_blank=True, default="", max_length=2000)


class CaseFilter(FilterSet):  # core.drf's: moments filtered in UTC
    filed_from = django_filters.DateFilter(field_name="filed_on", lookup_expr="gte", label="立案日期自")
    filed_to = django_filters.DateFilter(field_name="filed_on", lookup_expr="lte", label="立案日期至")
    closed_from = django_filters.DateFilter(field_name="closed_on", lookup_expr="gte", label="结案日期自")
    closed_to = django_filters.DateFilter(field_name="closed_on", lookup_expr="lte", label="结案日期至")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="有逾期期限")
    q = django_filters.CharFilter(method="filter_q", label="案件编号、当事人姓名或证件号")

    class Meta:
        model = EnforcementCase
        fields = ["department", "act_type", "field", "status", "is_major_decision"]

    def filter_overdue(self, qs, name, value):
        return qs.filter(selectors.overdue_q()) if value else qs

    def filter_q(self, qs, name, value):
        return qs.filter(selectors.search_q(self.request.user, value)) if value.strip() else qs


class CaseViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = EnforcementCase.objects.select_related("department").prefetch_related(
        "parties", "officers").order_by("-filed_on", "-id")
    serializer_class = CaseSerializer
    filterset_class = CaseFilter

    def get_serializer_class(self):
        if self.action == "create":
            return CaseRegisterSerializer
        if self.action == "transition":
            return TransitionSerializer
        return CaseSerializer

    @extend_schema(request=CaseRegisterSerializer, responses={201: CaseSerializer})
    def create(self, request, *args, **kwargs):
        data = CaseRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_register(actor=request.user, **data.validated_data)
        return Response(CaseSerializer(case, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=TransitionSerializer, responses={200: CaseSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        case = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.case_transition(case=case, actor=request.user, **data.validated_data)
        return Response(CaseSerializer(case, context={"request": request}).data)


class PartyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Party.objects.select_related("case").order_by("id")
    serializer_class = PartySerializer
    filterset_fields = ["case", "kind", "is_party_member", "is_state_functionary"]
