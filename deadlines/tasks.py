"""Thin Celery tasks: the sweep, the recurring duties, and notification e-mail."""
from __future__ import annotations

import logging
from urllib.parse import urljoin

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from . import services, sweep as sweep_module
from .models import Notification

logger = logging.getLogger(__name__)


@shared_task(name="deadlines.tasks.sweep")
def sweep() -> dict:
    result = sweep_module.sweep()
    return {"warned": result.warned, "overdue": result.overdue, "reminders": result.reminders,
            "failed": len(result.failed)}


@shared_task(name="deadlines.tasks.recurring_open")
def recurring_open() -> int:
    return len(services.deadlines_open_recurring())


@shared_task(name="deadlines.tasks.notifications_email", bind=True, max_retries=5,
             default_retry_delay=60)
def notifications_email(self, notification_ids: list[int]) -> int:
    """E-mail each notification once. A notification is claimed (emailed_at set) before
    the mail goes out and released if sending fails, so a retry neither skips nor repeats
    one that was delivered."""
    sent = 0
    pending = (Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
               .exclude(Q(recipient__email="") | Q(recipient__email__isnull=True))
               .select_related("recipient"))
    for notification in pending:
        now = timezone.now()
        if not Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
                emailed_at=now):
            continue
        try:
            send_mail(subject=f"【行政执法协调监督平台】{notification.subject}",
                      message=_email_body(notification),
                      from_email=settings.DEFAULT_FROM_EMAIL,
                      recipient_list=[notification.recipient.email])
            sent += 1
        except Exception as exc:
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            logger.warning("notification %s: e-mail failed: %s", notification.pk, exc)
            raise self.retry(exc=exc)
    return sent


def _email_body(notification: Notification) -> str:
    lines = [f"{notification.recipient.display_name}：", "", notification.subject]
    if notification.body:
        lines += ["", notification.body]
    if notification.url:
        # E-mail is read outside the site: the link must carry the address of the site.
        lines += ["", f"请登录平台查看：{urljoin(settings.SITE_URL, notification.url)}"]
    return "\n".join(lines)
