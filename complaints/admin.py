from django.contrib import admin

from .models import ComplaintChannel


@admin.register(ComplaintChannel)
class ComplaintChannelAdmin(admin.ModelAdmin):
    """Read-only here: channels are published through the page (services.channel_save)."""

    list_display = ["organization", "handling_office", "phone", "email", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
