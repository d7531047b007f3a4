from django.contrib import admin

from .models import Proceeding


@admin.register(Proceeding)
class ProceedingAdmin(admin.ModelAdmin):
    """Read-only: proceedings are opened and moved through the services (pages), which
    check, audit and keep the deadlines."""

    list_display = ("subject", "agency", "status", "created_at")
    list_filter = ("status", "ground")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
