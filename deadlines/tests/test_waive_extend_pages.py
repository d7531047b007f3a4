"""The pages on which a deadline is waived (豁免) or extended (延长) with a reason: buttons
only for those the services accept, Chinese validation, a success message and the audit
record on the deadline's page."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from core.models import Role
from core.testing import OrganizationFactory, member
from deadlines import calendar, services, sweep
from deadlines.models import Deadline, DeadlineState

pytestmark = pytest.mark.django_db
SH = calendar.SHANGHAI
START = dt.datetime(2026, 3, 2, 9, tzinfo=SH)  # township_transfer: due 2026-03-05 24:00
TODAY = dt.datetime(2026, 3, 3, 10, tzinfo=SH)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def deadline(target, department, officer):
    return services.deadline_open(target=target, rule="township_transfer",
                                  responsible=department, start=START, actor=officer)


def _page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_buttons_show_only_for_those_the_services_accept(client, deadline, officer, head, jdy):
    detail = f"/deadlines/{deadline.pk}/"
    page = _page(client, jdy, detail).content.decode()
    assert f'href="/deadlines/{deadline.pk}/extend/"' in page
    assert f'href="/deadlines/{deadline.pk}/waive/"' in page
    page = _page(client, head, detail).content.decode()  # the unit's head approves extensions
    assert "延长期限</a>" in page and "豁免期限</a>" not in page
    page = _page(client, officer, detail).content.decode()
    assert "延长期限</a>" not in page and "豁免期限</a>" not in page
    # Overdue: it can still be waived, no longer extended.
    sweep.sweep(now=dt.datetime(2026, 3, 6, 0, 1, tzinfo=SH))
    page = _page(client, jdy, detail).content.decode()
    assert "豁免期限</a>" in page and "延长期限</a>" not in page


def test_those_without_the_capability_are_refused(client, deadline, officer, head):
    for url in (f"/deadlines/{deadline.pk}/waive/", f"/deadlines/{deadline.pk}/extend/"):
        assert _page(client, officer, url).status_code == 403
        client.post(url, {"reason": "不需要", "new_due": "2026-03-20"})
    assert _page(client, head, f"/deadlines/{deadline.pk}/waive/").status_code == 403
    # The head of another unit does not even see the deadline.
    other_head = member(Role.DEPARTMENT_HEAD, OrganizationFactory())
    assert _page(client, other_head, f"/deadlines/{deadline.pk}/extend/").status_code == 404
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.OPEN and deadline.due == calendar.end_of_day(
        dt.date(2026, 3, 5))


def test_waive_needs_a_reason_then_shows_the_message_and_the_audit(client, deadline, jdy):
    url = f"/deadlines/{deadline.pk}/waive/"
    client.force_login(jdy)
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200 and "请填写豁免原因。" in response.content.decode()
    assert Deadline.objects.get(pk=deadline.pk).state == DeadlineState.OPEN
    response = client.post(url, {"reason": "案件已由上级机关直接办理"}, follow=True)
    assert response.redirect_chain == [(f"/deadlines/{deadline.pk}/", 302)]
    page = response.content.decode()
    assert "期限已豁免。" in page
    timeline = page[page.index('id="timeline"'):]
    assert "豁免期限" in timeline and "案件已由上级机关直接办理" in timeline  # the audit record
    assert Deadline.objects.get(pk=deadline.pk).state == DeadlineState.WAIVED
    # Waived once: the page now says why it cannot be waived again.
    response = client.get(url)
    assert response.status_code == 403 and "仅区司法局可豁免未完成的期限" in response.content.decode()


def test_extend_needs_a_later_date_and_a_reason(client, deadline, head):
    url = f"/deadlines/{deadline.pk}/extend/"
    client.force_login(head)
    page = client.post(url, {"new_due": "2026-03-05", "reason": "案情复杂"}).content.decode()
    assert "延长后的届满时间须晚于原届满时间（2026年3月5日24时）。" in page
    page = client.post(url, {"new_due": "", "reason": ""}).content.decode()
    assert "请选择延长后的届满日期。" in page and "请填写延长原因。" in page
    # The calendar's end (24:00 of 9999-12-31 is no date) is a message, not a server error.
    page = client.post(url, {"new_due": "9999-12-31", "reason": "案情复杂"}).content.decode()
    assert "延长后的届满日期须在2000年至2999年之间，请核对日期。" in page
    assert Deadline.objects.get(pk=deadline.pk).due == calendar.end_of_day(dt.date(2026, 3, 5))
    response = client.post(url, {"new_due": "2026-03-12", "reason": "需补充鉴定"}, follow=True)
    assert response.redirect_chain == [(f"/deadlines/{deadline.pk}/", 302)]
    page = response.content.decode()
    assert "期限已延长至2026年3月12日24时。" in page
    timeline = page[page.index('id="timeline"'):]
    assert "延长期限" in timeline and "需补充鉴定" in timeline  # the audit record
    deadline.refresh_from_db()
    assert deadline.due == calendar.end_of_day(dt.date(2026, 3, 12))
    assert deadline.state == DeadlineState.OPEN


def test_the_justice_bureau_extends_too_but_not_an_overdue_deadline(client, deadline, jdy):
    url = f"/deadlines/{deadline.pk}/extend/"
    client.force_login(jdy)
    assert client.get(url).status_code == 200
    sweep.sweep(now=dt.datetime(2026, 3, 6, 0, 1, tzinfo=SH))
    response = client.post(url, {"new_due": "2026-03-20", "reason": "补办"})
    assert response.status_code == 403 and "延长进行中的期限" in response.content.decode()
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.OVERDUE
    assert deadline.due == calendar.end_of_day(dt.date(2026, 3, 5))
