from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core import policy
from core.audit import events_for, verb_label

from . import ical, selectors, services
from .forms import DeadlineFilterForm
from .models import Deadline


@login_required
def deadline_list(request):
    form = DeadlineFilterForm(request.GET or None)
    deadlines = selectors.deadline_list(request.user, form.cleaned_data if form.is_valid() else {})
    if form.is_bound and not form.is_valid():
        # A filter that cannot be read shows its error and no rows, never the whole list
        # (a dashboard figure's link must not show more than the figure counts).
        deadlines = deadlines.none()
    page = Paginator(deadlines, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "deadlines/deadline_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "counts": selectors.deadline_counts(request.user),
        "feed_url": request.build_absolute_uri(
            f"/deadlines/feed/{ical.feed_token(request.user)}.ics"),
    })


@login_required
def deadline_detail(request, pk: int):
    deadline = policy.access(request.user, Deadline.objects.select_related("responsible", "person"), pk)
    target = deadline.target
    events = list(events_for(deadline))
    for event in events:
        event.verb_text = verb_label(event.verb)
    return render(request, "deadlines/deadline_detail.html", {
        "deadline": deadline,
        "target_url": target.get_absolute_url() if hasattr(target, "get_absolute_url") else "",
        "reminders": deadline.reminders.order_by("created_at"),
        "events": events,
    })


@login_required
def inbox(request):
    notifications = selectors.notifications_of(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "deadlines/inbox.html", {
        "page": page, "query": "unread=1" if unread_only else "", "unread_only": unread_only,
    })


@login_required
def notification_open(request, pk: int):
    """Follow a notification's link, marking it read on the way."""
    notification = selectors.notification_of(request.user, pk)
    services.notification_read(notification=notification, actor=request.user)
    url = notification.url
    if not url or not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect("deadlines:inbox")
    return redirect(url)


@require_POST
@login_required
def notification_read(request, pk: int):
    notification = selectors.notification_of(request.user, pk)
    services.notification_read(notification=notification, actor=request.user)
    return redirect("deadlines:inbox")


@require_POST
@login_required
def inbox_read_all(request):
    count = services.notifications_read_all(actor=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。")
    return redirect("deadlines:inbox")


def ical_feed(request, token: str):
    user_id = ical.user_id_from_token(token)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        raise Http404("订阅地址无效。")
    body = ical.render(selectors.open_deadlines_of(user), request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    return response
