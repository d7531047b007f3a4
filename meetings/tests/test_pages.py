"""The joint-meeting pages, their POST actions (each done and refused), lists with filters
and Excel export, the API's scopes and the dashboard panel."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from core.models import Role
from core.testing import member, supervisor
from deadlines.models import Deadline
from evidence.tests.factories import PNG
from meetings import services
from meetings.models import (AssignmentStatus, Liaison, Meeting, MeetingProposal, MeetingStatus,
                             ProposalStatus, ResolutionStatus, Topic)

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _future(days=3) -> str:
    return (timezone.localtime() + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_body_page_shows_members_without_a_liaison_m1_4(client, district):
    services.liaison_name(actor=district.market_liaison, body=district.body, unit=district.market,
                          person=district.market_liaison, post="法制科科长")
    client.force_login(district.convener)
    body = _text(client.get(district.body.get_absolute_url()))
    assert 'id="missing-liaisons"' in body and "区城市管理综合行政执法局" in body
    assert "市监联络员" in body and "法制科科长" in body
    assert "安排会议" in body and "提议召开临时会议" not in body


def test_naming_a_liaison_through_the_form(client, district):
    client.force_login(district.market_liaison)
    url = reverse("meetings:liaison_name", args=[district.body.pk])
    response = client.post(url, {"unit": district.market.pk, "person": district.urban_head.pk,
                                 "post": "科长"})
    assert response.status_code == 200 and "选择一个有效的选项" in _text(response)  # not of the unit
    response = client.post(url, {"unit": district.market.pk, "person": district.market_liaison.pk,
                                 "post": "法制科科长", "phone": "0335-1"}, follow=True)
    assert "已确定区市场监督管理局的联络员。" in _messages(response)
    assert Liaison.objects.get().post == "法制科科长"
    client.force_login(district.convener)  # the office names no unit's liaison
    assert client.get(url).status_code == 403


def test_proposal_pages_submit_decline_and_accept_m1_2(client, district):
    client.force_login(district.urban_head)
    response = client.post(reverse("meetings:propose", args=[district.body.pk]), {
        "proposer": district.urban.pk, "subject": "旅游旺季联合执法", "reason": ""})
    assert response.status_code == 200 and "该字段是必填项" in _text(response)
    response = client.post(reverse("meetings:propose", args=[district.body.pk]), {
        "proposer": district.urban.pk, "subject": "旅游旺季联合执法", "reason": "旺季临近。"}, follow=True)
    proposal = MeetingProposal.objects.get()
    assert "提议已提交召集单位。" in _messages(response)
    # The proposer sees who decides next; it cannot decline.
    assert "待执法协调小组办公室" in _text(client.get(proposal.get_absolute_url()))
    transition = reverse("meetings:proposal_transition", args=[proposal.pk])
    assert client.post(transition, {"target": ProposalStatus.DECLINED, "note": "不必"}).status_code == 403
    client.force_login(district.convener)
    response = client.post(transition, {"target": ProposalStatus.DECLINED, "note": ""}, follow=True)
    assert "“不予召开”须填写理由。" in _messages(response)
    response = client.post(transition, {"target": ProposalStatus.ACCEPTED, "note": ""}, follow=True)
    assert "同意召开须填写会议的召开时间和地点。" in _messages(response)
    response = client.post(reverse("meetings:proposal_accept", args=[proposal.pk]),
                           {"starts_at": _future(), "place": "第二会议室"}, follow=True)
    meeting = Meeting.objects.get()
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert "已同意召开临时会议，请列出议题后发出通知。" in _messages(response)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED


def test_declining_a_proposal(client, district):
    proposal = services.proposal_submit(actor=district.urban_head, body=district.body,
                                        proposer=district.urban, subject="专项", reason="情况特殊。")
    client.force_login(district.convener)
    response = client.post(reverse("meetings:proposal_transition", args=[proposal.pk]),
                           {"target": ProposalStatus.DECLINED, "note": "已列入例会。"}, follow=True)
    assert "已答复不予召开。" in _messages(response)
    assert MeetingProposal.objects.get().status == ProposalStatus.DECLINED


def test_meeting_from_scheduling_to_notice_with_agenda(client, district):
    client.force_login(district.convener)
    response = client.post(reverse("meetings:new", args=[district.body.pk]), {
        "kind": "regular", "title": "年度联席会议", "starts_at": _future(), "place": "第一会议室"}, follow=True)
    meeting = Meeting.objects.get()
    assert "会议已安排，请列出议题后发出通知。" in _messages(response)
    page = _text(response)
    assert "加强制度建设" in page and "贯彻落实行政审批制度改革重大政策" not in page  # M1.3 topics
    notify = reverse("meetings:transition", args=[meeting.pk])
    response = client.post(notify, {"target": MeetingStatus.NOTIFIED}, follow=True)
    assert "尚不能发出会议通知" in _text(client.get(meeting.get_absolute_url()))
    assert "请先列出会议议题。" in _messages(response)
    agenda = reverse("meetings:agenda_add", args=[meeting.pk])
    response = client.post(agenda, {"topic": Topic.REFORM, "title": "审批改革"}, follow=True)
    assert any("不属于" in m for m in _messages(response))
    response = client.post(agenda, {"topic": Topic.RULES, "title": ""}, follow=True)
    assert "请选择议题类别并填写议题。" in _messages(response)
    client.post(agenda, {"topic": Topic.RULES, "title": "修订移送制度"})
    client.post(agenda, {"topic": Topic.INSPECTION, "title": "专项检查"})
    item = meeting.agenda.get(title="专项检查")
    response = client.post(reverse("meetings:agenda_remove", args=[meeting.pk]), {"item": item.pk}, follow=True)
    assert "已删除该议题。" in _messages(response)
    response = client.post(reverse("meetings:agenda_remove", args=[meeting.pk]), {"item": item.pk}, follow=True)
    assert "该议题已删除。" in _messages(response)
    response = client.post(notify, {"target": MeetingStatus.NOTIFIED}, follow=True)
    assert "会议通知已发送至各成员单位。" in _messages(response)
    assert Meeting.objects.get().status == MeetingStatus.NOTIFIED


def test_recording_a_meeting_held_with_minutes_and_cancelling(client, district):
    meeting = district.meeting(starts_at=timezone.now() - dt.timedelta(hours=2))
    client.force_login(district.urban_head)
    assert client.get(reverse("meetings:held", args=[meeting.pk])).status_code == 403
    client.force_login(district.convener)
    url = reverse("meetings:held", args=[meeting.pk])
    when = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"held_at": when, "attended": [district.market.pk],
                                 "minutes": SimpleUploadedFile("纪要.exe", b"MZ\x90\x00", "application/octet-stream"),
                                 "summary": "议定两项。"})
    assert response.status_code == 200 and "议定两项。" in _text(response)  # refused file, text kept
    response = client.post(url, {"held_at": when, "attended": [district.market.pk, district.urban.pk],
                                 "minutes": SimpleUploadedFile("纪要.png", PNG, "image/png"),
                                 "summary": "议定两项。"}, follow=True)
    assert "已登记会议召开情况。" in _messages(response)
    page = _text(response)
    assert 'id="minutes-link"' in page and "区城市管理综合行政执法局" in page
    other = district.meeting()
    response = client.post(reverse("meetings:transition", args=[other.pk]),
                           {"target": MeetingStatus.CANCELLED, "note": "时间冲突。"}, follow=True)
    assert "会议已取消。" in _messages(response)


def test_agreed_matter_report_send_back_and_accept_pages_m1_5(client, district):
    meeting = district.held()
    client.force_login(district.convener)
    new = reverse("meetings:resolution_new", args=[meeting.pk])
    response = client.post(new, {"title": "专项整治", "content": "开展整治。", "departments": [district.urban.pk],
                                 "due_on": (timezone.localdate() - dt.timedelta(days=5)).isoformat()})
    assert response.status_code == 200 and "不能早于会议召开日期" in _text(response)
    due = (timezone.localdate() + dt.timedelta(days=10))
    response = client.post(new, {"title": "专项整治", "content": "开展整治。", "departments": [district.urban.pk],
                                 "due_on": due.isoformat()}, follow=True)
    assert "议定事项已交办，责任单位已收到通知。" in _messages(response)
    resolution = meeting.resolutions.get()
    part = resolution.assignments.get()

    client.force_login(district.urban_head)
    page = _text(client.get(resolution.get_absolute_url()))
    assert f"{due.month}月{due.day}日24时" in page and "反馈落实情况" in page
    report = reverse("meetings:report", args=[part.pk])
    response = client.post(report, {"report": "已巡查。", "file": SimpleUploadedFile("台账.png", PNG, "image/png")},
                           follow=True)
    assert "落实情况已反馈，待召集单位认可。" in _messages(response)
    assert response.redirect_chain[-1][0].endswith(f"#assignment-{part.pk}")
    send_back = reverse("meetings:send_back", args=[part.pk])
    assert client.post(send_back, {"reason": "不行"}).status_code == 403  # not the office's

    client.force_login(district.convener)
    response = client.post(send_back, {"reason": ""}, follow=True)
    assert "退回须填写理由，新的反馈期限须是有效日期。" in _messages(response)
    response = client.post(send_back, {"reason": "未附台账。"}, follow=True)
    assert "已退回，责任单位须重新反馈。" in _messages(response)
    assert "已退回 1 次" in _text(response)

    client.force_login(district.urban_head)
    client.post(report, {"report": "已巡查，台账附后。"})
    client.force_login(district.convener)
    accept = reverse("meetings:assignment_transition", args=[part.pk])
    response = client.post(accept, {"target": AssignmentStatus.RETURNED, "note": "x"}, follow=True)
    assert "请通过相应表单办理。" in _messages(response)
    response = client.post(accept, {"target": AssignmentStatus.ACCEPTED}, follow=True)
    assert "已认可落实情况。" in _messages(response)
    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.CLOSED
    client.force_login(district.urban_head)
    assert client.get(report).status_code == 403  # accepted: nothing more to report


def test_lists_filter_search_and_export(client, district):
    resolution = district.resolution(departments=[district.urban])
    services.proposal_submit(actor=district.urban_head, body=district.body, proposer=district.urban,
                             subject="联合执法", reason="情况特殊。")
    services.liaison_name(actor=district.market_liaison, body=district.body, unit=district.market,
                          person=district.market_liaison, post="=法制科科长")
    client.force_login(district.convener)
    for name, hit in (("meetings:list", "年度联席会议"), ("meetings:resolutions", "开展占道经营专项整治"),
                      ("meetings:proposals", "联合执法"), ("meetings:liaisons", "市监联络员")):
        url = reverse(name)
        assert hit in _text(client.get(url))
        assert hit not in _text(client.get(url, {"q": "没有这个词"}))
        response = client.get(url, {"body": "nonsense"})
        assert 'id="filter-unreadable"' in _text(response) and hit not in _text(response)
        response = client.get(url, {"export": "xlsx"})
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        cells = [c for row in book.active.iter_rows(values_only=True) for c in row]
        assert hit in cells
    assert list(client.get(reverse("meetings:resolutions"), {"state": "open"}).context["page"]) == [resolution]
    assert not list(client.get(reverse("meetings:resolutions"), {"state": "closed"}).context["page"])


def test_a_department_sees_only_the_matters_assigned_to_it(client, district):
    mine = district.resolution(departments=[district.urban])
    district.resolution(departments=[district.market])
    client.force_login(district.urban_head)
    assert list(client.get(reverse("meetings:resolutions")).context["page"]) == [mine]
    other = district.resolution(departments=[district.market])
    assert client.get(other.get_absolute_url()).status_code == 404
    outsider = member(Role.DEPARTMENT_HEAD)
    client.force_login(outsider)
    assert client.get(reverse("meetings:list")).status_code == 200
    assert not list(client.get(reverse("meetings:list")).context["page"])
    assert client.get(district.body.get_absolute_url()).status_code == 404


def test_api_shows_what_the_pages_show(district):
    mine = district.resolution(departments=[district.urban])
    district.resolution(departments=[district.market])
    api = APIClient()
    api.force_authenticate(district.urban_head)
    rows = api.get("/api/v1/resolutions/").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert rows[0]["assignments"][0]["department_name"] == "区城市管理综合行政执法局"
    assert len(api.get("/api/v1/meetings/").json()["results"]) == 2
    outsider = member(Role.DEPARTMENT_HEAD)
    api.force_authenticate(outsider)
    assert api.get("/api/v1/meetings/").json()["results"] == []
    assert api.get(f"/api/v1/resolutions/{mine.pk}/").status_code == 404
    api.force_authenticate(supervisor())
    assert len(api.get("/api/v1/resolutions/").json()["results"]) == 2
    api.force_authenticate(member(Role.POLICE))  # the pages' capability: no joint-meeting role
    assert api.get("/api/v1/meetings/").status_code == 403


def test_dashboard_panel_counts_link_to_their_lists(client, district):
    overdue = district.resolution(departments=[district.housing])
    returned = district.resolution(departments=[district.urban])
    part = returned.assignments.get()
    services.assignment_report(actor=district.urban_head, assignment=part, report="已办。")
    services.assignment_send_back(actor=district.convener, assignment=part, reason="不全。")
    Deadline.objects.filter(target_id=str(overdue.assignments.get().pk)).update(state="overdue")
    client.force_login(supervisor())
    response = client.get(reverse("dashboard:index"))
    panel = next(p for p in response.context["panels"] if p.key == "meetings")
    figures = {m.label: m.figure for m in panel.metrics}
    assert figures["议定事项落实中"].value == 2
    assert figures["逾期未反馈"].value == 1 and figures["被退回待重新反馈"].value == 1
    for label in ("逾期未反馈", "被退回待重新反馈", "议定事项落实中"):
        listed = client.get(figures[label].url).context["page"].paginator.count
        assert listed == figures[label].value
    rows = {r.label: r for r in panel.tables[0].rows}
    coordination = rows["行政执法协调监督联席会议"]
    assert [c.value for c in coordination.cells[:2]] == [1, 2]  # required this year, held
    assert coordination.cells[3].value == 4  # no member unit has named its liaison
    assert client.get(coordination.cells[1].url).context["page"].paginator.count == 2
    # A member department's dashboard counts the matters assigned to it.
    client.force_login(district.urban_head)
    panel = next(p for p in client.get(reverse("dashboard:index")).context["panels"] if p.key == "meetings")
    figures = {m.label: m.figure.value for m in panel.metrics}
    assert figures["议定事项落实中"] == 1 and figures["被退回待重新反馈"] == 1 and figures["逾期未反馈"] == 0
