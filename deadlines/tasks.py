"""Thin Celery tasks: the sweep, the recurring duties, and notification e-mail."""
from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urljoin

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import services, sweep as sweep_module
from .models import Notification

logger = logging.getLogger(__name__)


@shared_task(name="deadlines.tasks.sweep")
def sweep() -> dict:
    from core.health import SWEEP
    from core.models import Heartbeat

    result = sweep_module.sweep()
    Heartbeat.beat(SWEEP)  # beat is alive: /healthz reads its age
    return {"warned": result.warned, "overdue": result.overdue, "reminders": result.reminders,
            "failed": len(result.failed)}


@shared_task(name="deadlines.tasks.recurring_open")
def recurring_open() -> int:
    return len(services.deadlines_open_recurring())


@shared_task(name="deadlines.tasks.notifications_email", bind=True, max_retries=5,
             default_retry_delay=60)
def notifications_email(self, notification_ids: list[int]) -> int:
    """E-mail the notifications queued after their commit (deadlines.services)."""
    try:
        return email_pending(notification_ids)
    except Exception as exc:
        raise self.retry(exc=exc)


@shared_task(name="deadlines.tasks.notifications_email_outbox")
def notifications_email_outbox() -> int:
    """The outbox: every notification not yet e-mailed (its queueing failed, or its task
    ran out of retries), sent by beat until the mail server accepts it."""
    since = timezone.now() - OUTBOX_DAYS
    ids = list(_unsent().filter(created_at__gte=since).order_by("created_at")
               .values_list("pk", flat=True)[:OUTBOX_BATCH])
    return email_pending(ids) if ids else 0


OUTBOX_DAYS = dt.timedelta(days=3)  # older unsent mail is stale: the inbox has it
OUTBOX_BATCH = 500


def _unsent():
    return (Notification.objects.filter(emailed_at__isnull=True)
            .exclude(Q(recipient__email="") | Q(recipient__email__isnull=True)))


def email_pending(notification_ids: list[int]) -> int:
    """E-mail each notification once, marked sent only after the mail server accepted it.

    Each is sent inside its own transaction that holds the row (``FOR UPDATE SKIP
    LOCKED``): a second worker skips it rather than sending it twice; a crash before the
    commit leaves it unsent for the outbox to send again — at least once, never lost. A
    failure stops the run and is raised (the task retries); those sent stay sent."""
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            notification = (_unsent().select_for_update(skip_locked=True, of=("self",))
                            .select_related("recipient").filter(pk=pk).first())
            if notification is None:
                continue  # sent already, taken by another worker, or no address
            try:
                send_mail(subject=f"【行政执法协调监督平台】{notification.subject}",
                          message=_email_body(notification),
                          from_email=settings.DEFAULT_FROM_EMAIL,
                          recipient_list=[notification.recipient.email])
            except Exception as exc:
                logger.warning("notification %s: e-mail failed: %s", pk, exc)
                raise
            Notification.objects.filter(pk=pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def _email_body(notification: Notification) -> str:
    lines = [f"{notification.recipient.display_name}：", "", notification.subject]
    if notification.body:
        lines += ["", notification.body]
    if notification.url:
        # E-mail is read outside the site: the link must carry the address of the site.
        lines += ["", f"请登录平台查看：{urljoin(settings.SITE_URL, notification.url)}"]
    return "\n".join(lines)
