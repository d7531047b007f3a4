from django.contrib import admin

from .models import ExemptionClaim, InterferenceRecord


class _ReadOnly(admin.ModelAdmin):
    """Read-only: records are appended and claims decided through the services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InterferenceRecord)
class InterferenceRecordAdmin(_ReadOnly):
    """M12.2: archived, append-only — the admin neither changes nor deletes a record."""

    list_display = ("seq", "unit", "kind", "occurred_at", "refused")
    list_filter = ("kind", "refused")


@admin.register(ExemptionClaim)
class ExemptionClaimAdmin(_ReadOnly):
    list_display = ("proceeding", "claimant", "ground", "status")
