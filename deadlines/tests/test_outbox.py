"""Issue 16 item 3: e-mail is an outbox — a notification is marked sent only after the mail
server accepted it, and one not yet sent is retried by beat until it is."""
import pytest
from django.conf import settings
from django.core import mail

from deadlines import notifications, services, tasks
from deadlines.models import Notification

pytestmark = pytest.mark.django_db


def test_a_mail_server_failure_leaves_the_notification_unsent_for_the_outbox(
        officer, jdy, monkeypatch):
    [n] = notifications.notification_send(recipients=[officer], subject="整改提醒", actor=jdy)

    def refused(**kwargs):
        raise ConnectionRefusedError("SMTP server refused")

    monkeypatch.setattr(tasks, "send_mail", refused)
    with pytest.raises(ConnectionRefusedError):
        tasks.email_pending([n.pk])
    assert Notification.objects.get(pk=n.pk).emailed_at is None
    monkeypatch.undo()
    assert tasks.notifications_email_outbox() == 1
    assert Notification.objects.get(pk=n.pk).emailed_at is not None
    assert tasks.notifications_email_outbox() == 0  # sent once, never again
    assert len(mail.outbox) == 1


def test_a_crash_while_sending_loses_nothing(officer, jdy, monkeypatch):
    """The mark is written after the server accepted: a worker that dies between
    claiming and sending (here: mid-send) leaves the row unsent, not marked."""
    [n] = notifications.notification_send(recipients=[officer], subject="督办", actor=jdy)

    def killed(**kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(tasks, "send_mail", killed)
    with pytest.raises(SystemExit):
        tasks.email_pending([n.pk])
    assert Notification.objects.get(pk=n.pk).emailed_at is None


def test_beat_runs_the_outbox():
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-email-outbox"]
    assert entry["task"] == tasks.notifications_email_outbox.name


@pytest.mark.django_db(transaction=True)
def test_a_sweep_batch_that_committed_is_never_logged_as_failed(
        target, department, officer, monkeypatch, caplog):
    """The broker is down when the batch's e-mails are queued after its commit: the batch
    stands, is not retried row by row, and its e-mails wait in the outbox."""
    import datetime as dt

    from django.utils import timezone
    from kombu.exceptions import OperationalError

    from deadlines import sweep
    from deadlines.models import Reminder

    def unreachable(*args, **kwargs):
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(tasks.notifications_email, "delay", unreachable)
    now = timezone.now()
    d = services.deadline_open(target=target, rule="assistance_reply", responsible=department,
                               start=now - dt.timedelta(days=3), due=now - dt.timedelta(minutes=1),
                               actor=officer)
    result = sweep.sweep(now=now)
    assert (result.overdue, result.failed) == (1, [])
    assert "batch failed" not in caplog.text
    assert Reminder.objects.filter(deadline=d).count() == 2
    assert Notification.objects.filter(recipient=officer, emailed_at__isnull=True).exists()
