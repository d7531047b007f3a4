"""Issue 18's browser flow for joint meetings: a member unit proposes a temporary meeting
(M1.2), the office accepts, lists the agenda (M1.3), sends the notice, records the meeting
with its minutes, assigns an agreed matter (M1.5); the department reports, the office sends
the report back, the department reports again and the office accepts: the matter closes."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from evidence.tests.factories import PNG
from meetings.models import Meeting, MeetingProposal, Resolution, ResolutionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, browser_login, username: str) -> None:
    page.context.clear_cookies()
    browser_login(username)


def test_m1_meeting_from_proposal_to_a_matter_closed_after_a_sent_back_report(page, browser_login, district):
    body = district.body
    # The department head of a member unit proposes a temporary meeting.
    browser_login("cgfzr1")
    page.goto(body.get_absolute_url())
    page.get_by_role("link", name="提议召开临时会议").click()
    page.fill("#id_subject", "旅游旺季占道经营联合整治")
    page.fill("#id_reason", "旅游旺季临近，海滨路占道经营反弹，涉及城管、市场监管等部门，需临时会议协调。")
    page.get_by_role("button", name="提交提议").click()
    page.wait_for_url(re.compile(r"/meetings/proposals/\d+/$"))
    assert "待执法协调小组办公室" in page.locator("#workflow-actions").inner_text()
    proposal = MeetingProposal.objects.get()

    # The office accepts and sets the meeting up, lists the agenda and sends the notice.
    switch_user(page, browser_login, "xtb1")
    page.goto(proposal.get_absolute_url())
    page.get_by_role("link", name="同意召开临时会议").click()
    starts = timezone.localtime() + dt.timedelta(hours=2)
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "区政府第二会议室")
    page.get_by_role("button", name="同意并安排会议").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get()
    page.select_option("#id_topic", label="开展专项检查")
    page.fill("#id_title", "部署海滨路占道经营联合整治")
    page.get_by_role("button", name="列入议题").click()
    page.locator("#agenda").get_by_text("部署海滨路占道经营联合整治").wait_for()
    page.get_by_role("button", name="发出会议通知").click()
    page.wait_for_selector("#meeting-status:has-text('已通知')")

    # The meeting is held: attendance and minutes.
    page.get_by_role("link", name="登记会议召开情况").click()
    page.fill("#id_held_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    for org in (district.office, district.urban, district.market):
        page.check(f"input[name=attended][value='{org.pk}']")
    page.set_input_files("#id_minutes", files=[{"name": "会议纪要.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("#meeting-status:has-text('已召开')")
    assert page.locator("#minutes-link").inner_text() == "会议纪要.png"

    # The agreed matter, assigned to the urban management bureau.
    page.get_by_role("link", name="登记议定事项").click()
    page.fill("#id_title", "开展海滨路占道经营专项整治")
    page.fill("#id_content", "城管局牵头整治，建立巡查台账，按期反馈。")
    page.check(f"input[name=departments][value='{district.urban.pk}']")
    due = timezone.localdate() + dt.timedelta(days=14)
    page.fill("#id_due_on", due.isoformat())
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/meetings/resolutions/\d+/$"))
    resolution = Resolution.objects.get()
    part = resolution.assignments.get()

    # The department reports; the office sends it back with a reason.
    switch_user(page, browser_login, "cgfzr1")
    page.goto(resolution.get_absolute_url())
    assert f"{due.month}月{due.day}日24时" in page.locator(f"#assignment-{part.pk}").inner_text()
    page.get_by_role("link", name="反馈落实情况").click()
    page.fill("#id_report", "已开展巡查。")
    page.get_by_role("button", name="提交反馈").click()
    page.wait_for_url(re.compile(r"/meetings/resolutions/\d+/"))
    switch_user(page, browser_login, "xtb1")
    page.goto(resolution.get_absolute_url())
    page.fill(f"#reason-{part.pk}", "未附巡查台账，请补充后重新反馈。")
    page.get_by_role("button", name="退回重新落实").click()
    page.get_by_text("已退回 1 次").wait_for()

    # The department reports again with its ledger; the office accepts: the matter closes.
    switch_user(page, browser_login, "cgfzr1")
    page.goto(resolution.get_absolute_url())
    assert "未附巡查台账" in page.locator(f"#assignment-{part.pk}").inner_text()
    page.get_by_role("link", name="反馈落实情况").click()
    page.fill("#id_report", "共巡查 42 次，劝导 63 起，立案 5 起，台账附后。")
    page.set_input_files("#id_file", files=[{"name": "巡查台账.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="提交反馈").click()
    page.wait_for_url(re.compile(r"/meetings/resolutions/\d+/"))
    switch_user(page, browser_login, "xtb1")
    page.goto(resolution.get_absolute_url())
    page.get_by_role("button", name="认可落实情况").click()
    page.wait_for_selector("#resolution-status:has-text('已办结')")
    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.CLOSED
    assert page.get_by_role("link", name="巡查台账.png").is_visible()
    assert meeting.pk == resolution.meeting_id
