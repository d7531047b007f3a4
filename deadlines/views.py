"""Deadline pages on the shared web layer (core.pages): 我的时限 and its export, one
deadline with who acts next and the record behind it, waiving and extending it (and, for
a due a supervisor imposed, the request to extend and its decision), the inbox, and the
iCalendar feed."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from core import formats, pages, policy

from . import ical, notifications, selectors, services
from .forms import (DeadlineExtendForm, DeadlineFilterForm, DeadlineWaiveForm,
                    ExtensionDecisionForm, ExtensionRequestForm, InboxFilterForm)
from .models import Deadline, ExtensionRequest


@dataclass(frozen=True)
class OwnPage:
    """A page of the user's own (the inbox, 我的时限) as the object an action on it
    returns to."""

    url_name: str

    def get_absolute_url(self) -> str:
        return reverse(self.url_name)


def _deadline(request, pk) -> Deadline:
    return policy.access(request.user, Deadline.objects.select_related(
        "responsible", "person", "imposed_by"), pk)


class DeadlineList(pages.ListPage):
    title = "我的时限"
    template_name = "deadlines/deadline_list.html"
    filter_form = DeadlineFilterForm
    export_kind = "deadlines"
    page_size = 50
    empty_text = "没有符合条件的时限。"

    def get_queryset(self, request, filters):
        return selectors.deadline_list(request.user, filters)

    def extra_context(self, request, page, **kwargs):
        return {
            "counts": selectors.deadline_counts(request.user),
            "feed_url": request.build_absolute_uri(
                reverse("deadlines:ical_feed", args=[ical.feed_token(request.user)])),
        }


class DeadlineDetail(pages.DetailPage):
    template_name = "deadlines/deadline_detail.html"
    fields = ("responsible", "person", "imposed_by", "start")

    def get_queryset(self, request):
        return Deadline.objects.select_related("responsible", "person", "imposed_by")

    def extra_context(self, request, obj, **kwargs):
        user = request.user
        pending = selectors.pending_extension(obj)
        return {
            "deadline": obj, "title": obj.rule_label, "target_url": obj.target_url(),
            "fields": [(label, value) for label, value in pages.detail_fields(obj, self.fields)
                       if value not in (None, "")],
            "reminders": obj.reminders.order_by("created_at"),
            "next_step": selectors.next_step(user, obj, pending),
            "can_waive": selectors.may_waive(user, obj),
            "can_extend": selectors.may_extend(user, obj),
            "can_request": selectors.may_request_extension(user, obj),
            "pending": pending,
            "can_decide": pending is not None and selectors.may_decide_extension(user, pending),
            "decision_form": ExtensionDecisionForm(),
            "requests": obj.extension_requests.select_related("created_by", "decided_by"),
        }


class DeadlineFormPage(pages.FormPage):
    """A decision on one deadline, the deadline summed up above the form."""

    template_name = "deadlines/deadline_form.html"
    predicate: policy.Predicate
    # The service, called with the deadline, the actor and the form's fields.
    service: Callable[..., Any]

    def get_object(self, request, pk):
        return _deadline(request, pk)

    def check(self, request, deadline):
        self.predicate.require(request.user, deadline)

    def get_form_kwargs(self, request, deadline):
        return {} if self.form_class is DeadlineWaiveForm else {"deadline": deadline}

    def save(self, request, form, deadline):
        return self.service(deadline=deadline, actor=request.user, **form.cleaned_data)


class DeadlineWaive(DeadlineFormPage):
    """The justice bureau excuses a time limit, giving its reason."""

    title = "豁免期限"
    form_class = DeadlineWaiveForm
    predicate = selectors.may_waive
    submit_label = "确认豁免"
    success_message = "期限已豁免。"
    service = staticmethod(services.deadline_waive)


class DeadlineExtend(DeadlineFormPage):
    """The responsible unit's head or the justice bureau moves a time limit set by law."""

    title = "延长期限"
    form_class = DeadlineExtendForm
    predicate = selectors.may_extend
    submit_label = "确认延长"
    success_message = staticmethod(lambda d: f"期限已延长至{formats.due_text(d.due)}。")
    service = staticmethod(services.deadline_extend)


class ExtensionRequestPage(DeadlineFormPage):
    """Issue 15 item 10: the unit asks the organisation that imposed the due."""

    title = "申请延长期限"
    form_class = ExtensionRequestForm
    predicate = selectors.may_request_extension
    submit_label = "提出申请"
    success_message = staticmethod(lambda r: f"已向{r.deadline.imposed_by.name}提出延长申请。")
    service = staticmethod(services.deadline_extension_request)


class ExtensionDecide(pages.ActionView):
    form_class = ExtensionDecisionForm
    success_message = staticmethod(
        lambda r: "已同意延长。" if r.state == "approved" else "已决定不予延长。")

    def get_object(self, request, pk):
        return policy.access(request.user, ExtensionRequest.objects.select_related(
            "deadline", "deadline__responsible", "deadline__imposed_by"), pk)

    def perform(self, request, extension, data):
        return services.deadline_extension_decide(request=extension, actor=request.user,
                                                  approve=data["approve"], answer=data["answer"])


class Inbox(pages.ListPage):
    title = "消息"
    template_name = "deadlines/inbox.html"
    filter_form = InboxFilterForm
    empty_text = "没有消息。"

    def get_queryset(self, request, filters):
        return notifications.inbox(request.user, filters)


class NotificationOpen(pages.Page):
    """Follow a notification to the record it is about, marking it read on the way. A
    POST (the inbox's button): reading acknowledges an escalation, which a link on
    another site must not do."""

    http_method_names = ["post"]

    def post(self, request, pk):
        notification = notifications.notification_of(request.user, pk)
        notifications.notification_read(notification=notification, actor=request.user)
        url = notification.get_absolute_url()
        if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
            return redirect("deadlines:inbox")
        return redirect(url)


class NotificationRead(pages.ActionView):
    success_message = "已标为已读。"

    def get_object(self, request, pk):
        return notifications.notification_of(request.user, pk)

    def perform(self, request, notification, data):
        return notifications.notification_read(notification=notification, actor=request.user)

    def get_success_url(self, request, notification, result):
        return reverse("deadlines:inbox")


class InboxReadAll(pages.ActionView):
    success_message = staticmethod(lambda count: f"已将 {count} 条消息标为已读。")

    def get_object(self, request, pk):
        return OwnPage("deadlines:inbox")

    def perform(self, request, inbox, data):
        return notifications.notifications_read_all(actor=request.user)


class CalendarFeedReset(pages.ActionView):
    success_message = "已生成新的日历订阅地址，原地址即日起失效；请在手机或电脑日历中改用新地址。"

    def get_object(self, request, pk):
        return OwnPage("deadlines:list")

    def perform(self, request, own, data):
        return services.calendar_feed_reset(actor=request.user)


def ical_feed(request, token: str):
    """The calendar subscription, read by a phone or a desktop calendar without a session:
    the secret address names its user (``ical.feed_token``)."""
    user_id = ical.user_id_from_token(token)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        raise Http404("订阅地址无效。")
    body = ical.render(selectors.open_deadlines_of(user), request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    return response


