"""Browser: a user sees the unread badge, opens the inbox, follows a notification's
link to the deadline, and the badge drops (issue 3 item 7)."""
import datetime as dt

import pytest
from django.utils import timezone

from core.testing import justice_bureau
from deadlines import services, sweep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_badge_inbox_link_and_badge_drops(page, browser_login, target, department, officer, jdy):
    now = timezone.now()
    d = services.deadline_open(target=target, rule="rectification", responsible=department,
                               imposed_by=justice_bureau(),
                               start=now - dt.timedelta(days=5), due=now - dt.timedelta(hours=1),
                               actor=jdy)
    sweep.sweep()  # overdue: the officer's unit is told the time is up
    browser_login(officer.username)
    badge = page.locator("#inbox-unread")
    assert badge.inner_text().startswith("1")
    page.click("#nav-inbox")
    page.wait_for_url("**/deadlines/inbox/")
    page.click("text=期限已届满")
    page.wait_for_url(f"**/deadlines/{d.pk}/")
    assert page.locator("h1").inner_text().startswith("监督通知书整改")
    assert "已逾期" in page.locator("h1").inner_text()
    assert page.locator("#inbox-unread").count() == 0


def test_deadline_list_filters_in_the_browser(page, browser_login, target, department, officer):
    now = timezone.now()
    services.deadline_open(target=target, rule="township_transfer", responsible=department,
                           start=now, actor=officer)
    services.deadline_open(target=target, rule="publicity_other", responsible=department,
                           start=now, actor=officer)
    browser_login(officer.username)
    page.click("text=我的时限")
    page.wait_for_url("**/deadlines/")
    assert page.locator("tbody tr").count() == 2
    page.select_option("#id_rule", "publicity_other")
    page.click("button:has-text('筛选')")
    page.wait_for_url("**rule=publicity_other**")
    assert page.locator("tbody tr").count() == 1
    assert "其他执法决定公示" in page.locator("tbody").inner_text()


def test_request_and_approve_an_imposed_extension(page, browser_login, target, department, head, jdy):
    """Issue 15 item 10 in the browser: the unit's head asks the bureau, which approves."""
    now = timezone.now()
    d = services.deadline_open(target=target, rule="rectification", responsible=department,
                               start=now, due=now + dt.timedelta(days=10), actor=jdy,
                               imposed_by=justice_bureau())
    browser_login(head.username)
    page.goto(f"/deadlines/{d.pk}/")
    assert page.locator("text=延长期限").count() == 1  # only 申请延长期限, no direct extension
    page.click("text=申请延长期限")
    later = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    page.fill("#id_new_due", later)
    page.fill("#id_reason", "需调取外省档案")
    page.click("button:has-text('提出申请')")
    page.wait_for_url(f"**/deadlines/{d.pk}/")
    assert "已向北戴河区司法局提出延长申请。" in page.content()
    page.context.clear_cookies()
    browser_login(jdy.username)
    page.goto(f"/deadlines/{d.pk}/")
    page.select_option("#extension-decide select[name=approve]", "1")
    page.click("#extension-decide button[type=submit]")
    page.wait_for_url(f"**/deadlines/{d.pk}/")
    assert "已同意延长。" in page.content()
    assert page.locator("#deadline-due").inner_text().endswith("24时")
