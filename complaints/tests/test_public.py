"""The public portal's complaint pages (issue 17 item 6): no sign-in, the channels, the
online form (attachments, the server-drawn captcha, the limit per address, CSRF, Chinese
answers to bad input) answering with a 查询码, and the status page showing only the
status and the reply for that code and phone."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import AnswerMethod, Complaint, ComplaintStatus as S
from complaints.public import CAPTCHA_KEY, captcha_png

from .conftest import COMPLAINANT, PHONE, PNG

pytestmark = pytest.mark.django_db
NEW = "/public/complaints/new/"
TRACK = "/public/complaints/track/"


def text(response) -> str:
    return response.content.decode()


def captcha(client) -> str:
    """Draw a captcha as the page's image does, and read the code the session keeps."""
    response = client.get(reverse("complaints_public:captcha"))
    assert response["Content-Type"] == "image/png" and response.content.startswith(b"\x89PNG")
    return client.session[CAPTCHA_KEY]


def form(district, **extra) -> dict:
    return {"unit": district.market.pk, "kind": "complaint", "matter": "网购海鲜礼盒缺斤短两，商家拒绝处理。",
            "complainant_name": COMPLAINANT, "complainant_phone": PHONE, "confidential": "on", **extra}


def test_m3_1_the_portal_lists_every_units_channels_without_sign_in(district, client):
    services.channel_save(actor=district.head, organization=district.market, handling_office="法制科",
                          phone="0335-4041234", hours="工作日 8:30—17:30")
    page = text(client.get(reverse("complaints_public:channels")))
    assert "北戴河区市场监督管理局" in page and "0335-4041234" in page and "portal.css" in page
    assert "没有找到" in text(client.get(reverse("complaints_public:channels"), {"q": "水务"}))
    home = text(client.get("/public/"))
    for url in (reverse("complaints_public:channels"), NEW, TRACK):
        assert f'href="{url}"' in home


def test_m3_online_form_answers_with_a_tracking_code(district, client):
    code = captcha(client)
    response = client.post(NEW, form(district, captcha=code.lower(),
                                     files=[SimpleUploadedFile("现场照片.png", PNG, "image/png")]))
    complaint = Complaint.objects.get()
    assert response.status_code == 200 and complaint.tracking_code in text(response)
    assert complaint.channel == "portal" and complaint.confidential and complaint.files.count() == 1
    assert complaint.unit == district.market


def test_m3_online_form_refuses_in_chinese_and_keeps_what_was_typed(district, client):
    captcha(client)
    wrong = client.post(NEW, form(district, captcha="XXXXX"))
    assert wrong.status_code == 400 and "验证码不正确" in text(wrong) and "网购海鲜礼盒" in text(wrong)
    # One try per drawn code: the right code after a wrong one is no longer good.
    assert "验证码不正确" in text(client.post(NEW, form(district, captcha="XXXXX")))
    code = captcha(client)
    missing = client.post(NEW, {**form(district, captcha=code), "complainant_phone": "", "matter": "短"})
    body = text(missing)
    assert "请填写联系电话" in body and "至少写10个字" in body
    assert Complaint.objects.count() == 0
    anonymous = client.post(NEW, {**form(district, captcha=captcha(client)), "complainant_name": "",
                                  "anonymous": "on"})
    assert anonymous.status_code == 200 and Complaint.objects.get().anonymous


def test_m3_online_form_is_limited_per_client_address(district, client, settings):
    settings.PUBLIC_COMPLAINTS_PER_HOUR = 2
    for _ in range(2):
        client.post(NEW, form(district, captcha=captcha(client)), REMOTE_ADDR="10.1.1.1")
    refused = client.post(NEW, form(district, captcha=captcha(client)), REMOTE_ADDR="10.1.1.1")
    assert refused.status_code == 429 and "过于频繁" in text(refused)
    other = client.post(NEW, form(district, captcha=captcha(client)), REMOTE_ADDR="10.1.1.2")
    assert other.status_code == 200 and Complaint.objects.count() == 3


def test_m3_public_forms_are_csrf_protected_and_say_so_in_chinese(district):
    client = Client(enforce_csrf_checks=True)
    for url in (NEW, TRACK):
        refused = client.post(url, {"code": "1", "phone": "2"})
        assert refused.status_code == 403 and "页面已过期" in text(refused)
    assert 'name="csrfmiddlewaretoken"' in text(client.get(NEW))


def test_m3_captcha_is_an_image_this_server_draws():
    image = captcha_png("AB3CD")
    assert image.startswith(b"\x89PNG") and len(image) > 500
    assert captcha_png("AB3CD") != image  # drawn afresh each time


def test_m3_track_shows_the_status_and_the_reply_for_the_code_and_phone_only(district, client):
    complaint = services.complaint_submit_public(
        unit=district.market, kind="complaint", complainant_name=COMPLAINANT, complainant_phone="139-1234-5678",
        matter="网购海鲜礼盒缺斤短两，商家拒绝处理。")
    code = complaint.tracking_code
    wrong = client.post(TRACK, {"code": code, "phone": "13900000000"})
    assert wrong.status_code == 400 and "查询码或联系电话不正确" in text(wrong)
    assert "12位数字" in text(client.post(TRACK, {"code": "abc", "phone": PHONE}))
    shown = text(client.post(TRACK, {"code": code, "phone": PHONE}))
    assert "已收到，待决定是否受理" in shown
    for step, note in ((S.ACCEPTED, ""), (S.INVESTIGATING, ""), (S.CONCLUDED, "已责令商家退款。")):
        services.complaint_transition(actor=district.officer, complaint=complaint, target=step, note=note)
    services.complaint_answer(actor=district.officer, complaint=complaint, method=AnswerMethod.PORTAL,
                              answered_at=timezone.now(), answer="商家已退款并赔偿。")
    shown = text(client.post(TRACK, {"code": f" {code} ", "phone": PHONE}))
    assert "已答复" in shown and "商家已退款并赔偿。" in shown
    # Nothing else: not the matter, the name, the ledger number, the unit's staff or result.
    for private in ("网购海鲜", COMPLAINANT, complaint.number, "市监执法员", "已责令商家退款"):
        assert private not in shown, private


def test_m15_2_track_follows_a_transfer_to_the_unit_that_handles_it(district, client):
    complaint = services.complaint_submit_public(
        unit=district.urban, kind="complaint", complainant_name=COMPLAINANT, complainant_phone=PHONE,
        matter="海滨镇某村民私搭乱建彩钢房。")
    services.complaint_transfer(actor=district.urban_officer, complaint=complaint, to=district.township,
                                told_at=timezone.now())
    shown = text(client.post(TRACK, {"code": complaint.tracking_code, "phone": PHONE}))
    assert f"已转{district.township.name}办理" in shown and "已收到，待决定是否受理" in shown


def test_m3_track_is_limited_per_client_address(district, client, settings):
    settings.PUBLIC_TRACKS_PER_HOUR = 3
    for _ in range(3):
        client.post(TRACK, {"code": "123456789012", "phone": PHONE})
    assert client.post(TRACK, {"code": "123456789012", "phone": PHONE}).status_code == 429
