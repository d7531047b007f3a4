from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.utils.encoding import escape_uri_path
from django.views import defaults
from django.views.decorators.clickjacking import xframe_options_sameorigin

from . import audit_trail, navigation, pages, policy
from .forms import EventFilterForm
from .models import Attachment
from .selectors import memberships_of

# Types a browser shows inline; anything else downloads.
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")


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
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["lockout_minutes"] = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        return context


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


@xframe_options_sameorigin  # PDFs and images preview inside our own pages
@login_required
def attachment_download(request, pk: int):
    attachment = policy.access(request.user, Attachment, pk)
    inline = attachment.content_type in INLINE_TYPES and request.GET.get("download") is None
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = (
        f"{disposition}; filename*=UTF-8''{escape_uri_path(attachment.original_name)}"
    )
    return response
