from django.contrib import admin

from . import services
from .models import CalendarDay, Deadline, Notification


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The holiday calendar, editable by administrators; every edit is audited."""

    list_display = ["date", "kind", "name"]
    list_filter = ["kind", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        services.calendar_day_save(actor=request.user, day=obj)

    def delete_model(self, request, obj):
        services.calendar_day_delete(actor=request.user, day=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Deadlines and notifications change only through their services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["target_repr", "rule", "responsible", "due", "state", "provisional",
                    "escalation_level"]
    list_filter = ["state", "rule", "provisional"]
    search_fields = ["target_repr"]
    date_hierarchy = "due"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["subject", "recipient", "created_at", "read_at", "emailed_at"]
    search_fields = ["subject", "recipient__username", "recipient__real_name"]
