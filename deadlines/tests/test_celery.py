"""Through a real Celery worker on Redis: the beat-scheduled sweep runs and its
notifications are e-mailed after commit (issue 3 items 5 and 7)."""
import datetime as dt
import time

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from beidaihe_supervision.celery import app
from core.testing import justice_bureau
from deadlines import notifications, services
from deadlines.models import DeadlineState, Reminder

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def wait_for(condition, timeout: float = 30) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_beat_scheduled_sweep_runs_on_a_real_worker_and_mails_after_commit(
        celery_worker_real, target, department, officer, jdy):
    entry = settings.CELERY_BEAT_SCHEDULE["deadlines-sweep"]
    assert entry["schedule"] == dt.timedelta(minutes=1)
    now = timezone.now()
    d = services.deadline_open(target=target, rule="rectification", responsible=department,
                               imposed_by=justice_bureau(),
                               start=now - dt.timedelta(days=3), due=now - dt.timedelta(minutes=1),
                               actor=jdy)
    app.send_task(entry["task"])
    assert wait_for(lambda: Reminder.objects.filter(deadline=d).count() == 2)
    d.refresh_from_db()
    assert d.state == DeadlineState.OVERDUE
    # The e-mails are sent by a second task, queued when the sweep's batch committed.
    assert wait_for(lambda: {m.to[0] for m in mail.outbox} >= {"officer@example.cn",
                                                               "jdy@example.cn"})
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "期限已届满" in subjects["officer@example.cn"]
    assert "逾期督办" in subjects["jdy@example.cn"]
    sent = len(mail.outbox)
    app.send_task(entry["task"])  # a second tick: nothing new, nothing re-sent
    time.sleep(2)
    assert len(mail.outbox) == sent and Reminder.objects.filter(deadline=d).count() == 2


def test_notification_rolled_back_with_its_cause_is_never_mailed(celery_worker_real, officer,
                                                                 jdy):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        notifications.notification_send(recipients=[officer], subject="回滚的消息", actor=jdy)
        raise RuntimeError("cause failed")
    notifications.notification_send(recipients=[officer], subject="提交的消息", actor=jdy)
    assert wait_for(lambda: len(mail.outbox) >= 1)
    time.sleep(1)
    assert [m.subject for m in mail.outbox] == ["【行政执法协调监督平台】提交的消息"]


@pytest.mark.django_db
def test_emailed_link_carries_the_site_address(officer, jdy, settings, django_capture_on_commit_callbacks):
    """Mail is read outside the platform: its link is absolute (SITE_URL + the object's path)."""
    from deadlines.tasks import notifications_email

    settings.SITE_URL = "https://jdxt.beidaihe.gov.cn"
    with django_capture_on_commit_callbacks(execute=False):
        [notification] = notifications.notification_send(recipients=[officer], subject="请补正材料",
                                                    url="/cases/7/", actor=jdy)
    mail.outbox.clear()
    assert notifications_email.apply(args=[[notification.pk]]).get() == 1
    assert "请登录平台查看：https://jdxt.beidaihe.gov.cn/cases/7/" in mail.outbox[0].body
