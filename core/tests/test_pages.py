"""The shared web layer (core.pages, core.timeline, core.formats, core.workflow.actions),
through the smallest app built on it (evidence) and through its units."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict

from cases.models import CaseStatus
from cases.workflow import CASE_WORKFLOW
from core import formats, navigation, pages
from core.forms import FilterForm
from core.models import Attachment, Role
from core.testing import member, supervisor
from core.timeline import timeline_for
from evidence import services as evidence_services
from evidence.models import EvidenceItem, EvidenceKind
from evidence.tests.factories import PNG, CaseFactory, EvidenceFactory

pytestmark = pytest.mark.django_db
SHANGHAI = formats.SHANGHAI


def test_a_due_at_midnight_reads_24_of_the_day_before():
    due = dt.datetime(2026, 4, 10, 0, 0, tzinfo=SHANGHAI)
    assert formats.due_text(due) == "2026年4月9日24时"
    assert formats.due_text(due, year=False) == "4月9日24时"
    assert formats.due_text(dt.datetime(2026, 4, 9, 15, 30, tzinfo=SHANGHAI)) == "2026年4月9日15:30"
    # A UTC instant is shown in Beijing time: 16:00 UTC is 24:00 in Shanghai.
    assert formats.due_text(dt.datetime(2026, 4, 9, 16, 0, tzinfo=dt.timezone.utc)) == "2026年4月9日24时"


class _Filters(FilterForm):
    q = forms.CharField(required=False)
    since = forms.DateField(required=False)


def test_an_unreadable_filter_gives_no_rows_and_an_empty_one_gives_all():
    assert pages.read_filters(_Filters, QueryDict(""))[1] == {}
    assert pages.read_filters(_Filters, QueryDict("page=3"))[1] == {}
    form, filters = pages.read_filters(_Filters, QueryDict("since=not-a-date"))
    assert filters is None and form.errors["since"]
    assert pages.read_filters(_Filters, QueryDict("q=%E5%BC%A0&since="))[1] == {"q": "张"}


def test_timeline_shows_field_labels_and_beijing_time_not_raw_names():
    item = EvidenceFactory()
    officer = member(Role.OFFICER, item.case.department)
    evidence_services.evidence_update(actor=officer, item=item, data={
        "title": "改过的标题", "obtained_on": dt.date(2026, 3, 5)})
    entry = timeline_for(item)[0]
    assert entry.title == "修改证据" and entry.who == str(officer)
    labels = {c.label: c.after for c in entry.changes}
    assert labels["证据名称"] == "改过的标题"
    assert labels["取得日期"] == "2026年3月5日"
    assert "title" not in labels and "obtained_on" not in labels


def test_a_form_refused_by_the_service_keeps_what_was_typed(client):
    """FormPage: the service's refusal lands on the form and nothing typed is lost."""
    case = CaseFactory(status=CaseStatus.CLOSED)
    officer = member(Role.OFFICER, case.department)
    client.force_login(officer)
    response = client.post(f"/evidence/case/{case.pk}/add/{EvidenceKind.OTHER}/", {
        "title": "现场照片十二张", "proves": "现场情况", "source": "现场拍摄",
        "obtained_on": "2026-11-01"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "已结案，证据不能再增加、修改或删除" in body and "现场照片十二张" in body
    assert not EvidenceItem.objects.exists()


def test_the_same_submission_posted_twice_is_carried_out_once(client):
    """A retried slow submit (the same one-time key) is not done twice."""
    item = EvidenceFactory()
    client.force_login(member(Role.OFFICER, item.case.department))
    key = str(uuid.uuid4())
    for _ in range(2):
        response = client.post(f"/evidence/{item.pk}/upload/", {
            "file": SimpleUploadedFile("照片.png", PNG, "image/png"),
            pages.SUBMISSION_FIELD: key}, follow=True)
    assert Attachment.objects.count() == 1
    assert "该表单已经提交过，未重复办理。" in response.content.decode()


def test_an_action_refused_shows_one_message_on_the_page(client):
    item = EvidenceFactory()
    client.force_login(member(Role.OFFICER, item.case.department))
    response = client.post(f"/evidence/{item.pk}/remove/", {"reason": ""}, follow=True)
    assert "删除证据须说明理由。" in response.content.decode()
    assert EvidenceItem.objects.filter(pk=item.pk).exists()


def test_actions_give_buttons_and_who_acts_next():
    case = CaseFactory(status=CaseStatus.LEGAL_REVIEW)
    officer = member(Role.OFFICER, case.department)
    actions = CASE_WORKFLOW.actions(case, officer)
    assert not actions.buttons
    assert any(w.startswith("待本单位法制机构人员") for w in actions.waiting)
    assert any("部门负责人" in w for w in actions.waiting)
    # The bureau's supervisor is not of the unit: the unit is named.
    assert all(case.department.name in w for w in CASE_WORKFLOW.actions(case, supervisor()).waiting)
    legal = member(Role.LEGAL_OFFICER, case.department)
    assert [b.label for b in CASE_WORKFLOW.actions(case, legal).buttons] == ["法制审核退回补充调查"]


def test_the_menu_groups_pages_as_the_plan_does_and_shows_only_what_the_role_can_use():
    officer = member(Role.OFFICER)
    menu = navigation.menu_for(officer)
    labels = [g["label"] for g in menu]
    assert "执法案件" in labels and "衔接" in labels
    assert "系统" not in labels  # the audit trail is not an officer's
    bureau = navigation.menu_for(supervisor())
    # The plan's four groups, in its order (协调 M1 M2 M6 M15; 监督 M3 M5 M7 M8 M9; 衔接 M4
    # M10 M14; 保障 M11 M12 M13 W1–W3), each a menu of the bureau's pages.
    assert [g["label"] for g in bureau if len(g["items"]) > 1] == ["协调", "监督", "衔接", "保障"]
    groups = {g["label"]: [i["label"] for i in g["items"]] for g in bureau}
    assert any("投诉" in label for label in groups["监督"])
    assert any("争议" in label for label in groups["协调"])
