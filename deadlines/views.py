from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core import policy
from core.audit import events_for, verb_label
from core.forms import apply_errors

from . import calendar, ical, selectors, services
from .forms import DeadlineExtendForm, DeadlineFilterForm, DeadlineWaiveForm
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
        "can_waive": selectors.can_waive(request.user, deadline),
        "can_extend": selectors.can_extend(request.user, deadline),
    })


def _decision_page(request, deadline: Deadline, form, *, title: str, submit: str):
    return render(request, "deadlines/deadline_decision.html", {
        "deadline": deadline, "form": form, "title": title, "submit": submit})


@login_required
def deadline_waive(request, pk: int):
    """The justice bureau excuses a time limit, giving its reason."""
    deadline = policy.access(request.user, Deadline.objects.select_related("responsible"), pk)
    policy.require(request.user, "deadline.waive")
    if not selectors.can_waive(request.user, deadline):
        messages.error(request, "该期限已完成、取消或豁免，不能再豁免。")
        return redirect("deadlines:detail", pk=deadline.pk)
    form = DeadlineWaiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_waive(deadline=deadline, actor=request.user,
                                    reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "期限已豁免。")
            return redirect("deadlines:detail", pk=deadline.pk)
    return _decision_page(request, deadline, form, title="豁免期限", submit="确认豁免")


@login_required
def deadline_extend(request, pk: int):
    """The responsible unit's head or the justice bureau moves an open deadline later."""
    deadline = policy.access(request.user, Deadline.objects.select_related("responsible"), pk)
    if not selectors.may_approve_extension(request.user, deadline):
        raise PermissionDenied(f"您没有批准延长“{deadline.responsible.name}”期限的权限。")
    if not selectors.can_extend(request.user, deadline):
        messages.error(request, "只能延长进行中的期限；已逾期的期限请办结或申请豁免。")
        return redirect("deadlines:detail", pk=deadline.pk)
    form = DeadlineExtendForm(request.POST or None, deadline=deadline)
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_extend(deadline=deadline, actor=request.user,
                                     new_due=form.cleaned_data["new_due"],
                                     reason=form.cleaned_data["reason"], approver=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"期限已延长至{calendar.due_text(deadline.due)}。")
            return redirect("deadlines:detail", pk=deadline.pk)
    return _decision_page(request, deadline, form, title="延长期限", submit="确认延长")


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


@require_POST
@login_required
def notification_open(request, pk: int):
    """Follow a notification's link, marking it read on the way. A POST (the inbox's
    button): reading acknowledges an escalation, which a link on another site must not
    do."""
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


@require_POST
@login_required
def ical_feed_reset(request):
    services.calendar_feed_reset(actor=request.user)
    messages.success(request, "已生成新的日历订阅地址，原地址即日起失效；请在手机或 Outlook 中改用新地址。")
    return redirect("deadlines:list")


def ical_feed(request, token: str):
    user_id = ical.user_id_from_token(token)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        raise Http404("订阅地址无效。")
    body = ical.render(selectors.open_deadlines_of(user), request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    return response
