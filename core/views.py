from __future__ import annotations

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.util import random_hex
from django.utils.encoding import escape_uri_path
from django.views import defaults

from . import audit_trail, navigation, pages, policy, services, twofactor
from .forms import EventFilterForm
from .login import LoginForm
from .models import Attachment
from .selectors import memberships_of

# Types a browser shows inline (raster images: no script in them); anything else downloads.
INLINE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
STORED_FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


# The API's addresses: a client of the API reads JSON, also when Django itself answers
# (an address no route matches, an unexpected error).
API_PREFIX = "/api/"
UNICODE = {"ensure_ascii": False}  # as DRF answers
SERVER_ERROR = "系统暂时出错，您的操作未完成。请稍后重试；如反复出现，请联系系统管理员。"


def page_not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": policy.NOT_FOUND}, status=404, json_dumps_params=UNICODE)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": SERVER_ERROR}, status=500, json_dumps_params=UNICODE)
    return defaults.server_error(request)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.LOGIN_FAILURE_LIMIT
        context["lockout_minutes"] = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """The user's own password change, through the service: audited, and the user's API
    token revoked with the old password."""

    template_name = "registration/password_change.html"

    def form_valid(self, form):
        services.user_password_set(actor=self.request.user, user=form.user,
                                   password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["required"] = self.request.user.password_change_required
        context["has_totp"] = twofactor.has_totp(self.request.user)
        return context


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def otp_verify(request):
    """The second step of signing in: a code from the authenticator app, or a recovery
    code."""
    error = ""
    if request.method == "POST":
        device = services.otp_verify(user=request.user, code=request.POST.get("code", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        error = "动态口令不正确或已过期，请输入手机验证器当前显示的 6 位数字，或一个未用过的恢复码。"
    return render(request, "registration/otp_verify.html", {
        "error": error, "next": request.GET.get("next", ""),
        "required": twofactor.required_for(request.user)})


@login_required
def otp_setup(request):
    """Set up the authenticator app: scan the QR code (or type the key), confirm with a
    code; the recovery codes are shown once."""
    if request.user.is_verified() is False and twofactor.has_totp(request.user):
        return redirect("otp_verify")  # a second device only after the first factor is proven
    key = request.session.get("otp_setup_key")
    if not key or request.method == "GET":
        key = request.session["otp_setup_key"] = random_hex(20)
    error = ""
    if request.method == "POST":
        try:
            codes = services.otp_enable(actor=request.user, hex_key=key,
                                        code=request.POST.get("code", ""))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            del request.session["otp_setup_key"]
            otp_login(request, twofactor.totp_device(request.user))
            return render(request, "registration/otp_recovery_codes.html", {
                "codes": codes, "next": _next_url(request)})
    uri = twofactor.provisioning_uri(request.user, key)
    return render(request, "registration/otp_setup.html", {
        "qr": mark_safe(twofactor.qr_svg(uri)), "key": twofactor.base32_key(key),
        "error": error, "next": request.GET.get("next", ""),
        "required": twofactor.required_for(request.user)})


@require_POST
@login_required
def otp_recovery_codes(request):
    """Ten new recovery codes (the earlier ones stop working), shown once."""
    codes = services.otp_recovery_codes_reset(actor=request.user)
    return render(request, "registration/otp_recovery_codes.html", {
        "codes": codes, "next": resolve_url("password_change")})


@login_required
def home(request):
    """Signed in, not a ``pages.Page``: the one page a user with no unit yet (or an
    administrator without one) reaches, and it tells them what to do."""
    return render(request, "core/home.html", {
        "memberships": memberships_of(request.user),
        "tiles": navigation.items_for(request.user),
    })


class EventList(pages.ListPage):
    """审计记录: who did what, when, for which unit — the changes by their labels."""

    title = "审计记录"
    capability = "audit.view"
    template_name = "core/event_list.html"
    filter_form = EventFilterForm
    export_kind = "audit"
    page_size = 50

    def get_queryset(self, request, filters):
        return audit_trail.event_list(request.user, filters)

    def extra_context(self, request, page, **kwargs):
        return {"events": [audit_trail.event_row(e) for e in page]}


@login_required
def attachment_download(request, pk: int):
    """A stored file, never as active content on the site's origin: a raster image is
    shown, everything else (a PDF too, which may carry JavaScript) downloads; either way
    the browser may not sniff another type, and a sandboxing CSP keeps scripts, forms and
    plug-ins off."""
    attachment = policy.access(request.user, Attachment, pk)
    inline = attachment.content_type in INLINE_TYPES and request.GET.get("download") is None
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = (
        f"{disposition}; filename*=UTF-8''{escape_uri_path(attachment.original_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = STORED_FILE_CSP
    return response
