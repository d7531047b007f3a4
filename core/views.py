from __future__ import annotations

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.encoding import escape_uri_path
from django.views import defaults

from . import navigation, policy, services
from .audit import verb_label
from .forms import EventFilterForm
from .login import LoginForm
from .models import Attachment, Event
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


@login_required
def home(request):
    memberships = memberships_of(request.user)
    return render(request, "core/home.html", {
        "memberships": memberships,
        "tiles": navigation.items_for(request.user),
        "sees_all": policy.sees_all(request.user),
    })


@login_required
def event_list(request):
    policy.require_read(request.user, "audit.view")
    form = EventFilterForm(request.GET or None)
    events = policy.visible_to(request.user, Event).select_related("actor", "organization")
    if form.is_valid():
        events = form.filter(events)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.verb_text = verb_label(event.verb)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/event_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
    })


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
