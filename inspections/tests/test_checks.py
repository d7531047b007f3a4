"""Checks, findings, the bulletin and the instruments (M7.1–M7.5), through the services."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core import policy
from core.audit import events_for as check_events
from core.testing import assert_audited
from deadlines.models import Deadline, DeadlineState
from deadlines.notifications import Notification
from documents import services as document_services
from documents.models import Document, RectificationKind, RectificationStatus
from inspections import selectors, services
from inspections.models import Check, CheckItem, CheckMethod, CheckStatus, Finding, UnitStatus

from .conftest import scan

pytestmark = pytest.mark.django_db


def _materials(row) -> Deadline:
    return Deadline.objects.get(rule="inspection_materials", target_id=str(row.pk))


def test_m7_1_the_bureau_checks_any_department_and_the_legal_unit_only_its_own(district):
    today = timezone.localdate()
    with assert_audited("inspections.check.create"):
        check = services.check_create(
            actor=district.supervisor, organizer=district.bureau, title="城管执法专项检查", kind="routine",
            method=CheckMethod.DAILY, items=[CheckItem.DUTIES], units=[district.urban, district.township],
            team=[district.supervisor], starts_on=today, ends_on=today, materials_request="执法台账。",
            materials_due_on=today)
    assert check.status == CheckStatus.PLANNED
    # The department's legal unit checks its own brigade …
    internal = district.check(organizer=district.market, actor=district.market_legal, units=[district.brigade])
    assert internal.status == CheckStatus.UNDERWAY
    # … but not another department, and a department head plans no check.
    with pytest.raises(ValidationError, match="只能检查本部门"):
        district.check(organizer=district.market, actor=district.market_legal, units=[district.urban])
    with pytest.raises(PermissionDenied):
        district.check(organizer=district.market, actor=district.market_head, units=[district.brigade])


def test_m7_2_m7_3_a_check_names_its_items_kind_and_method_and_a_special_check_its_field(district):
    with pytest.raises(ValidationError) as error:
        district.check(items=["not-an-item"], field_note="")
    assert set(error.value.message_dict) == {"items", "field_note"}
    check = district.check()
    assert check.item_labels[0] == "行政执法公示、全过程记录、重大执法决定法制审核制度落实情况"
    assert check.get_method_display() == "抽查"


def test_m7_4_each_unit_is_notified_with_its_materials_deadline_met_by_its_upload(district):
    check = district.check(units=[district.market, district.urban], started=False)
    with assert_audited("inspections.check.transition", check):
        services.check_start(actor=district.supervisor, check=check)
    rows = {r.unit_id: r for r in check.unit_rows.all()}
    assert {r.status for r in rows.values()} == {UnitStatus.ASKED}
    deadline = _materials(rows[district.market.pk])
    assert deadline.responsible == district.market and deadline.state == DeadlineState.OPEN
    assert deadline.due == check.materials_due
    assert Notification.objects.filter(recipient=district.market_head, subject__contains="监督检查通知").exists()
    row = rows[district.market.pk]
    with pytest.raises(PermissionDenied):  # another unit cannot provide for it
        services.check_materials_provide(actor=district.urban_head, row=row, note="材料")
    with assert_audited("inspections.checkunit.transition", row):
        services.check_materials_provide(actor=district.market_legal, row=row, note="案卷目录已上传。",
                                         files=[scan("案卷目录.png")])
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET and not deadline.is_late
    assert _materials(rows[district.urban.pk]).state == DeadlineState.OPEN


def test_m7_3_an_unannounced_visit_tells_no_one_and_is_hidden_from_the_unit_until_circulated(district):
    check = district.check(method=CheckMethod.UNANNOUNCED, materials_request="", materials_due_on=None)
    row = check.unit_rows.get()
    assert row.status == UnitStatus.PENDING
    assert not Deadline.objects.filter(rule="inspection_materials").exists()
    assert not Notification.objects.filter(recipient=district.market_head).exists()
    assert not policy.visible_to(district.market_head, Check).filter(pk=check.pk).exists()
    district.circulated(check)
    assert policy.visible_to(district.market_head, Check).filter(pk=check.pk).exists()


def test_m7_5_findings_per_unit_and_item_with_evidence(district):
    check = district.check()
    with pytest.raises(ValidationError, match="不是本次检查的被检查单位"):
        services.finding_add(actor=district.supervisor, check=check, unit=district.urban,
                             item=CheckItem.CASE_FILES, description="案卷不全。")
    with assert_audited("inspections.finding.add"):
        finding = services.finding_add(actor=district.supervisor, check=check, unit=district.market,
                                       item=CheckItem.CASE_FILES, description="案卷装订不规范。",
                                       files=[scan("照片.png")])
    assert finding.get_item_display() == "行政执法案卷管理情况"
    assert policy.visible_to(district.market_head, Finding).filter(pk=finding.pk).exists()
    assert not policy.visible_to(district.urban_head, Finding).filter(pk=finding.pk).exists()


def test_m7_5_the_numbered_bulletin_is_circulated_to_every_unit(district):
    check = district.check()
    services.finding_add(actor=district.supervisor, check=check, unit=district.market,
                         item=CheckItem.THREE_SYSTEMS, description="决定未按时公示。")
    with pytest.raises(PermissionDenied):  # not before the check has finished
        services.check_bulletin_issue(actor=district.supervisor, check=check, summary="情况", requirements="要求")
    services.check_transition(actor=district.supervisor, check=check, target=CheckStatus.FINISHED)
    with assert_audited("document.issue"):
        bulletin = services.check_bulletin_issue(actor=district.supervisor, check=check,
                                                 summary="区司法局开展了专项检查。", requirements="举一反三。")
    check.refresh_from_db()
    assert check.status == CheckStatus.CIRCULATED and check.bulletin == bulletin
    assert bulletin.number.startswith("北司通〔") and bulletin.data["findings"][0]["unit"] == "区市场监督管理局"
    # 印发全市: every department and township is told, and reads it — the urban bureau too.
    for user in (district.urban_head, district.market_head):
        assert Notification.objects.filter(recipient=user, subject__contains=bulletin.number).exists()
        assert policy.visible_to(user, Document).filter(pk=bulletin.pk).exists()


@pytest.mark.parametrize("kind,title", [("supervision_notice", "行政执法监督通知书"),
                                        ("supervision_opinion", "行政执法监督意见书"),
                                        ("supervision_decision", "行政执法监督决定书")])
def test_m7_5_each_instrument_runs_the_rectification_loop_to_acceptance(district, kind, title):
    check = district.circulated()
    row = check.unit_rows.get()
    with assert_audited("inspections.instrument.issue", row):
        document = services.check_instrument_issue(
            actor=district.supervisor, row=row, kind=kind, facts=selectors.instrument_facts(row),
            legal_basis="《行政执法监督条例》。", rectification="对未公示的决定立即公示。",
            deadline=timezone.localdate() + dt.timedelta(days=20), report_method="书面报告区司法局。")
    assert document.title == title and document.addressee == district.market
    deadline = Deadline.objects.get(rule="rectification", target_id=str(document.pk))
    assert deadline.imposed_by == district.bureau
    with pytest.raises(PermissionDenied):  # one instrument per unit
        district.instrument(check, kind)
    assert document_services.may_report_rectification(district.market_head, document)
    report = document_services.rectification_submit(actor=district.market_head, notice=document,
                                                    kind=RectificationKind.REPORT, body="已整改。")
    with pytest.raises(ValidationError, match="整改未验收"):
        services.check_transition(actor=district.supervisor, check=check, target=CheckStatus.CLOSED)
    document_services.rectification_reply(actor=district.supervisor, report=report,
                                          target=RectificationStatus.ACCEPTED)
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET
    services.check_transition(actor=district.supervisor, check=check, target=CheckStatus.CLOSED)
    assert Check.objects.get(pk=check.pk).status == CheckStatus.CLOSED


def test_m7_5_no_instrument_for_a_unit_without_findings(district):
    check = district.circulated(district.check(units=[district.market, district.urban]))
    urban_row = check.unit_rows.get(unit=district.urban)
    assert not services.may_issue_instrument(district.supervisor, urban_row)
    with pytest.raises(PermissionDenied):
        services.check_instrument_issue(actor=district.supervisor, row=urban_row, kind="supervision_notice",
                                        facts="无", legal_basis="无", rectification="无",
                                        deadline=timezone.localdate() + dt.timedelta(days=5), report_method="无")


def test_m7_a_planned_check_is_cancelled_only_with_a_reason(district):
    check = district.check(started=False)
    with pytest.raises(ValidationError, match="须填写理由"):
        services.check_transition(actor=district.supervisor, check=check, target=CheckStatus.CANCELLED)
    with assert_audited("inspections.check.transition", check):
        services.check_transition(actor=district.supervisor, check=check, target=CheckStatus.CANCELLED,
                                  note="与市级检查重复。")
    assert Check.objects.get(pk=check.pk).cancel_reason == "与市级检查重复。"


def _plan(check, **changes) -> dict:
    data = {"title": check.title, "kind": check.kind, "method": check.method, "items": check.items,
            "units": [r.unit for r in check.unit_rows.all()], "team": list(check.team.all()),
            "starts_on": check.starts_on, "ends_on": check.ends_on, "field_note": check.field_note,
            "materials_request": check.materials_request, "materials_due_on": check.materials_due_on}
    return {**data, **changes}


def test_m7_1_m7_4_a_planned_check_is_edited_under_the_planning_rules_and_recorded(district):
    check = district.check(started=False)
    with pytest.raises(ValidationError, match="只能检查本部门|本区行政执法部门"):
        services.check_update(actor=district.supervisor, check=check,
                              **_plan(check, units=[district.bureau]))
    with pytest.raises(ValidationError, match="请写明重点领域"):
        services.check_update(actor=district.supervisor, check=check, **_plan(check, field_note=""))
    with pytest.raises(PermissionDenied):
        services.check_update(actor=district.market_head, check=check, **_plan(check, title="改"))
    with assert_audited("inspections.check.update", check):
        services.check_update(actor=district.supervisor, check=check,
                              **_plan(check, title="市场监管与城管联合专项检查",
                                      units=[district.urban, district.township]))
    check.refresh_from_db()
    assert check.title == "市场监管与城管联合专项检查"
    assert set(check.unit_rows.values_list("unit__name", flat=True)) == {district.urban.name, district.township.name}
    event = check_events(check).get(verb="inspections.check.update")
    assert event.changes["title"] == ["市场监管领域行政处罚专项监督检查", "市场监管与城管联合专项检查"]
    assert event.changes["units"] == [[district.market.name], sorted([district.urban.name, district.township.name])]
    # Starting notifies the units the edited plan names.
    services.check_start(actor=district.supervisor, check=check)
    assert set(check.unit_rows.values_list("status", flat=True)) == {UnitStatus.ASKED}


def test_m7_4_a_started_check_cannot_be_edited(district):
    check = district.check()  # started: the units were notified
    with pytest.raises(ValidationError, match="检查方案只能在拟定阶段修改"):
        services.check_update(actor=district.supervisor, check=check, **_plan(check, title="改名"))
    assert not services.may_edit_check(district.supervisor, check)
    assert Check.objects.get(pk=check.pk).title == "市场监管领域行政处罚专项监督检查"


def test_m8_findings_of_circulated_checks_are_offered_to_accountability(district):
    from inspections.selectors import findings_for_accountability

    check = district.check()
    services.finding_add(actor=district.supervisor, check=check, unit=district.market,
                         item=CheckItem.DUTIES, description="不履行法定职责。")
    assert not findings_for_accountability().exists()
    district.circulated(check)
    assert findings_for_accountability().count() == 2
