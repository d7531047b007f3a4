"""M7.5's loop on the supervision notice: the unit reports its rectification (text and
materials) by the deadline; the bureau accepts — which meets the rectification deadline —
or sends it back with a new deadline; the unit may object, and the bureau answers."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import Attachment, Role
from core.testing import OrganizationFactory, assert_audited, member
from deadlines.calendar import end_of_day
from deadlines.models import Deadline, DeadlineState, Notification
from documents import services
from documents.models import RectificationReport, RectificationStatus
from evidence.tests.factories import PNG

pytestmark = pytest.mark.django_db


def _rectification(notice):
    return Deadline.objects.filter(target_id=str(notice.pk), rule="rectification")


@pytest.fixture
def officer(department):
    return member(Role.OFFICER, department)


def test_m7_5_a_report_accepted_meets_the_rectification_deadline(issue_notice, officer,
                                                                  bureau_supervisor):
    notice = issue_notice()
    scan = SimpleUploadedFile("整改报告.png", PNG, "image/png")
    with assert_audited("rectification.submit"):
        report = services.rectification_submit(actor=officer, notice=notice, kind="report",
                                               body="已逐件复查并纠正。", files=[scan])
    assert Attachment.objects.get().original_name == "整改报告.png"
    assert Notification.objects.filter(recipient=bureau_supervisor,
                                       subject__contains="整改情况报告").exists()
    assert _rectification(notice).get().state == DeadlineState.OPEN
    # The addressee cannot accept its own report.
    with pytest.raises(PermissionDenied):
        services.rectification_reply(actor=officer, report=report, target="accepted")
    with assert_audited("documents.rectificationreport.transition", report):
        services.rectification_reply(actor=bureau_supervisor, report=report, target="accepted")
    deadline = _rectification(notice).get()
    assert deadline.state == DeadlineState.MET and not deadline.is_late
    assert Notification.objects.filter(recipient=officer, subject__contains="验收通过").exists()
    # Nothing more to report once accepted.
    assert not services.may_report_rectification(officer, notice)


def test_m7_5_a_report_sent_back_gets_a_new_deadline(issue_notice, officer, bureau_supervisor):
    notice = issue_notice()
    report = services.rectification_submit(actor=officer, notice=notice, kind="report",
                                           body="已整改。")
    new_day = timezone.localdate() + dt.timedelta(days=40)
    with pytest.raises(ValidationError):
        services.rectification_reply(actor=bureau_supervisor, report=report, target="returned",
                                     note="整改不彻底")
    services.rectification_reply(actor=bureau_supervisor, report=report, target="returned",
                                 note="整改材料不全，请补充。", new_deadline=new_day)
    report.refresh_from_db()
    assert report.status == RectificationStatus.RETURNED and report.new_deadline == new_day
    states = {d.state: d for d in _rectification(notice)}
    assert set(states) == {DeadlineState.CANCELLED, DeadlineState.OPEN}
    assert states[DeadlineState.OPEN].due == end_of_day(new_day)
    # The unit reports again; the bureau accepts: the new deadline is met.
    again = services.rectification_submit(actor=officer, notice=notice, kind="report",
                                          body="已补充材料。")
    services.rectification_reply(actor=bureau_supervisor, report=again, target="accepted")
    assert _rectification(notice).filter(state=DeadlineState.MET).count() == 1


def test_m7_5_an_objection_is_answered_and_does_not_meet_the_deadline(issue_notice, officer,
                                                                      bureau_supervisor):
    notice = issue_notice()
    objection = services.rectification_submit(actor=officer, notice=notice, kind="objection",
                                              body="第三项问题的案件系他局办理。")
    with pytest.raises(ValidationError):  # a report is accepted, an objection answered
        services.rectification_reply(actor=bureau_supervisor, report=objection, target="accepted")
    with pytest.raises(ValidationError):
        services.rectification_reply(actor=bureau_supervisor, report=objection, target="answered")
    services.rectification_reply(actor=bureau_supervisor, report=objection, target="answered",
                                 note="经核实，第三项不再要求整改，其余仍按期整改。")
    assert _rectification(notice).get().state == DeadlineState.OPEN


def test_m7_5_only_the_addressee_reports_and_one_at_a_time(issue_notice, officer):
    notice = issue_notice()
    outsider = member(Role.OFFICER, OrganizationFactory())
    with pytest.raises(PermissionDenied):
        services.rectification_submit(actor=outsider, notice=notice, kind="report", body="x")
    with pytest.raises(ValidationError):
        services.rectification_submit(actor=officer, notice=notice, kind="report", body=" ")
    services.rectification_submit(actor=officer, notice=notice, kind="report", body="已整改。")
    with pytest.raises(PermissionDenied):  # the first still waits for the bureau
        services.rectification_submit(actor=officer, notice=notice, kind="report", body="再报")


def test_m7_5_the_loop_on_the_notice_page(client, issue_notice, officer, bureau_supervisor):
    notice = issue_notice()
    client.force_login(officer)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "报告整改情况" in page and "提出异议" in page
    url = reverse("documents:rectification_submit", args=[notice.pk, "report"])
    refused = client.post(url, {"body": ""})
    assert refused.status_code == 200 and not RectificationReport.objects.exists()
    response = client.post(url, {"body": "已整改完毕。",
                                 "files": [SimpleUploadedFile("a.png", PNG, "image/png"),
                                           SimpleUploadedFile("b.png", PNG, "image/png")]},
                           follow=True)
    assert "整改情况报告已提交，等待司法局审核。" in response.content.decode()
    report = RectificationReport.objects.get()
    assert Attachment.objects.count() == 2
    client.force_login(bureau_supervisor)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "验收通过" in page and "a.png" in page
    reply = reverse("documents:rectification_reply", args=[report.pk])
    response = client.post(reply, {"target": "accepted"}, follow=True)
    assert "整改情况已验收，整改期限已完成。" in response.content.decode()
    assert _rectification(notice).get().state == DeadlineState.MET
    assert client.post(reverse("documents:rectification_submit", args=[notice.pk, "nonsense"]),
                       {"body": "x"}).status_code == 404


def test_m7_5_the_bureau_sends_back_on_the_page_and_a_refusal_is_one_message(
        client, issue_notice, officer, bureau_supervisor):
    notice = issue_notice()
    report = services.rectification_submit(actor=officer, notice=notice, kind="report", body="已整改。")
    client.force_login(bureau_supervisor)
    reply = reverse("documents:rectification_reply", args=[report.pk])
    response = client.post(reply, {"target": "returned", "note": "不彻底"}, follow=True)
    assert "退回重新整改须确定晚于今天的新整改期限。" in response.content.decode()
    day = (timezone.localdate() + dt.timedelta(days=15)).isoformat()
    response = client.post(reply, {"target": "returned", "note": "不彻底", "new_deadline": day},
                           follow=True)
    assert "已退回重新整改，新的整改期限已登记督办。" in response.content.decode()
    client.force_login(officer)
    assert client.post(reply, {"target": "accepted"}).status_code == 302
    report.refresh_from_db()
    assert report.status == RectificationStatus.RETURNED
