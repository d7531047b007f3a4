"""DRF settings hooks (imported by REST_FRAMEWORK before any view: keep free of views)."""
from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import FilterSet as BaseFilterSet
from rest_framework import exceptions, filters, pagination
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class OrderingFilter(filters.OrderingFilter):
    """DRF's ordering, which by default accepts every serializer field — including those
    computed in Python (``get_status_display``), which the database cannot order by: a
    500. Without ``ordering_fields`` on the view, only the model's own columns are
    accepted; any other ``ordering`` is ignored, as DRF ignores unknown names."""

    def get_default_valid_fields(self, queryset, view, context=None):
        meta = queryset.model._meta
        columns = {f.name for f in meta.concrete_fields} | {f.attname for f in meta.concrete_fields}
        return [(name, label) for name, label in super().get_default_valid_fields(queryset, view, context or {})
                if name in columns]


class UTCDateTimeField(forms.DateTimeField):
    """A moment in a filter (``?due__gte=``), in UTC. Python reads any offset up to ±23:59
    (``2026-01-01T00:00+16:00``) but PostgreSQL refuses one beyond ±15:59 with
    "time zone displacement out of range": a 500. In UTC every offset is the same moment
    PostgreSQL accepts; one that leaves the calendar (year 1 at +14:00) is not a date."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and timezone.is_aware(value):
            try:
                value = value.astimezone(dt.timezone.utc)
            except OverflowError:
                raise DjangoValidationError(self.error_messages["invalid"], code="invalid") from None
        return value


class UTCDateTimeFilter(django_filters.DateTimeFilter):
    field_class = UTCDateTimeField


class FilterSet(BaseFilterSet):
    """The views' ``filterset_fields``, with date-time columns filtered in UTC, and the
    choices of every filter on a related row (``?case=4``) taken from the viewer's scope:
    a row the viewer may not see is refused as a missing one is (400 alike), so a filter
    never tells that it exists."""

    FILTER_DEFAULTS = {**BaseFilterSet.FILTER_DEFAULTS,
                       models.DateTimeField: {"filter_class": UTCDateTimeFilter}}

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        from core import policy  # policy imports models: not at settings time

        user = getattr(request, "user", None)
        for name, filter_ in self.filters.items():
            if isinstance(filter_, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
                choices = filter_.queryset
                if choices is not None and not callable(choices):
                    filter_.queryset = policy.visible_to(user, choices)


class FilterBackend(DjangoFilterBackend):
    filterset_base = FilterSet


def exception_handler(exc, context):
    """Service errors (Django's ValidationError/PermissionDenied) and a race lost on a
    unique value (``core.integrity``) become 400/403 bodies; a 404 says what the pages say (missing and out of scope alike), not DRF's English; a
    body that cannot be parsed says so in Chinese."""
    from core.integrity import unique_violation_message  # imports models: not at settings time

    duplicate = unique_violation_message(exc)
    if duplicate is not None:
        exc = exceptions.ValidationError(detail={"detail": duplicate})
    elif isinstance(exc, Http404):
        from core.policy import NOT_FOUND  # policy imports models: not at settings time

        exc = exceptions.NotFound(detail=NOT_FOUND)
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, exceptions.ParseError):
        # DRF's "JSON parse error - …" is not translated: say it in Chinese, keep the
        # parser's words for whoever fixes the client.
        exc = exceptions.ParseError(detail=f"请求内容无法解析，请检查其格式（JSON 或表单）：{exc.detail}")
    return drf_exception_handler(exc, context)
