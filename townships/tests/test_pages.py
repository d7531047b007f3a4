"""The township pages (M15): every POST of the app, accepted and refused; the scope,
filters and Excel export of every list."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import Role
from core.testing import OrganizationFactory, member, supervisor
from townships.models import (
    Consultation,
    Dissuasion,
    InfoNotice,
)
from transfers.models import Transfer


pytestmark = pytest.mark.django_db


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def page_text(response) -> str:
    return response.content.decode()


def post_follow(client, url, data):
    return page_text(client.post(url, data, follow=True))


# --- forms ----------------------------------------------------------------------------------
def test_m15_1_transfer_form_refused_keeps_what_was_typed(world, client):
    client.force_login(world.town_head)
    response = client.post(reverse("townships:transfer_new"), {
        "sender": world.township.pk, "receiver": world.department.pk, "subject": "占道堆物",
        "discovered_at": local(timezone.now() + dt.timedelta(days=1)), "basic_facts": "堆放建材",
        "reason": "属住建部门管辖"})
    assert response.status_code == 200
    assert "发现时间不能晚于现在。" in page_text(response) and "堆放建材" in page_text(response)
    assert not Transfer.objects.filter(subject="占道堆物").exists()


def test_m15_1_transfer_form_offers_only_the_units_names_and_refuses_others(world, client):
    unit_head = member(Role.DEPARTMENT_HEAD, OrganizationFactory(
        kind="internal_unit", name="海滨镇综合执法队", parent=world.township))
    client.force_login(unit_head)
    assert client.get(reverse("townships:transfer_new")).status_code == 403
    client.force_login(world.town_head)
    body = page_text(client.get(reverse("townships:transfer_new")))
    assert "海滨镇人民政府" in body and "综合执法队" not in body.split('id="id_sender"')[1].split("</select>")[0]


def test_m15_1_dissuasion_form_tells_the_competent_department(world, client):
    client.force_login(world.town_officer)
    response = client.post(reverse("townships:dissuasion_new"), {
        "township": world.township.pk, "competent": world.department.pk, "location": "联峰路",
        "violation": "占道经营", "measures": "当场劝离", "dissuaded_at": local(timezone.now())})
    record = Dissuasion.objects.get(location="联峰路")
    assert response["Location"] == record.get_absolute_url()
    refused = client.post(reverse("townships:dissuasion_new"), {
        "township": world.township.pk, "competent": world.department.pk, "location": "西山路",
        "violation": "占道经营", "measures": "当场劝离",
        "dissuaded_at": local(timezone.now() + dt.timedelta(hours=2))})
    assert "劝阻时间不能晚于现在。" in page_text(refused)
    assert not Dissuasion.objects.filter(location="西山路").exists()






def test_m15_4_consultation_form_needs_a_case_for_joint_handling(world, client):
    client.force_login(world.town_head)
    data = {"initiator": world.township.pk, "kind": "joint_handling", "topic": "major_case",
            "participants": [world.department.pk], "subject": "联合拆违", "content": "重大违建",
            "meeting_at": local(timezone.now())}
    assert "联合处置须选择涉及的案件。" in page_text(client.post(reverse("townships:consultation_new"), data))
    client.post(reverse("townships:consultation_new"), {**data, "kind": "consultation", "topic": "hard"})
    assert Consultation.objects.filter(subject="联合拆违", kind="consultation").exists()


def test_m15_3_info_notice_form_needs_a_recipient_other_than_the_sender(world, client):
    client.force_login(world.town_head)
    data = {"sender": world.township.pk, "recipients": [world.township.pk], "title": "周报",
            "body": "本周情况"}
    assert "请选择接收单位。" in page_text(client.post(reverse("townships:info_notice_new"), data))
    client.post(reverse("townships:info_notice_new"), {**data, "recipients": [world.department.pk]})
    assert InfoNotice.objects.filter(title="周报").exists()


def test_a_text_longer_than_its_field_is_refused(world, client):
    client.force_login(world.town_head)
    response = client.post(reverse("townships:info_notice_new"), {
        "sender": world.township.pk, "recipients": [world.department.pk], "title": "长文",
        "body": "字" * 10_001})
    assert "不超过 10000 字符" in page_text(response)
    assert not InfoNotice.objects.filter(title="长文").exists()


# --- steps on a record's page ---------------------------------------------------------------




def test_m15_4_conclude_once_by_the_initiator(world, client):
    url = reverse("townships:consultation_conclude", args=[world.consultation.pk])
    client.force_login(world.dept_officer)
    assert client.post(url, {"conclusion": "x"}).status_code == 403
    client.force_login(world.town_head)
    assert "请填写会商意见或处置结果。" in post_follow(client, url, {"conclusion": ""})
    assert "已办结" in post_follow(client, url, {"conclusion": "分片包干，联合巡查"})
    assert "该事项已办结。" in post_follow(client, url, {"conclusion": "再来一次"})
    world.consultation.refresh_from_db()
    assert world.consultation.conclusion == "分片包干，联合巡查"


# --- lists: scope, filters, export ----------------------------------------------------------
LISTS = ["townships:home", "townships:dissuasions", "townships:consultations", "townships:info_notices"]
SHOWN = {"townships:home": "违规搭建彩钢房", "townships:dissuasions": "海滨路 12 号",
         "townships:consultations": "旺季违建治理", "townships:info_notices": "旺季执法信息"}


@pytest.mark.parametrize("name", LISTS)
def test_each_list_shows_its_parties_and_the_bureau_what_they_are_party_to(world, client, name):
    """A user sees what their organisation is a party to; the justice bureau sees all."""
    url, shown = reverse(name), SHOWN[name]
    # The receiver sees a transfer once it is sent (transfers' scope); the fixture's is a draft.
    parties = (world.town_officer, supervisor()) if name == "townships:home" else (
        world.town_officer, world.dept_officer, supervisor())
    for user in parties:
        client.force_login(user)
        assert shown in page_text(client.get(url)), (name, user)
    client.force_login(world.stranger)
    assert shown not in page_text(client.get(url))


@pytest.mark.parametrize("name", LISTS)
def test_each_list_exports_what_it_shows_and_nothing_for_an_unreadable_filter(world, client, name):
    client.force_login(world.town_officer)
    body = page_text(client.get(reverse(name)))
    assert 'id="export-xlsx"' in body
    rows = list(load_workbook(io.BytesIO(b"".join(client.get(
        reverse(name), {"export": "xlsx"}).streaming_content))).active.values)
    assert len(rows) == 2 and rows[1][0] == SHOWN[name]
    assert all(cell is None or isinstance(cell, str) for cell in rows[1])  # text stays text
    unreadable = client.get(reverse(name), {"since": "not-a-date"})
    assert 'id="filter-unreadable"' in page_text(unreadable) and SHOWN[name] not in page_text(unreadable)
    rows = list(load_workbook(io.BytesIO(b"".join(client.get(
        reverse(name), {"since": "not-a-date", "export": "xlsx"}).streaming_content))).active.values)
    assert len(rows) == 1


def test_the_keyword_finds_a_record_by_its_text(world, client):
    client.force_login(world.town_officer)
    assert "海滨路 12 号" in page_text(client.get(reverse("townships:dissuasions"), {"q": "施工"}))
    assert "海滨路 12 号" not in page_text(client.get(reverse("townships:dissuasions"), {"q": "摆摊"}))
    assert "违规搭建彩钢房" in page_text(client.get(reverse("townships:home"), {"direction": "sent"}))
    assert "违规搭建彩钢房" not in page_text(client.get(reverse("townships:home"), {"direction": "received"}))


def test_the_home_page_links_to_every_section(world, client):
    client.force_login(world.town_officer)
    body = page_text(client.get(reverse("townships:home")))
    for name in LISTS[1:]:
        assert f'href="{reverse(name)}"' in body


def test_a_record_page_names_the_units_taking_part(world, client):
    client.force_login(world.dept_officer)
    for record, label in ((world.consultation, "参加单位"), (world.notice, "接收单位")):
        body = page_text(client.get(record.get_absolute_url()))
        assert label in body and "北戴河区住房和城乡建设局" in body.split(label, 1)[1]


def test_m15_1_the_api_makes_a_township_transfer_as_the_form_does(world):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.town_head)
    body = {"sender": world.township.pk, "receiver": world.department.pk, "subject": "接口移送",
            "reason": "属住建部门管辖", "basic_facts": "屋顶违建。",
            "discovered_at": timezone.now().isoformat()}
    created = api.post("/api/v1/townships/", body, format="json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    assert Transfer.objects.get(subject="接口移送").kind == "township"
    api.force_authenticate(world.dept_officer)  # not the township's: refused, nothing made
    refused = api.post("/api/v1/townships/", {**body, "subject": "冒名移送"}, format="json")
    assert refused.status_code == 403 and not Transfer.objects.filter(subject="冒名移送").exists()
