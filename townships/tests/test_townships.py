"""Township–district cooperation (M15): transfer timers on the working-day calendar, the
overdue sweep, dissuasion, consultations, notices."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from core import policy
from core.models import OrgKind, Role
from core.testing import OrganizationFactory, assert_audited, member, supervisor
from deadlines.calendar import end_of_day
from deadlines.models import CalendarDay, DayKind, Deadline, DeadlineState, Notification
from deadlines.sweep import sweep
from townships import services
from townships.models import Dissuasion
from transfers import services as transfer_services
from transfers.models import Transfer, TransferKind, TransferStatus

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def sides():
    township = OrganizationFactory(kind=OrgKind.TOWNSHIP, name="测试镇人民政府", short_name="测镇")
    department = OrganizationFactory()
    return (township, member(Role.DEPARTMENT_HEAD, township), department,
            member(Role.OFFICER, department))


def township_transfer(sides, discovered_at, urgent=False) -> Transfer:
    township, head, department, _ = sides
    return transfer_services.transfer_create(
        actor=head, kind=TransferKind.TOWNSHIP, sender=township, receiver=department,
        subject="无证经营", reason="属区市场监管部门管辖", basic_facts="某商户无照经营餐饮。",
        discovered_at=discovered_at, is_urgent=urgent)


def rule_deadline(transfer, rule):
    return Deadline.objects.get(target_id=str(transfer.pk), rule=rule,
                                target_type__model="transfer")


def national_day_2025():
    """The State Council's 2025 schedule: 1–8 October off, Sunday 28 September and
    Saturday 11 October worked (调休)."""
    for day in range(1, 9):
        CalendarDay.objects.update_or_create(date=dt.date(2025, 10, day),
                                             defaults={"kind": DayKind.HOLIDAY, "name": "国庆节、中秋节"})
    for d in (dt.date(2025, 9, 28), dt.date(2025, 10, 11)):
        CalendarDay.objects.update_or_create(date=d, defaults={"kind": DayKind.WORKDAY,
                                                               "name": "国庆节、中秋节"})


def test_m15_1_township_transfer_due_across_the_holiday_ends_on_the_adjusted_saturday(sides):
    """Discovered Tuesday 30 September 2025: the 3 working days are 9, 10 and 11 October
    (a Saturday worked under 调休), so the transfer is due at the end of 11 October."""
    national_day_2025()
    township, head, department, _ = sides
    with assert_audited("transfer.create"):
        transfer = transfer_services.transfer_create(
            actor=head, kind=TransferKind.TOWNSHIP, sender=township, receiver=department,
            subject="无证经营", reason="属区市场监管部门管辖", basic_facts="某商户无照经营餐饮。",
            discovered_at=dt.datetime(2025, 9, 30, 10, 0, tzinfo=SH))
    timer = rule_deadline(transfer, "township_transfer")
    assert timer.due == end_of_day(dt.date(2025, 10, 11))
    assert timezone.localtime(timer.due).date() == dt.date(2025, 10, 12)  # 24:00 of the 11th
    assert timer.responsible == sides[0]
    assert not timer.provisional


def test_m15_1_urgent_township_transfer_due_24_clock_hours_after_discovery(sides):
    discovered = dt.datetime(2025, 9, 30, 21, 15, tzinfo=SH)
    transfer = township_transfer(sides, discovered, urgent=True)
    timer = rule_deadline(transfer, "township_transfer_urgent")
    assert timer.due == discovered + dt.timedelta(hours=24)


def test_m15_1_sending_meets_the_timer_and_the_department_accepts(sides):
    township, head, department, officer = sides
    transfer = township_transfer(sides, timezone.now() - dt.timedelta(hours=2))
    with pytest.raises(ValidationError, match="案件移送书"):
        transfer_services.transfer_transition(actor=head, transfer=transfer,
                                              target=TransferStatus.SENT)
    transfer_services.transfer_letter_issue(actor=head, transfer=transfer)
    transfer_services.transfer_transition(actor=head, transfer=transfer, target=TransferStatus.SENT)
    assert rule_deadline(transfer, "township_transfer").state == DeadlineState.MET
    transfer_services.transfer_transition(actor=officer, transfer=transfer,
                                          target=TransferStatus.ACCEPTED)
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.ACCEPTED


def test_m15_1_township_transfer_needs_facts_and_a_township_side(sides):
    township, head, department, officer = sides
    with pytest.raises(ValidationError, match="基本事实"):
        transfer_services.transfer_create(
            actor=head, kind=TransferKind.TOWNSHIP, sender=township, receiver=department,
            subject="x", reason="y", basic_facts=" ", discovered_at=timezone.now())
    other = OrganizationFactory()
    dept_head = member(Role.DEPARTMENT_HEAD, department)
    with pytest.raises(ValidationError, match="乡镇"):
        transfer_services.transfer_create(
            actor=dept_head, kind=TransferKind.TOWNSHIP, sender=department, receiver=other,
            subject="x", reason="y", basic_facts="z", discovered_at=timezone.now())


def test_m15_1_overdue_transfer_reminds_and_escalates_exactly_once(sides):
    township, head, department, officer = sides
    bureau_user = supervisor()
    transfer = township_transfer(sides, timezone.now() - dt.timedelta(days=10))
    timer = rule_deadline(transfer, "township_transfer")
    now = timezone.now()
    first, second = sweep(now), sweep(now + dt.timedelta(minutes=1))
    assert first.overdue == 1 and second.overdue == 0
    timer.refresh_from_db()
    assert timer.state == DeadlineState.OVERDUE and timer.escalation_level == 1
    assert Notification.objects.filter(recipient=head, subject__startswith="期限已届满").count() == 1
    assert Notification.objects.filter(recipient=bureau_user, subject__startswith="逾期督办").count() == 1
    from transfers import selectors

    assert selectors.supervision_counts(bureau_user)["overdue"] == 0  # a draft is not supervised
    assert transfer.pk in set(selectors.overdue_transfer_ids().values_list("pk", flat=True))


def test_m15_1_ongoing_violation_dissuasion_notifies_the_competent_department_at_once(sides):
    township, head, department, officer = sides
    with assert_audited("township.dissuasion"):
        record = services.dissuasion_record(
            actor=head, township=township, competent=department, location="海滨路 12 号",
            violation="占道经营", measures="现场劝阻，当事人已收摊", dissuaded_at=timezone.now())
    note = Notification.objects.get(recipient=officer, target_id=str(record.pk))
    assert "紧急" in note.subject and "海滨路" in note.body
    assert policy.access(officer, record.__class__, record.pk)






def test_m15_4_consultation_and_joint_handling(sides):
    township, head, department, officer = sides
    with pytest.raises(ValidationError, match="案件"):
        services.consultation_create(actor=head, kind="joint_handling", topic="major_case",
                                     initiator=township, participants=[department],
                                     subject="联合处置", content="x", meeting_at=timezone.now())
    with assert_audited("township.consultation"):
        consultation = services.consultation_create(
            actor=head, kind="consultation", topic="hot", initiator=township,
            participants=[department], subject="海滩流动摊贩治理", content="旺季集中整治",
            meeting_at=timezone.now())
    assert policy.access(officer, consultation.__class__, consultation.pk)
    with assert_audited("township.consultation_conclude", consultation):
        services.consultation_conclude(actor=head, consultation=consultation,
                                       conclusion="分片包干，联合巡查")


def test_m15_3_information_notice_reaches_the_other_side(sides, client):
    township, head, department, officer = sides
    with assert_audited("township.info_notice"):
        notice = services.info_notice_publish(actor=head, sender=township, recipients=[department],
                                              title="旺季执法信息", body="本月巡查情况")
    assert policy.access(officer, notice.__class__, notice.pk)
    client.force_login(officer)
    assert "旺季执法信息" in client.get("/townships/info/").content.decode()
    assert client.get(notice.get_absolute_url()).status_code == 200
    stranger = member(Role.OFFICER, OrganizationFactory())
    client.force_login(stranger)
    assert client.get(notice.get_absolute_url()).status_code == 404


def test_m15_1_web_transfer_with_an_ongoing_violation_tells_the_receiver_at_once(sides, client):
    """The township transfer form makes the draft and, when the violation is still going
    on, the dissuasion linked to it (one service, both audited)."""
    township, head, department, officer = sides
    client.force_login(head)
    with assert_audited("township.dissuasion"), assert_audited("transfer.create"):
        response = client.post(reverse("townships:transfer_new"), {
            "sender": township.pk, "receiver": department.pk, "subject": "网页移送",
            "discovered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "basic_facts": "事实", "reason": "理由", "ongoing": "on", "location": "某路",
            "measures": "已劝阻"})
    transfer = Transfer.objects.get(subject="网页移送")
    assert response.status_code == 302 and response["Location"] == transfer.get_absolute_url()
    assert Dissuasion.objects.get().transfer == transfer
    assert Notification.objects.filter(recipient=officer, subject__contains="现场劝阻").exists()
    api = APIClient()
    api.force_authenticate(head)
    assert api.get("/api/v1/townships/").json()["count"] == 1
    assert api.get(f"/api/v1/townships/{transfer.pk}/").status_code == 200
    assert api.get("/api/v1/townships/dissuasions/").json()["count"] == 1


def test_m15_1_ongoing_violation_needs_place_and_measures_or_nothing_is_made(sides):
    township, head, department, officer = sides
    with pytest.raises(ValidationError, match="现场地点和劝阻情况"):
        services.township_transfer_create(
            actor=head, sender=township, receiver=department, subject="x", reason="y",
            basic_facts="z", discovered_at=timezone.now(), ongoing=True, location="某路")
    with assert_audited("transfer.create"):
        services.township_transfer_create(
            actor=head, sender=township, receiver=department, subject="x", reason="y",
            basic_facts="z", discovered_at=timezone.now())
    assert Transfer.objects.count() == 1 and not Dissuasion.objects.exists()
