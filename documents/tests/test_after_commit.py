"""Issue 16 item 3: with the broker unreachable, issuing a supervision notice commits its
文号 and answers as a success — never 500 "您的操作未完成", which invites a duplicate. The
e-mail it could not queue is sent later by the outbox."""
import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.testing import justice_bureau
from deadlines import tasks
from deadlines.models import Notification
from documents.models import Document

pytestmark = pytest.mark.django_db


def test_a_notice_issued_while_the_broker_is_down_answers_as_issued(
        client, bureau_supervisor, department, department_head, monkeypatch,
        django_capture_on_commit_callbacks):
    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.notifications_email, "delay", unreachable)
    department_head.email = "head@example.cn"
    department_head.save()
    client.force_login(bureau_supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:supervision_notice_new"), {
            "issuer": justice_bureau().pk, "addressee": department.pk, "facts": "执法程序不规范。",
            "legal_basis": "《中华人民共和国行政处罚法》第四十四条。", "rectification": "依法纠正。",
            "deadline": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
            "report_method": "书面报告。"})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    # Not e-mailed yet; the outbox sends it once the broker (here: beat's worker) runs.
    notification = Notification.objects.get(recipient=department_head)
    assert notification.emailed_at is None and mail.outbox == []
    assert tasks.notifications_email_outbox() == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert mail.outbox[0].to == ["head@example.cn"] and document.number in mail.outbox[0].subject
