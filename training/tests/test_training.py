"""Training records (W1): sessions by topic with hours and trainer, attendees picked or
imported from Excel (every row checked, all or none), hours per unit and per officer
against the yearly target; pages, export, API, dashboard and demo."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from core import demo, policy
from core.models import Role
from core.testing import OrganizationFactory, assert_audited, justice_bureau, member
from dashboard.registry import Period, Scope
from training import indicators, selectors, services
from training.dashboard import training_panel
from training.models import Attendance, Topic, TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(db):
    market = OrganizationFactory(name="区市场监督管理局")
    urban = OrganizationFactory(name="区城市管理综合行政执法局")
    bureau = justice_bureau()
    return {
        "market": market, "urban": urban, "bureau": bureau,
        "supervisor": member(Role.SUPERVISOR, bureau, username="jdy1"),
        "head": member(Role.DEPARTMENT_HEAD, market, username="scjfzr", real_name="市监局长"),
        "a": member(Role.OFFICER, market, username="scj1", real_name="执法员甲", certificate_no="13030000001"),
        "b": member(Role.OFFICER, market, username="scj2", real_name="执法员乙"),
        "c": member(Role.OFFICER, urban, username="cg1", real_name="城管员丙"),
    }


def session(town, actor=None, organizer=None, hours="16", **kw):
    return services.training_session_create(
        actor=actor or town["supervisor"], organizer=organizer or town["bureau"], topic=Topic.THREE_SYSTEMS,
        title="三项制度专题培训", held_on=kw.get("held_on", timezone.localdate()), hours=Decimal(hours),
        trainer="省司法厅专家", attendees=kw.get("attendees", ()))


def sheet(*rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "执法证号或用户名", "单位"])
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_w1_session_with_topic_hours_trainer_and_attendees_counts_per_unit_and_officer(town, settings):
    settings.TRAINING_HOURS_PER_YEAR = 20
    with assert_audited("training.session.create"):
        s = services.training_session_create(
            actor=town["supervisor"], organizer=town["bureau"], topic=Topic.THREE_SYSTEMS, title="三项制度专题培训",
            held_on=timezone.localdate(), hours=Decimal("16"), trainer="省司法厅专家",
            attendees=[town["a"], town["c"]])
    assert {a.organization for a in s.attendances.all()} == {town["market"], town["urban"]}
    with assert_audited("training.attendees.add", s):
        services.training_attendees_add(actor=town["supervisor"], session=s, people=[town["b"]])
    session(town, hours="8", attendees=[town["a"]])
    year = timezone.localdate().year
    assert indicators.hours_by_unit(year) == {town["market"].pk: Decimal("40"), town["urban"].pk: Decimal("16")}
    hours = {m.user.username: m.hours for m in selectors.officer_hours(town["supervisor"], {"year": year})}
    assert hours == {"scjfzr": 0, "scj1": 24, "scj2": 16, "cg1": 16}
    short = {m.user.username for m in selectors.officer_hours(town["supervisor"], {"year": year, "short": True})}
    assert short == {"scjfzr", "scj2", "cg1"}  # below 20 hours


def test_w1_a_department_trains_only_its_own_staff(town):
    own = session(town, actor=town["head"], organizer=town["market"])
    with pytest.raises(ValidationError, match="不是区市场监督管理局的工作人员"):
        services.training_attendees_add(actor=town["head"], session=own, people=[town["c"]])
    with pytest.raises(PermissionDenied):
        session(town, actor=town["a"], organizer=town["market"])
    with pytest.raises(ValidationError, match="培训日期不能晚于今天"):
        session(town, held_on=timezone.localdate() + dt.timedelta(days=1))


def test_w1_excel_import_reports_every_faulty_row_and_imports_none(town):
    s = session(town)
    with pytest.raises(ValidationError) as refused:
        services.training_attendees_import(actor=town["supervisor"], session=s, fileobj=sheet(
            ("执法员甲", "13030000001", ""), ("执法员丁", "nobody", ""), ("错名字", "scj2", ""),
            ("执法员甲", "scj1", "")))
    messages = refused.value.messages
    assert any("第 3 行：找不到执法证号或用户名为“nobody”" in m for m in messages)
    assert any("第 4 行：“scj2”的姓名是“执法员乙”" in m for m in messages)
    assert any("第 5 行：执法员甲重复" in m for m in messages)
    assert not Attendance.objects.exists()  # all rows or none
    with assert_audited("training.attendees.add", s):
        created = services.training_attendees_import(actor=town["supervisor"], session=s, fileobj=sheet(
            ("执法员甲", "13030000001", "区市场监督管理局"), ("城管员丙", "cg1", "")))
    assert len(created) == 2
    with pytest.raises(ValidationError, match="第一行须为表头"):
        buf = io.BytesIO()
        wb = Workbook()
        wb.active.append(["名字"])
        wb.save(buf)
        buf.seek(0)
        services.training_attendees_import(actor=town["supervisor"], session=s, fileobj=buf)


def test_w1_attendee_removed_by_the_organiser(town):
    s = session(town, attendees=[town["a"]])
    with assert_audited("training.attendees.remove", s):
        services.training_attendee_remove(actor=town["supervisor"], attendance=s.attendances.get())
    assert not s.attendances.exists()


def test_w1_pages_import_report_on_the_form_hours_and_api_scope(town, client):
    s = session(town, attendees=[town["a"]])
    client.force_login(town["supervisor"])
    response = client.post(reverse("training:attendees_import", args=[s.pk]),
                           {"file": _upload(sheet(("无此人", "zzz", "")))})
    assert response.status_code == 200 and "第 2 行：找不到执法证号或用户名为“zzz”的人员" in response.content.decode()
    page = client.get(reverse("training:hours"), {"short": "on"}).content.decode()
    assert "城管员丙" in page and 'id="unit-hours"' in page
    assert client.get(reverse("training:list"), {"q": "三项"}).content.decode().count(s.title) >= 1
    export = client.get(reverse("training:hours"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxml")
    client.force_login(town["c"])  # another unit's officer who did not attend
    assert client.get(s.get_absolute_url()).status_code == 404
    assert client.get("/api/v1/training-sessions/").json()["count"] == 0
    client.force_login(town["a"])
    assert client.get("/api/v1/training-sessions/").json()["count"] == 1


def _upload(buf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("名单.xlsx", buf.read(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def test_w1_dashboard_panel_in_two_statements(town, django_assert_max_num_queries):
    session(town, attendees=[town["a"], town["b"]])
    year = timezone.localdate().year
    user = town["supervisor"]
    scope = Scope(user=user, viewer=policy.viewer(user), now=timezone.now(),
                  period=Period("year", dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年"),
                  organizations=(), org_ids=None)
    with django_assert_max_num_queries(2):
        panel = training_panel(scope)
    figures = {m.label: m.figure for m in panel.metrics}
    assert figures["举办培训"].value == 1 and figures["参训人次"].value == 2
    assert figures[f"{year}年度学时未达标人员"].value == 4


def test_w1_demo_sessions_with_attendees():
    demo.seed()
    demo.seed()
    assert TrainingSession.objects.count() == 3
    assert {s.topic for s in TrainingSession.objects.all()} == {Topic.THREE_SYSTEMS, Topic.RESPONSIBILITY,
                                                                Topic.MODEL_CREATION}
    assert Attendance.objects.count() == 15
