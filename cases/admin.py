"""Read-only admin views of the registry: every change goes through cases.services
(checks, audit, deadlines), so the admin only looks."""
from django.contrib import admin

from .models import EnforcementCase, Party


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PartyInline(admin.TabularInline):
    model = Party
    fields = ["kind", "name", "political_status", "employer", "post", "is_party_member",
              "is_state_functionary"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EnforcementCase)
class EnforcementCaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "department", "act_type", "field", "status", "filed_on", "closed_on"]
    list_filter = ["status", "act_type", "field"]
    search_fields = ["number"]
    list_select_related = ["department"]
    inlines = [PartyInline]
    exclude = ["officers"]
