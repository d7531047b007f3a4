import contextvars

from django.contrib import admin
from axes.admin import AccessAttemptAdmin as BaseAccessAttemptAdmin
from axes.admin import AccessFailureLogAdmin as BaseAccessFailureLogAdmin
from axes.admin import AccessLogAdmin as BaseAccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import TokenProxy

from . import services
from .audit import audit_record
from .login import lockout_reset_actor
from .models import Attachment, Event, Membership, Organization, User


# Writes the admin would make without an audit event: groups (roles are memberships here,
# groups are unused), API tokens (shown in clear, made for anyone; a user gets a token
# through the audited POST /api/v1/auth/token/) and second-factor devices (their secret
# keys in clear; the user sets one up, an administrator stops one with the user action).
for _model in (Group, TokenProxy, TOTPDevice, StaticDevice):
    admin.site.unregister(_model)


class AuditedAdmin(admin.ModelAdmin):
    """Admin writes go through the audit trail like every other write. A secret field
    (the user form's password1/password2, a hash) is named as changed by ``audit_record``,
    its value never recorded."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, verb="update" if change else "create", target=obj,
                     changes={name: [None, str(form.cleaned_data.get(name))]
                              for name in form.changed_data})

    def delete_model(self, request, obj):
        audit_record(actor=request.user, verb="delete", target=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


# The administrator setting a password: Django's admin builds the password form itself,
# with no request, so the actor reaches the form's save() through this variable.
_password_actor: contextvars.ContextVar = contextvars.ContextVar("password_actor")


class AuditedPasswordChangeForm(AdminPasswordChangeForm):
    def save(self, commit=True):
        usable = self.cleaned_data.get("set_usable_password", True)
        return services.user_password_set(
            actor=_password_actor.get(), user=self.user,
            password=self.cleaned_data["password1"] if usable else None)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "real_name", "phone", "certificate_no", "is_active"]
    search_fields = ["username", "real_name", "certificate_no", "phone"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("执法信息", {"fields": ("real_name", "phone", "certificate_no")}),
    )
    inlines = [MembershipInline]
    change_password_form = AuditedPasswordChangeForm
    actions = ["disable_second_factor"]

    @admin.action(description="停用所选用户的动态口令（手机丢失时）")
    def disable_second_factor(self, request, queryset):
        for user in queryset:
            services.otp_disable(actor=request.user, user=user)
        self.message_user(request, f"已停用 {queryset.count()} 个用户的动态口令，其下次登录时须重新设置。")

    def save_model(self, request, obj, form, change):
        if not change:  # an account an administrator created: its password is not the user's
            obj.password_change_required = True
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        token = _password_actor.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _password_actor.reset(token)

    def save_formset(self, request, form, formset, change):
        # Membership rows from the inline: record each added or removed role.
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.membership_remove(actor=request.user, membership=obj)
        for obj in instances:
            services.membership_add(actor=request.user, user=obj.user,
                                    organization=obj.organization, role=obj.role)
        formset.save_m2m()


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "kind", "parent", "higher_authority", "complaint_phone",
                    "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization__kind"]
    search_fields = ["user__username", "user__real_name", "organization__name"]
    autocomplete_fields = ["user", "organization"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "organization", "verb", "target_repr", "ip"]
    list_filter = ["verb"]
    search_fields = ["target_repr", "note", "actor__username"]
    date_hierarchy = "created_at"


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "content_type", "size", "organization", "created_at"]
    search_fields = ["original_name", "sha256"]


# Deleting a failed-login record lifts a lock-out: recorded with the administrator as the
# actor (core.login records every removal; the admin says who).
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(BaseAccessAttemptAdmin):
    def delete_model(self, request, obj):
        token = lockout_reset_actor.set(request.user)
        try:
            super().delete_model(request, obj)
        finally:
            lockout_reset_actor.reset(token)

    def delete_queryset(self, request, queryset):
        token = lockout_reset_actor.set(request.user)
        try:
            super().delete_queryset(request, queryset)
        finally:
            lockout_reset_actor.reset(token)


# The sign-in history (each sign-in and sign-out, each failed attempt) is a log the
# platform keeps, like the audit trail: the admin shows it and neither changes nor deletes
# a row (a deletion would be a write no event records, and would erase the trace it is).
class _SignInHistoryAdmin:
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.unregister(AccessLog)
admin.site.unregister(AccessFailureLog)


@admin.register(AccessLog)
class AccessLogAdmin(_SignInHistoryAdmin, BaseAccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(_SignInHistoryAdmin, BaseAccessFailureLogAdmin):
    pass
