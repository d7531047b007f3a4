"""The ledger's services (M3.2), its deadlines, the 转办 loop (M15.2), the justice
bureau's direct handling and its assistance requests (M3.3–M3.4, M15.5), the channels
(M3.1) and the hooks other apps read."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
import time_machine

from complaints import selectors, services
from complaints.models import (AnswerMethod, AssistanceKind, AssistanceStatus, Channel,
                               ComplaintKind, ComplaintStatus as S, Satisfaction)
from core.testing import assert_audited
from deadlines.calendar import end_of_day
from deadlines.models import Deadline, DeadlineState, Notification
from deadlines.sweep import sweep
from documents.services import sequence_allocate

from .conftest import COMPLAINANT, PHONE, png

pytestmark = pytest.mark.django_db


def deadline(complaint, rule: str) -> Deadline:
    return Deadline.objects.get(target_id=str(complaint.pk), rule=rule,
                                target_type__app_label="complaints")


def test_m3_2_ledger_numbers_per_unit_and_year_come_from_the_document_counter(district):
    """Gap-free per unit and year, from documents' numbering counter (not a second one)."""
    with assert_audited("complaints.complaint.register"):
        first = district.register()
        # Another register numbered by the same counter takes the next sequence.
        taken = sequence_allocate(issuer=district.market, number_code=services.LEDGER_CODE,
                                  year=first.year)
        second = services.complaint_register(
            actor=district.officer, unit=district.market, kind=ComplaintKind.REPORT, channel=Channel.LETTER,
            received_at=timezone.now(), matter="举报某加油站计量作弊。", anonymous=True, files=[png()])
    assert (first.sequence, taken, second.sequence) == (1, 2, 3)
    assert first.number == f"北市监投〔{first.year}〕1号"
    assert district.register(unit=district.urban, actor=district.urban_officer).sequence == 1
    assert second.files.count() == 1


def test_m3_2_registration_checks_what_it_needs(district):
    with pytest.raises(ValidationError) as refused:
        district.register(channel=Channel.HOTLINE)
    assert "工单号" in str(refused.value)
    with pytest.raises(ValidationError, match="匿名"):
        district.register(complainant_name="")
    anonymous = district.register(complainant_name=COMPLAINANT, anonymous=True)
    assert anonymous.complainant_name == "" and anonymous.complainant_id_number == ""
    with pytest.raises(PermissionDenied):
        district.register(actor=district.stranger)


def test_m3_2_the_steps_meet_and_open_the_national_rules_periods(district):
    """Accept or refuse within 7 working days of receipt; handle within 60 days of
    acceptance; verify a report within 15 working days; answer within 5 working days."""
    with time_machine.travel("2026-03-02 10:00:00+08:00", tick=False):  # a Monday
        report = district.register(kind=ComplaintKind.REPORT, received_at=timezone.now())
        acceptance = deadline(report, "complaint_acceptance")
        assert acceptance.due == end_of_day(dt.date(2026, 3, 11))  # 7 working days from the next day
        with assert_audited("complaints.complaint.transition", report):
            services.complaint_transition(actor=district.officer, complaint=report, target=S.ACCEPTED)
        assert deadline(report, "complaint_acceptance").state == DeadlineState.MET
        assert deadline(report, "complaint_handling").due.date() >= dt.date(2026, 4, 30)
        assert deadline(report, "report_verification").due == end_of_day(dt.date(2026, 3, 23))
        services.complaint_transition(actor=district.officer, complaint=report, target=S.INVESTIGATING)
        assert deadline(report, "report_verification").state == DeadlineState.MET
        with pytest.raises(ValidationError, match="理由"):
            services.complaint_transition(actor=district.officer, complaint=report, target=S.CONCLUDED)
        services.complaint_transition(actor=district.officer, complaint=report, target=S.CONCLUDED,
                                      note="经查属实，已立案。")
        assert deadline(report, "complaint_handling").state == DeadlineState.MET
        assert deadline(report, "complaint_answer").due == end_of_day(dt.date(2026, 3, 9))
        with assert_audited("complaints.complaint.transition", report):
            services.complaint_answer(actor=district.officer, complaint=report, method=AnswerMethod.PHONE,
                                      answered_at=timezone.now(), answer="已立案查处。")
        assert deadline(report, "complaint_answer").state == DeadlineState.MET
        with assert_audited("complaints.complaint.transition", report):
            services.complaint_archive(actor=district.officer, complaint=report,
                                       satisfaction=Satisfaction.SATISFIED)
    report.refresh_from_db()
    assert report.status == S.ARCHIVED and report.satisfaction == Satisfaction.SATISFIED
    assert report.result == "经查属实，已立案。" and report.answer_method == AnswerMethod.PHONE


def test_m3_2_refusal_records_its_reason_and_an_outsider_cannot_act(district):
    complaint = district.register()
    with pytest.raises(PermissionDenied):
        services.complaint_transition(actor=district.urban_officer, complaint=complaint, target=S.ACCEPTED)
    with pytest.raises(ValidationError):
        services.complaint_transition(actor=district.officer, complaint=complaint, target=S.REJECTED)
    services.complaint_transition(actor=district.officer, complaint=complaint, target=S.REJECTED,
                                  note="不属于本局职责。")
    complaint.refresh_from_db()
    assert complaint.reject_reason == "不属于本局职责。" and complaint.told_at
    assert deadline(complaint, "complaint_acceptance").state == DeadlineState.MET


def test_m3_2_an_undecided_complaint_turns_overdue_and_is_listed(district):
    with time_machine.travel(timezone.now() - dt.timedelta(days=20), tick=False):
        late = district.register(received_at=timezone.now())
    district.register()
    sweep()
    assert list(selectors.overdue_complaints()) == [late]
    assert list(selectors.complaint_list(district.supervisor, {"state": "overdue"})) == [late]


def test_m3_2_the_handling_period_is_extended_once_by_the_head_with_a_reason(district):
    complaint = district.register()
    services.complaint_transition(actor=district.officer, complaint=complaint, target=S.ACCEPTED)
    new_due = timezone.localdate() + dt.timedelta(days=90)
    with pytest.raises(PermissionDenied):
        services.complaint_extend(actor=district.officer, complaint=complaint, new_due=new_due, reason="需检定")
    with pytest.raises(ValidationError):
        services.complaint_extend(actor=district.head, complaint=complaint, new_due=new_due, reason=" ")
    with assert_audited("complaints.complaint.extend", complaint):
        services.complaint_extend(actor=district.head, complaint=complaint, new_due=new_due,
                                  reason="需委托检定机构检定。")
    assert deadline(complaint, "complaint_handling").due == end_of_day(new_due)
    complaint.refresh_from_db()
    assert not services.may_extend(district.head, complaint)
    with pytest.raises(PermissionDenied):
        services.complaint_extend(actor=district.head, complaint=complaint,
                                  new_due=new_due + dt.timedelta(days=5), reason="再延长")


def test_m15_2_transfer_continues_in_the_competent_units_ledger_and_reports_back(district):
    """Whoever receives a complaint tells the complainant who handles it; the township
    tells the complainant the result and reports it back to the department."""
    complaint = district.register(unit=district.urban, actor=district.urban_officer, files=[png()])
    with assert_audited("complaints.complaint.transfer"):
        services.complaint_transfer(actor=district.urban_officer, complaint=complaint,
                                    to=district.township, told_at=timezone.now(), note="属乡镇管辖")
    complaint.refresh_from_db()
    assert complaint.status == S.TRANSFERRED and complaint.told_at
    assert complaint.transferred_to == district.township
    successor = complaint.successor
    assert successor.unit == district.township and successor.channel == Channel.TRANSFER
    assert successor.complainant_phone == PHONE and successor.files.count() == 1
    assert successor.number.startswith("北海滨投")
    assert Notification.objects.filter(recipient=district.town_officer, target_id=str(successor.pk)).exists()
    # The township handles it and answers; the department hears the result.
    for target, note in ((S.ACCEPTED, ""), (S.INVESTIGATING, ""), (S.CONCLUDED, "已责令拆除。")):
        services.complaint_transition(actor=district.town_officer, complaint=successor, target=target, note=note)
    services.complaint_answer(actor=district.town_officer, complaint=successor, method=AnswerMethod.PHONE,
                              answered_at=timezone.now(), answer="违建已拆除。")
    report_back = Notification.objects.get(recipient=district.urban_officer, target_id=str(complaint.pk),
                                           subject__contains="办理结果反馈")
    assert "已责令拆除" in report_back.body and COMPLAINANT not in report_back.body
    with pytest.raises(ValidationError):
        services.complaint_transfer(actor=district.town_officer, complaint=district.register(
            unit=district.township, actor=district.town_officer), to=district.township,
            told_at=timezone.now())


def test_m3_3_m3_4_the_bureau_handles_directly_and_the_unit_assists_by_the_due_date(district):
    complaint = district.register(unit=district.bureau, actor=district.supervisor,
                                  subject_org=district.urban, subject_officer=district.urban_officer)
    assert complaint.is_direct and complaint.subject_officer_name == "城管执法员"
    services.complaint_transition(actor=district.supervisor, complaint=complaint, target=S.ACCEPTED)
    due = timezone.localdate() + dt.timedelta(days=5)
    with assert_audited("complaints.assistance.request"):
        request = services.assistance_request(
            actor=district.supervisor, requester=district.bureau, addressee=district.urban,
            kind=AssistanceKind.INVESTIGATION, complaint=complaint, subject="协助调查扣押程序",
            content="请提供扣押清单和执法记录。", reply_due=due)
    timer = Deadline.objects.get(rule="assistance_reply", target_id=str(request.pk))
    assert timer.responsible == district.urban and timer.due == end_of_day(due)
    # The unit complained about now sees the entry (masked), and replies with materials.
    assert selectors.complaint_list(district.urban_head).filter(pk=complaint.pk).exists()
    assert not services.may_see_complainant(district.urban_head, complaint)
    with pytest.raises(PermissionDenied):
        services.assistance_answer(actor=district.officer, request=request, target=AssistanceStatus.REPLIED,
                                   reply="x")
    with assert_audited("complaints.assistancerequest.transition", request):
        services.assistance_answer(actor=district.urban_head, request=request,
                                   target=AssistanceStatus.REPLIED, reply="扣押清单附后。", files=[png("清单.png")])
    timer.refresh_from_db()
    assert timer.state == DeadlineState.MET
    assert selectors.assistance_files(district.supervisor, request).count() == 1


def test_m3_4_investigation_only_for_a_complaint_handled_about_another_unit(district):
    own = district.register()
    services.complaint_transition(actor=district.officer, complaint=own, target=S.ACCEPTED)
    with pytest.raises(PermissionDenied):
        services.assistance_request(actor=district.officer, requester=district.market, addressee=district.urban,
                                    kind=AssistanceKind.INVESTIGATION, complaint=own, subject="x",
                                    content="y", reply_due=timezone.localdate())


def test_m15_5_technical_support_needs_a_letter_and_an_overdue_reply_escalates(district):
    args = dict(actor=district.town_head, requester=district.township, addressee=district.market,
                subject="危房鉴定", content="请派员鉴定。", reply_due=timezone.localdate() + dt.timedelta(days=2))
    with pytest.raises(ValidationError, match="书面函件"):
        services.assistance_request(kind=AssistanceKind.TECHNICAL, **args)
    with pytest.raises(ValidationError):
        services.assistance_request(kind=AssistanceKind.ARCHIVES, **{**args, "addressee": district.township})
    request = services.assistance_request(kind=AssistanceKind.TECHNICAL, letter=png("函.png"), **args)
    assert request.letter.target == request
    archives = services.assistance_request(kind=AssistanceKind.ARCHIVES, **args)
    with time_machine.travel(timezone.now() + dt.timedelta(days=5), tick=False):
        sweep()
    assert Deadline.objects.get(target_id=str(archives.pk), rule="assistance_reply").state == DeadlineState.OVERDUE
    services.assistance_answer(actor=district.officer, request=archives, target=AssistanceStatus.DECLINED,
                               reply="档案已移交市局。")
    assert Notification.objects.filter(recipient=district.town_head, target_id=str(archives.pk),
                                       subject__contains="不予协助").exists()


def test_m3_portal_submission_lands_in_the_units_ledger(district):
    with assert_audited("complaints.complaint.submit"):
        complaint = services.complaint_submit_public(
            unit=district.market, kind=ComplaintKind.COMPLAINT, complainant_name=COMPLAINANT,
            complainant_phone=PHONE, matter="网购海鲜缺斤短两，商家拒绝处理。", files=[png()])
    assert complaint.channel == Channel.PORTAL and complaint.created_by is None
    assert len(complaint.tracking_code) == 12 and complaint.files.count() == 1
    assert deadline(complaint, "complaint_acceptance").state == DeadlineState.OPEN
    with pytest.raises(ValidationError):
        services.complaint_submit_public(unit=district.market, kind="complaint", complainant_phone="",
                                         complainant_name="甲", matter="某事项某事项某事项")


def test_m3_2_materials_are_added_by_the_handling_unit(district):
    complaint = district.register()
    with assert_audited("complaints.file.add", complaint):
        services.complaint_files_add(actor=district.officer, complaint=complaint, files=[png("补充.png")])
    with pytest.raises(PermissionDenied):
        services.complaint_files_add(actor=district.urban_officer, complaint=complaint, files=[png()])


def test_m3_1_channels_are_published_by_the_unit_and_the_bureau_sees_who_has_none(district):
    with pytest.raises(ValidationError):
        services.channel_save(actor=district.head, organization=district.market, handling_office="法制科")
    with assert_audited("complaints.channel.save"):
        services.channel_save(actor=district.head, organization=district.market, handling_office="法制科",
                              phone="0335-4041234", hours="工作日")
    with pytest.raises(PermissionDenied):
        services.channel_save(actor=district.officer, organization=district.urban, handling_office="x",
                              phone="1")
    missing = set(selectors.units_without_channel())
    assert district.market not in missing and {district.urban, district.township} <= missing


@time_machine.travel("2026-03-02 10:00:00+08:00", tick=False)
def test_hooks_overdue_and_handled_on_time_by_unit(district):
    """For the lead to register: inspections' "a complaint overdue", assessment's
    "complaints handled on time" (one GROUP BY)."""
    on_time = district.register()
    for target, note in ((S.ACCEPTED, ""), (S.INVESTIGATING, ""), (S.CONCLUDED, "已处理")):
        services.complaint_transition(actor=district.officer, complaint=on_time, target=target, note=note)
    late = district.register()
    services.complaint_transition(actor=district.officer, complaint=late, target=S.ACCEPTED)
    services.complaint_transition(actor=district.officer, complaint=late, target=S.INVESTIGATING)
    open_one = district.register(unit=district.urban, actor=district.urban_officer)
    with time_machine.travel("2026-05-11 10:00:00+08:00", tick=False):
        sweep()
        # Not decided, not handled, not answered within their periods.
        assert set(selectors.overdue_complaints()) == {on_time, late, open_one}
        services.complaint_transition(actor=district.officer, complaint=late, target=S.CONCLUDED, note="已处理")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as queries:
        result = selectors.handled_on_time_by_unit(2026)
    assert result == {district.market.pk: (2, 1)} and len(queries) == 1
    assert selectors.handled_on_time_by_unit(2025) == {}
