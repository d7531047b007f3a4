from django.contrib import admin

from . import services
from .models import JointBody


@admin.register(JointBody)
class JointBodyAdmin(admin.ModelAdmin):
    """Setting up the two bodies (M1.1, M14.1): saved through ``joint_body_save``, so the
    change is checked and audited like every other write."""

    list_display = ("kind", "convener")
    filter_horizontal = ("members",)

    def save_model(self, request, obj, form, change):
        pass  # saved with its members in save_related, by the service

    def save_related(self, request, form, formsets, change):
        services.joint_body_save(actor=request.user, body=form.instance,
                                 members=form.cleaned_data["members"])

    def has_delete_permission(self, request, obj=None):
        return False  # meetings and matters refer to the body
