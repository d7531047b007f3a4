"""Issue 17's browser flow: a member of the public complains through the portal's form
(captcha, a photo) and gets a 查询码; the unit accepts, investigates, concludes and
records its answer; the public status page shows the answer for that code and phone."""
from __future__ import annotations

import re

import pytest
from django.contrib.sessions.backends.db import SessionStore

from complaints.models import Complaint
from complaints.public import CAPTCHA_KEY

from .conftest import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _captcha(page) -> str:
    """The code the server drew for this browser's session (read where the server keeps it)."""
    page.wait_for_function("document.getElementById('captcha-image').complete")
    session = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    return SessionStore(session_key=session)[CAPTCHA_KEY]


def test_m3_public_complaint_to_tracking_code_answered_by_the_unit(page, browser_login, district):
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto("/public/")
    page.get_by_role("link", name="在线投诉").first.click()
    page.select_option("#id_unit", label="北戴河区市场监督管理局")
    page.fill("#id_matter", "网购的海鲜礼盒缺斤短两，商家拒绝退款。")
    page.fill("#id_complainant_name", "岳明远")
    page.fill("#id_complainant_phone", "13912345678")
    page.set_input_files("#id_files", files=[{"name": "照片.png", "mimeType": "image/png", "buffer": PNG}])
    page.fill("#id_captcha", "WRONG")
    page.get_by_role("button", name="提交").click()
    page.get_by_text("验证码不正确").wait_for()
    assert page.input_value("#id_matter") == "网购的海鲜礼盒缺斤短两，商家拒绝退款。"
    page.set_input_files("#id_files", files=[{"name": "照片.png", "mimeType": "image/png", "buffer": PNG}])
    page.fill("#id_captcha", _captcha(page))
    page.get_by_role("button", name="提交").click()
    code = page.inner_text("#tracking-code").strip()
    complaint = Complaint.objects.get()
    assert code == complaint.tracking_code and complaint.files.count() == 1

    # The unit accepts, investigates, concludes and records its answer.
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login("scj1")
    page.goto("/complaints/")
    page.get_by_role("link", name=complaint.number).click()
    page.wait_for_url(re.compile(r"/complaints/\d+/$"))
    page.get_by_role("button", name="受理", exact=True).click()
    page.wait_for_selector("#complaint-status:has-text('已受理')")
    page.get_by_role("button", name="开始调查处理").click()
    page.wait_for_selector("#complaint-status:has-text('调查处理中')")
    page.fill("#note-concluded", "经查属实，已责令商家退款。")
    page.get_by_role("button", name="办结", exact=True).click()
    page.wait_for_selector("#complaint-status:has-text('已办结')")
    page.get_by_role("link", name="记录答复情况").click()
    page.select_option("#id_method", label="网上答复")
    page.fill("#id_answer", "商家已退还货款并赔偿。")
    page.get_by_role("button", name="保存答复").click()
    page.wait_for_selector("#complaint-status:has-text('已答复')")

    # The public status page shows the answer for that code and phone.
    page.context.clear_cookies()
    page.goto("/public/complaints/track/")
    page.fill("#id_code", code)
    page.fill("#id_phone", "13912345678")
    page.get_by_role("button", name="查询").click()
    assert "已答复" in page.inner_text("#track-status")
    assert page.inner_text("#track-reply") == "商家已退还货款并赔偿。"
