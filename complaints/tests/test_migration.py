"""M15.2 and M15.5 moved (issue 17 item 4): every township complaint notice becomes a
ledger entry — two, the receiver's 已转办 and the handler's continuation, when another
unit handled it — and every township assistance request one of this app (complaints
0002); the old tables go (townships 0004). Every field of the old rows is checked on the
new ones, with the deadlines, attachments and notifications that follow them."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.db_owner]  # migrates back: DDL is the owner's

BEFORE = [("complaints", "0001_initial"), ("townships", "0003_jurisdiction_dispute_moved")]
AFTER = [("complaints", "0002_townships_complaints_and_assistance"),
         ("townships", "0004_complaints_and_assistance_moved")]


def _migrate(targets):
    """Migrate to ``targets``; the models as the database now has them, every app's (the
    deadlines, attachments and counters the move touches are other apps')."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    applied = [key for key in MigrationRecorder(connection).applied_migrations()
               if key in executor.loader.graph.nodes]
    return executor.loader.project_state(applied).apps


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    """Leave the database as every other test expects it: all migrations applied (the
    flush after a transactional test needs every table of the latest schema)."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_m15_2_township_complaints_and_requests_are_migrated_into_the_ledger():
    old_apps = _migrate(BEFORE)
    Organization = old_apps.get_model("core", "Organization")
    User = old_apps.get_model("core", "User")
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    Attachment = old_apps.get_model("core", "Attachment")
    Deadline = old_apps.get_model("deadlines", "Deadline")
    Notification = old_apps.get_model("deadlines", "Notification")
    Notice = old_apps.get_model("townships", "ComplaintNotice")
    OldRequest = old_apps.get_model("townships", "AssistanceRequest")
    town = Organization.objects.create(name="北戴河区海滨镇人民政府", short_name="北海滨", kind="township")
    other_town = Organization.objects.create(name="北戴河区戴河镇人民政府", short_name="北戴河", kind="township")
    dept = Organization.objects.create(name="北戴河区城市管理综合行政执法局", short_name="北城管", kind="department")
    user = User.objects.create(username="migrator", real_name="迁移经办人")
    received = timezone.make_aware(dt.datetime(2025, 12, 30, 10, 0))
    told = timezone.make_aware(dt.datetime(2026, 1, 2, 9, 0))
    reported = timezone.make_aware(dt.datetime(2026, 1, 20, 15, 0))
    registered = Notice.objects.create(
        receiver=town, handler=town, department=dept, complainant_name="岳明远",
        complainant_contact="13912345678", summary="海滨路夜市占道经营", received_at=received,
        created_by=user)
    handed = Notice.objects.create(
        receiver=town, handler=other_town, department=dept, complainant_name="韩立",
        complainant_contact="13700001111", summary="戴河沿岸违规搭建", received_at=received,
        status="result_reported", told_at=told, result="已拆除违建并回访", result_at=reported,
        created_by=user)
    by_the_department = Notice.objects.create(
        receiver=town, handler=dept, department=dept, complainant_name="周倩", complainant_contact="0335-4041234",
        summary="城管执法车辆占用人行道", received_at=received, status="handler_told", told_at=told,
        created_by=user)
    notice_type = ContentType.objects.get_or_create(app_label="townships", model="complaintnotice")[0]
    request_type = ContentType.objects.get_or_create(app_label="townships", model="assistancerequest")[0]
    old_deadline = Deadline.objects.create(
        target_type=notice_type, target_id=str(handed.pk), target_repr="戴河沿岸违规搭建", rule="complaint_acceptance",
        responsible=other_town, start=received, due=received + dt.timedelta(days=9),
        warn_at=received + dt.timedelta(days=8), remind_at=received + dt.timedelta(days=8))
    letter = Attachment.objects.create(
        target_type=request_type, target_id="0", original_name="技术支持函.pdf", file="attachments/letter.pdf",
        size=10, sha256="0" * 64, content_type="application/pdf", extension="pdf", uploaded_by=user,
        organization=town, created_at=received)
    old_request = OldRequest.objects.create(
        requester=town, addressee=dept, kind="technical", subject="违建结构安全鉴定", content="请派员协助鉴定。",
        letter=letter, reply_due=dt.date(2026, 1, 15), status="replied", reply="已派员鉴定，报告附后。",
        replied_at=reported, created_by=user)
    Attachment.objects.filter(pk=letter.pk).update(target_id=str(old_request.pk))
    created = timezone.make_aware(dt.datetime(2026, 1, 5, 8, 30))
    OldRequest.objects.filter(pk=old_request.pk).update(created_at=created)
    notification = Notification.objects.create(
        recipient=user, subject="技术支持请求", body="请答复。", target_type=request_type,
        target_id=str(old_request.pk), url=f"/townships/assistance/{old_request.pk}/")
    request_deadline = Deadline.objects.create(
        target_type=request_type, target_id=str(old_request.pk), target_repr="违建结构安全鉴定",
        rule="assistance_reply", responsible=dept, start=created, due=created + dt.timedelta(days=10),
        warn_at=created + dt.timedelta(days=9), remind_at=created + dt.timedelta(days=9))

    new_apps = _migrate(AFTER)
    Complaint = new_apps.get_model("complaints", "Complaint")
    NewRequest = new_apps.get_model("complaints", "AssistanceRequest")
    Deadline = new_apps.get_model("deadlines", "Deadline")
    Attachment = new_apps.get_model("core", "Attachment")
    Notification = new_apps.get_model("deadlines", "Notification")
    Counter = new_apps.get_model("documents", "DocumentCounter")
    ContentType = new_apps.get_model("contenttypes", "ContentType")
    entries = {(c.matter, c.unit_id): c for c in Complaint.objects.all()}
    assert len(entries) == 5  # a notice another unit handled is two entries

    one = entries[("海滨路夜市占道经营", town.pk)]
    assert (one.kind, one.channel, one.status, one.year) == ("complaint", "phone", "registered", 2025)
    assert (one.complainant_name, one.complainant_phone) == ("岳明远", "13912345678")
    assert one.received_at == received and one.created_by_id == user.pk
    assert one.subject_org_id == dept.pk  # the department is neither receiver nor handler
    assert one.accepted_at is None and one.told_at is None and one.result == "" and one.concluded_at is None
    assert one.referred_from_id is None and one.transferred_to_id is None

    origin, continued = entries[("戴河沿岸违规搭建", town.pk)], entries[("戴河沿岸违规搭建", other_town.pk)]
    assert (origin.status, origin.transferred_to_id, origin.told_at) == ("transferred", other_town.pk, told)
    assert (origin.complainant_name, origin.complainant_phone, origin.created_by_id) == ("韩立", "13700001111", user.pk)
    assert (continued.channel, continued.referred_from_id, continued.status) == ("transfer", origin.pk, "answered")
    assert (continued.complainant_name, continued.complainant_phone) == ("韩立", "13700001111")
    assert continued.accepted_at == told and continued.received_at == received
    assert (continued.result, continued.concluded_at) == ("已拆除违建并回访", reported)
    assert (continued.answer, continued.answered_at) == ("已拆除违建并回访", reported)
    assert origin.subject_org_id == continued.subject_org_id == dept.pk

    by_dept = entries[("城管执法车辆占用人行道", dept.pk)]
    assert by_dept.subject_org_id is None  # the department handles it itself
    assert (by_dept.status, by_dept.accepted_at, by_dept.complainant_phone) == ("accepted", told, "0335-4041234")
    assert entries[("城管执法车辆占用人行道", town.pk)].status == "transferred"

    # Ledger numbers per unit and year from the document counter, gap-free.
    assert one.number == "北海滨投〔2025〕1号" and origin.number == "北海滨投〔2025〕2号"
    assert continued.number == "北戴河投〔2025〕1号"
    assert Counter.objects.get(issuer_id=town.pk, number_code="投诉举报", year=2025).last_sequence == 3

    request = NewRequest.objects.get()
    assert (request.requester_id, request.addressee_id, request.kind) == (town.pk, dept.pk, "technical")
    assert (request.subject, request.content, request.letter_id) == ("违建结构安全鉴定", "请派员协助鉴定。", letter.pk)
    assert (request.reply_due, request.status, request.reply) == (dt.date(2026, 1, 15), "replied", "已派员鉴定，报告附后。")
    assert (request.replied_at, request.created_by_id, request.created_at) == (reported, user.pk, created)

    # What pointed at the old rows points at the new ones.
    complaint_type = ContentType.objects.get(app_label="complaints", model="complaint")
    new_request_type = ContentType.objects.get(app_label="complaints", model="assistancerequest")
    moved = Deadline.objects.get(pk=old_deadline.pk)
    assert (moved.target_type_id, moved.target_id) == (complaint_type.pk, str(continued.pk))
    moved = Deadline.objects.get(pk=request_deadline.pk)
    assert (moved.target_type_id, moved.target_id) == (new_request_type.pk, str(request.pk))
    moved = Attachment.objects.get(pk=letter.pk)
    assert (moved.target_type_id, moved.target_id) == (new_request_type.pk, str(request.pk))
    moved = Notification.objects.get(pk=notification.pk)
    assert (moved.target_type_id, moved.target_id) == (new_request_type.pk, str(request.pk))
    assert moved.url == f"/complaints/assistance/{request.pk}/"
    tables = connection.introspection.table_names()
    assert "townships_complaintnotice" not in tables and "townships_assistancerequest" not in tables
