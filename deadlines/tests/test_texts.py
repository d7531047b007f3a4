"""Issue 14 part 5: a due at 24:00 reads "…日24时" everywhere the deadlines app writes it
— 我的时限 and its Excel, the deadline's page, the sweep's notifications and their
e-mail, the iCalendar feed — and what users read has no English, no clause codes and no
raw field or rule names."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core import mail
from openpyxl import load_workbook

from deadlines import calendar, ical, services, sweep
from deadlines.models import Notification
from deadlines.tasks import notifications_email

pytestmark = pytest.mark.django_db
SH = calendar.SHANGHAI
START = dt.datetime(2026, 3, 2, 9, tzinfo=SH)  # township_transfer: due 2026-03-05 24:00
DUE_TEXT = "2026年3月5日24时"
FORBIDDEN = re.compile(r"\bM\d{1,2}(\.\d)?\b|iCalendar|AXES|manage\.py|township_transfer|"
                       r"\b(open|overdue|rule|responsible|due)\b")


def _text(html: str) -> str:
    """What a reader sees: the page without tags, scripts and attribute values."""
    body = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


@pytest.fixture
def deadline(target, department, officer):
    return services.deadline_open(target=target, rule="township_transfer", responsible=department,
                                  start=START, actor=officer)


def test_pages_read_24_hours_and_no_english(client, deadline, officer):
    client.force_login(officer)
    for url in ("/deadlines/", f"/deadlines/{deadline.pk}/", "/deadlines/inbox/"):
        text = _text(client.get(url).content.decode())
        assert not FORBIDDEN.search(text), (url, FORBIDDEN.search(text))
    assert DUE_TEXT in _text(client.get("/deadlines/").content.decode())
    assert "日历订阅地址" in client.get("/deadlines/").content.decode()
    response = client.get("/deadlines/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = list(sheet.iter_rows(values_only=True))[:2]
    assert header[5] == "届满时间" and row[5] == DUE_TEXT and row[1] == "乡镇与区直部门案件移送"


def test_notifications_email_and_calendar_read_24_hours(deadline, officer, jdy, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(dt.datetime(2026, 3, 6, 0, 1, tzinfo=SH)):
        sweep.sweep()
    notices = Notification.objects.filter(target_id=str(deadline.pk))
    assert notices.count() >= 2  # the unit's 到期 and the bureau's 逾期督办
    assert all(DUE_TEXT in n.body and "00:00" not in n.body for n in notices)
    notifications_email.run([n.pk for n in notices])
    assert mail.outbox and all(DUE_TEXT in m.body for m in mail.outbox)
    feed = ical.render([deadline], "testserver")
    assert "届满：" + DUE_TEXT in feed.replace("\r\n ", "")
