"""W1 in the browser: a department head registers a training session, adds his officers
from the list and one more from an Excel sheet, removes one, and the year's hours page shows
each officer's hours and what is still short."""
from __future__ import annotations

import pytest
from django.utils import timezone

from training.models import Attendance, TrainingSession
from training.tests.test_training import sheet, town  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_w1_session_registered_attendees_added_imported_removed_and_hours_counted(page, browser_login, town):  # noqa: F811
    browser_login("scjfzr")
    page.goto("/training/new/")
    page.select_option("#id_topic", value="three_systems")
    page.fill("#id_title", "行政执法三项制度专题培训")
    page.fill("#id_held_on", timezone.localdate().isoformat())
    page.fill("#id_hours", "8")
    page.fill("#id_trainer", "区司法局法治督察科")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("培训已登记，请添加参训人员。").wait_for()
    session = TrainingSession.objects.get()
    assert "尚未登记参训人员" in page.locator("#attendees").inner_text()

    page.get_by_role("link", name="添加参训人员").click()
    page.select_option("#id_attendees", label="执法员甲（scj1）")
    page.get_by_role("button", name="添加").click()
    page.get_by_text("已添加参训人员 1 人。").wait_for()

    page.get_by_role("link", name="从 Excel 导入").click()
    page.set_input_files("#id_file", files=[{
        "name": "参训名单.xlsx", "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": sheet(("执法员乙", "scj2", "")).getvalue()}])
    page.get_by_role("button", name="导入").click()
    page.get_by_text("已导入参训人员 1 人。").wait_for()
    attendees = page.locator("#attendees").inner_text()
    assert "执法员甲" in attendees and "执法员乙" in attendees and "13030000001" in attendees

    page.locator("#attendees tr", has_text="执法员乙").get_by_role("button", name="删除").click()
    page.get_by_text("已删除该参训人员。").wait_for()
    assert "执法员乙" not in page.locator("#attendees").inner_text()
    assert list(Attendance.objects.filter(session=session).values_list("person__username", flat=True)) == ["scj1"]

    page.goto("/training/hours/")
    row = page.locator("#list-table tr", has_text="执法员甲").inner_text()
    assert "8" in row and "已达标" not in row  # 8 of the year's target: still short
    assert "已达标" not in page.locator("#list-table tr", has_text="执法员乙").inner_text()
