"""Notifications: the in-app messages every mechanism sends (the inbox, the navbar badge,
e-mail after the commit), and their reads. Their own module, beside the deadline rows'
services: most messages are about a record of another app, not a time limit."""
from __future__ import annotations

from typing import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from core import policy
from core.audit import audit_record
from core.models import Membership, Organization

from . import tallies
from .models import Deadline, Notification


@policy.register_scope(Notification)
def _notifications(viewer: policy.Viewer) -> Q:
    return Q(recipient_id=viewer.user_id)


# --- reads ------------------------------------------------------------------------------

def notifications_of(user) -> models.QuerySet[Notification]:
    """A user's own notifications. Not through ``visible_to``: the justice bureau sees
    every record, but a message is only ever its recipient's."""
    return Notification.objects.filter(recipient_id=user.pk).select_related("organization")


def inbox(user, filters: dict) -> models.QuerySet[Notification]:
    """The inbox: the user's notifications, newest first; ``filters`` from
    InboxFilterForm: q (subject or body), unread."""
    qs = notifications_of(user)
    if filters.get("q"):
        qs = qs.filter(Q(subject__icontains=filters["q"]) | Q(body__icontains=filters["q"]))
    if filters.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    return qs


def notification_of(user, pk) -> Notification:
    """One of the user's notifications; 404 for another's, as for a missing one."""
    try:
        return notifications_of(user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404("消息不存在或您无权查看。") from None


def unread_count(user) -> int:
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


# --- writes -----------------------------------------------------------------------------

def target_url(target: models.Model | None) -> str:
    """Where a notification about ``target`` links to: its own page when it has one."""
    if target is not None and hasattr(target, "get_absolute_url"):
        return target.get_absolute_url()
    return reverse("deadlines:list")


def _recipients(recipients: Iterable) -> list[tuple[object, Organization | None]]:
    """(user, organisation) pairs, each user once; an organisation means its members."""
    seen: dict[int, tuple[object, Organization | None]] = {}
    orgs = [r for r in recipients if isinstance(r, Organization)]
    for r in recipients:
        if not isinstance(r, Organization) and r is not None:
            seen.setdefault(r.pk, (r, None))
    if orgs:
        for m in (Membership.objects.filter(organization__in=orgs, user__is_active=True)
                  .select_related("user", "organization").order_by("user_id")):
            seen.setdefault(m.user_id, (m.user, m.organization))
    return list(seen.values())


def notification_send(*, recipients: Iterable, subject: str, body: str = "", target=None,
                      url: str = "", actor=None) -> list[Notification]:
    """Write one notification per recipient in the caller's transaction; e-mail them
    after it commits (a rolled-back cause never mails anyone)."""
    if target is not None:
        content_type, target_id = ContentType.objects.get_for_model(target), str(target.pk)
    else:
        content_type, target_id = None, ""
    url = url or target_url(target)
    notifications = Notification.objects.bulk_create([
        Notification(recipient=user, organization=org, subject=subject[:200], body=body,
                     target_type=content_type, target_id=target_id, url=url)
        for user, org in _recipients(list(recipients))
    ])
    if notifications:
        audit_record(actor=actor, verb="notification.send", target=target,
                     note=f"{subject}（{len(notifications)} 人）")
        queue_emails([n.pk for n in notifications])
    return notifications


def queue_emails(notification_ids: list[int]) -> None:
    """E-mail after commit; if the broker is down, the outbox task sends them later."""
    from core.after_commit import enqueue

    from .tasks import notifications_email

    enqueue(notifications_email, notification_ids)


def notification_read(*, notification: Notification, actor) -> Notification:
    """Mark the actor's own notification read (once: a second call changes nothing)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("只能标记自己的消息。")
    now = timezone.now()
    with transaction.atomic():
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
            notification.read_at = now
            audit_record(actor=actor, verb="notification.read", target=notification)
            _acknowledge_escalations(Notification.objects.filter(pk=notification.pk), actor, now)
    return notification


def _acknowledge_escalations(notifications, actor, now) -> None:
    """A member of the justice bureau reading notifications about deadlines acknowledges
    their escalation (督办已签收: ``escalation_acknowledged_at``, the first reading counts);
    the dashboard's 督办无人签收 (deadlines.tallies.LIVE) is recounted for those keys."""
    if not policy.viewer(actor).sees_all:  # sees_all: a member of the justice bureau
        return
    ids = [int(i) for i in notifications.filter(
        target_type=ContentType.objects.get_for_model(Deadline)).values_list("target_id", flat=True)
        if i.isdigit()]
    # Locked: of two readers at once, the second finds the row acknowledged and skips it.
    acknowledged = list(Deadline.objects.select_for_update(of=("self",)).select_related("responsible")
                        .filter(pk__in=ids, escalation_acknowledged_at__isnull=True))
    if acknowledged:
        Deadline.objects.filter(pk__in=[d.pk for d in acknowledged]).update(
            escalation_acknowledged_at=now)
        for deadline in acknowledged:
            audit_record(actor=actor, verb="deadline.acknowledge", target=deadline,
                         organization=deadline.responsible)
        tallies.touch(*acknowledged)


def notifications_read_all(*, actor) -> int:
    with transaction.atomic():
        unread = list(Notification.objects.filter(recipient=actor, read_at__isnull=True)
                      .values_list("pk", flat=True))
        now = timezone.now()
        count = Notification.objects.filter(pk__in=unread, read_at__isnull=True).update(read_at=now)
        _acknowledge_escalations(Notification.objects.filter(pk__in=unread), actor, now)
        if count:
            audit_record(actor=actor, verb="notification.read", note=f"全部标为已读（{count} 条）")
    return count
