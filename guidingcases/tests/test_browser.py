"""Issue 21's browser flow for guiding cases: a department nominates a closed case
(M11.2), the bureau invites an expert (M11.5), the expert gives his opinion, the bureau
approves, the government publishes (M11.3) and the case is on the public portal without
the party's name or ID number."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from guidingcases.models import GuidingCase

from .conftest import ID_NUMBER, NAME, TEXTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, browser_login, username: str) -> None:
    page.context.clear_cookies()
    browser_login(username)


def test_m11_from_nomination_through_expert_opinion_to_the_public_portal(page, browser_login, district):
    case = district.closed_case()
    browser_login("scjfz")
    page.goto("/guiding-cases/")
    page.get_by_role("link", name="报送指导案例").click()
    page.select_option("#id_case", str(case.pk))
    page.check("input[name=reasons][value=reason_concern]")
    for name in ("title", "facts", "handling", "significance"):
        page.fill(f"#id_{name}", TEXTS[name])
    page.get_by_role("button", name="报送").click()
    page.wait_for_url(re.compile(r"/guiding-cases/\d+/$"))
    assert NAME not in page.locator("#case-text").inner_text()
    gc = GuidingCase.objects.get()

    switch_user(page, browser_login, "jdy1")
    page.goto(gc.get_absolute_url())
    page.get_by_role("link", name="邀请专家论证").click()
    page.check(f"input[name=experts][value='{district.expert.pk}']")
    due = timezone.localdate() + dt.timedelta(days=5)
    page.fill("#id_due_on", due.isoformat())
    page.get_by_role("button", name="发出邀请").click()
    page.wait_for_selector("#guiding-status:has-text('专家论证中')")
    assert f"{due.month}月{due.day}日24时" in page.locator("#opinions").inner_text()

    switch_user(page, browser_login, "zj1")
    page.goto(gc.get_absolute_url())
    page.get_by_role("link", name="提交论证意见").click()
    page.check("input[name=conclusion][value=agree]")
    page.fill("#id_opinion", "案情清楚，定性准确，同意作为指导案例。")
    page.get_by_role("button", name="提交意见").click()
    page.wait_for_selector("#opinions:has-text('同意作为指导案例')")

    switch_user(page, browser_login, "jdy1")
    page.goto(gc.get_absolute_url())
    page.get_by_role("button", name="审查通过").click()
    page.wait_for_selector("#guiding-status:has-text('审查通过待发布')")

    switch_user(page, browser_login, "zf1")
    page.goto(gc.get_absolute_url())
    page.get_by_role("link", name="发布指导案例").click()
    page.check("#id_in_gazette")
    page.check("#id_in_compilation")
    page.get_by_role("button", name="发布").click()
    page.wait_for_selector("#guiding-status:has-text('已发布')")
    assert "政府公报、案例汇编" in page.locator("#channels").inner_text()

    page.context.clear_cookies()
    page.goto("/public/")
    page.get_by_role("link", name="行政执法指导案例").first.click()
    page.get_by_role("link", name=re.compile("王某小吃店")).click()
    text = page.locator("#public-case").inner_text()
    assert "王某" in text and NAME not in text and ID_NUMBER not in text
