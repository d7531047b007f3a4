"""DRF settings hooks (imported by REST_FRAMEWORK before any view: keep free of views)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
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


def exception_handler(exc, context):
    """Service errors (Django's ValidationError/PermissionDenied) become 400/403 bodies; a
    404 says what the pages say (missing and out of scope alike), not DRF's English."""
    if isinstance(exc, Http404):
        from core.policy import NOT_FOUND  # policy imports models: not at settings time

        exc = exceptions.NotFound(detail=NOT_FOUND)
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    return drf_exception_handler(exc, context)
