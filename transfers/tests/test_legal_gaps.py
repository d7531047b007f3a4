"""The ways around the transfer rules that a clause-by-clause audit found (issue 15), each
closed and pinned: M15.1's kind, M4.3's report to the higher authority, M4.4's outcomes and
decision copies, M4.5's orders and sanctions, the letter's catalogue, decree 310's periods."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases import services as case_services
from cases.models import CaseStatus
from core.models import Organization, OrgKind, Role
from core.testing import member
from deadlines.calendar import SHANGHAI
from deadlines.models import Deadline
from deadlines.rules import RULES, Unit, compute_due
from transfers import selectors, services
from transfers.models import (
    REQUIRED_MATERIALS,
    CriminalOutcome,
    MaterialType,
    ResponsibleHead,
    Sanction,
    Transfer,
    TransferKind,
    TransferStatus,
)
from transfers.workflow import missing_materials

from .helpers import World, case_of, complete, org, record, send_criminal, upload

pytestmark = pytest.mark.django_db
S = TransferStatus
K = TransferKind


@pytest.fixture
def world():
    return World()


def _send_criminal(world, transfer=None) -> Transfer:
    transfer = transfer or world.transfer(K.CRIMINAL)
    complete(world.head, transfer)
    return send_criminal(world.head, transfer)


# --- M15.1 -------------------------------------------------------------------------------
def test_m15_1_township_to_department_is_always_the_township_kind(world):
    """M15.1 cannot be avoided: a township picking 移送有管辖权的部门 for a district
    department still makes a township transfer, with its discovery time, its basic facts
    and its 3-working-day timer."""
    township = org(OrgKind.TOWNSHIP)
    head = member(Role.DEPARTMENT_HEAD, township)
    case = case_of(township)
    common = dict(actor=head, kind=K.COMPETENT, sender=township, receiver=world.receiver,
                  case=case, subject="占道经营", reason="属区职能部门管辖")
    with pytest.raises(ValidationError) as refused:
        services.transfer_create(**common)
    assert "discovered_at" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.transfer_create(**common, discovered_at=timezone.now() - dt.timedelta(hours=2))
    assert "basic_facts" in refused.value.error_dict
    transfer = services.transfer_create(**common, basic_facts="某商户占道经营。",
                                        discovered_at=timezone.now() - dt.timedelta(hours=2))
    assert transfer.kind == K.TOWNSHIP
    assert Deadline.objects.filter(target_id=str(transfer.pk), rule="township_transfer").exists()
    # The other way too: a district department to a township.
    back = services.transfer_create(actor=world.head, kind=K.COMPETENT, sender=world.sender,
                                    receiver=township, case=world.case, subject="噪声扰民",
                                    reason="属乡镇管辖", basic_facts="夜间施工噪声。",
                                    discovered_at=timezone.now() - dt.timedelta(hours=1),
                                    is_urgent=True)
    assert back.kind == K.TOWNSHIP
    assert Deadline.objects.filter(target_id=str(back.pk), rule="township_transfer_urgent").exists()


def test_m15_1_an_internal_unit_sends_only_where_a_law_empowers_it(world):
    """M15.1 法律法规规章明确规定的除外: the exception is the unit's attribute, set by an
    administrator with its legal basis — then the unit sends in its own name."""
    from transfers.forms import sender_choices

    unit = Organization.objects.create(name="测试市场监管所", short_name="测监管所",
                                       kind=OrgKind.INTERNAL_UNIT, parent=world.sender)
    unit_head = member(Role.DEPARTMENT_HEAD, unit)
    common = dict(actor=unit_head, kind=K.COMPETENT, sender=unit, receiver=world.receiver,
                  subject="x", reason="y", case=case_of(unit))
    with pytest.raises(ValidationError, match="内设机构"):
        services.transfer_create(**common)
    assert unit not in sender_choices(unit_head)
    unit.empowered_basis = "《中华人民共和国食品安全法》第一百一十条"
    unit.save()
    assert unit in sender_choices(unit_head)
    assert services.transfer_create(**common).sender == unit


# --- M4.3 --------------------------------------------------------------------------------
def test_m4_3_the_report_goes_to_the_named_higher_authority_not_the_parent(world):
    """M4.3: the next-higher enforcement authority is its own field; an internal unit's
    department (``parent``) is not it."""
    world.sender.parent = org(name="测试上级单位", short_name="测上单")
    world.sender.save()
    transfer = _send_criminal(world)
    assert transfer.reported_to == world.higher
    assert world.higher in transfer.copied_to.all()
    assert world.sender.parent not in transfer.copied_to.all()


def test_m4_3_without_a_higher_authority_the_sender_is_told_and_the_bureau_sees_it(client, world):
    """M4.3: never skipped silently — the sender is warned before sending, the transfer
    records that no report was made, and the justice bureau's page counts it."""
    world.sender.higher_authority = None
    world.sender.save()
    transfer = world.transfer(K.CRIMINAL)
    client.force_login(world.head)
    assert 'id="no-higher-authority"' in client.get(transfer.get_absolute_url()).content.decode()
    transfer = _send_criminal(world, transfer)
    assert transfer.reported_to is None
    client.force_login(world.supervisor)
    response = client.get("/transfers/supervision/")
    assert response.context["counts"]["unreported"] == 1
    listed = client.get("/transfers/supervision/", {"state": "unreported"})
    assert [t.pk for t in listed.context["page"]] == [transfer.pk]


def test_m4_3_the_demo_district_reports_to_its_city_level_authorities():
    """M4.3 in ``make run``: every district department of the demo has a higher authority."""
    from core.demo import seed

    seed()
    departments = Organization.objects.filter(kind=OrgKind.DEPARTMENT)
    assert departments.exists()
    assert not departments.filter(higher_authority__isnull=True).exists()
    assert Organization.objects.get(name="北戴河区市场监督管理局").higher_authority.name == "秦皇岛市市场监督管理局"


# --- M4.4 --------------------------------------------------------------------------------
def test_m4_4_the_sender_cannot_lift_its_own_block(world):
    """M4.4: the outcome is recorded by the organ that made it, with its document — the
    sender's officer recording 无罪判决 is refused and the block stays."""
    transfer = _send_criminal(world)
    services.transfer_transition(actor=world.police_user, transfer=transfer, target=S.FILED)
    officer = member(Role.OFFICER, world.sender)
    for user in (officer, world.head, world.police_user):
        with pytest.raises(PermissionDenied):
            record(user, transfer, CriminalOutcome.ACQUITTED)
    with pytest.raises(ValidationError):
        services.transfer_transition(actor=world.head, transfer=transfer, target=S.CONCLUDED)
    assert selectors.transfer_blocks_decision(world.case)
    # 不起诉 only by the procuratorate; a court's judgment by it or the justice bureau.
    with pytest.raises(PermissionDenied):
        record(world.supervisor, transfer, CriminalOutcome.NOT_PROSECUTED)
    record(world.supervisor, transfer, CriminalOutcome.ACQUITTED, "区法院判决无罪")
    transfer.refresh_from_db()
    assert transfer.outcome_by == world.bureau and transfer.outcome_document.original_name == "决定书.pdf"
    assert selectors.transfer_blocks_decision(world.case) == []


def test_m4_4_police_decisions_are_theirs_and_carry_their_document(world):
    transfer = _send_criminal(world)
    with pytest.raises(ValidationError, match="决定书"):
        services.transfer_transition(actor=world.police_user, transfer=transfer, target=S.NOT_FILED,
                                     note="不够追诉标准")
    with pytest.raises(ValidationError, match="理由"):
        record(world.police_user, transfer, CriminalOutcome.NOT_FILED, note="")
    record(world.police_user, transfer, CriminalOutcome.NOT_FILED, "不够追诉标准")
    transfer.refresh_from_db()
    assert transfer.outcome_by == world.police and transfer.outcome_document is not None


def test_m4_4_a_conviction_does_not_release_the_block(world):
    transfer = _send_criminal(world)
    services.transfer_transition(actor=world.police_user, transfer=transfer, target=S.FILED)
    record(world.prosecutor, transfer, CriminalOutcome.CONVICTED, "区法院判决有罪")
    decider = member(Role.DEPARTMENT_HEAD, world.sender)
    with pytest.raises(ValidationError, match="有罪判决"):
        case_services.case_transition(case=world.case, target=CaseStatus.DECIDED, actor=decider)


def test_m4_4_no_decision_while_a_refusal_can_still_be_reconsidered(world):
    """M4.4 with decree 310 art. 9: within the 3-day request window, during a
    reconsideration and during the procuratorate's filing supervision the department may
    not decide; after the window it may."""
    refused = dt.datetime(2026, 3, 4, 10, tzinfo=SHANGHAI)  # Wednesday
    with time_machine.travel(refused - dt.timedelta(hours=2), tick=False):
        transfer = _send_criminal(world)
    with time_machine.travel(refused, tick=False):
        record(world.police_user, transfer, CriminalOutcome.NOT_FILED, "不够追诉标准")
        assert selectors.transfer_blocks_decision(world.case)
        # The sender asks the procuratorate to supervise instead: blocked until it answers.
        services.transfer_transition(actor=world.head, transfer=transfer,
                                     target=S.FILING_SUPERVISION, note="涉案金额已达追诉标准")
        assert "立案监督" in transfer.get_status_display()
        assert selectors.transfer_blocks_decision(world.case)
        with pytest.raises(PermissionDenied):  # the justice bureau does not answer for it
            record(world.supervisor, transfer, CriminalOutcome.NOT_FILED, "理由成立")
        record(world.prosecutor, transfer, CriminalOutcome.NOT_FILED, "不予立案理由成立")
        transfer.refresh_from_db()
        assert transfer.status == S.NOT_FILED and transfer.outcome_by == world.procuratorate
        assert selectors.transfer_blocks_decision(world.case)  # the window is still open
    with time_machine.travel(dt.datetime(2026, 3, 10, 0, 1, tzinfo=SHANGHAI), tick=False):
        assert selectors.transfer_blocks_decision(world.case) == []


def test_m4_4_the_competent_department_decides_not_to_file(world):
    """M4.4 接收部门决定不予立案: recorded by the receiving department with its decision;
    until then the sender may not decide the case it transferred."""
    transfer = world.transfer()
    complete(world.head, transfer)
    services.transfer_transition(actor=world.head, transfer=transfer, target=S.SENT)
    assert selectors.transfer_blocks_decision(world.case)
    with pytest.raises(PermissionDenied):
        record(world.head, transfer, CriminalOutcome.NOT_FILED)
    assert dict(selectors.outcome_choices(world.receiver_officer, transfer)) == {
        CriminalOutcome.NOT_FILED: "决定不予立案"}
    record(world.receiver_officer, transfer, CriminalOutcome.NOT_FILED, "不属本部门管辖范围")
    transfer.refresh_from_db()
    assert transfer.status == S.REFUSED and transfer.outcome_by == world.receiver
    assert selectors.transfer_blocks_decision(world.case) == []


def test_m4_4_a_decision_made_travels_as_required_material_and_is_copied(world):
    """M4.4: a decision already made travels with the transfer as the 行政执法决定书 (a
    required material) and is copied to the procuratorate and the justice bureau."""
    world.case.decision_date = timezone.localdate()
    world.case.save()
    transfer = world.transfer()
    for m in (MaterialType.INVESTIGATION_REPORT, MaterialType.ITEM_LIST, MaterialType.INSPECTION_REPORT):
        upload(world.head, transfer, m)
    with pytest.raises(ValidationError, match="行政执法决定书"):
        services.transfer_letter_issue(actor=world.head, transfer=transfer)
    assert "缺少移送材料：行政执法决定书。" in missing_materials(transfer)
    upload(world.head, transfer, MaterialType.ADMINISTRATIVE_DECISION)
    services.transfer_letter_issue(actor=world.head, transfer=transfer)
    services.transfer_transition(actor=world.head, transfer=transfer, target=S.SENT)
    transfer.refresh_from_db()
    assert transfer.decision_travels
    assert set(transfer.copied_to.all()) == {world.procuratorate, world.bureau}
    assert selectors.transfer_blocks_decision(world.case) == []


# --- M4.5 --------------------------------------------------------------------------------
def _order(world, **kwargs):
    return services.transfer_order_issue(
        actor=world.supervisor, issuer=world.bureau, department=world.sender, case=world.case,
        receiver=kwargs.pop("receiver", world.police), reason="涉嫌犯罪未移送",
        due=timezone.now() + dt.timedelta(days=5), **kwargs)


def test_m4_5_an_order_is_met_only_by_the_matching_transfer(world):
    """M4.5: ordered to the police, a transfer of the case to another department does not
    meet the order; the transfer of that case to the police of the criminal kind does."""
    order = _order(world)
    elsewhere = world.transfer()
    assert elsewhere.order is None
    complete(world.head, elsewhere)
    services.transfer_transition(actor=world.head, transfer=elsewhere, target=S.SENT)
    order.refresh_from_db()
    assert order.complied_at is None
    transfer = _send_criminal(world)
    order.refresh_from_db()
    assert transfer.order == order and order.complied_at is not None


def test_m4_5_the_sanction_names_the_responsible_head_and_demerit_or_heavier(world):
    order = _order(world)
    base = dict(actor=world.supervisor, order=order, person="李某", proposal="逾期未移送")
    with pytest.raises(ValidationError) as refused:
        services.transfer_order_propose_sanction(**base, post="deputy", sanction=Sanction.DEMERIT)
    assert "post" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.transfer_order_propose_sanction(**base, post=ResponsibleHead.ACTING, sanction="warning")
    assert "sanction" in refused.value.error_dict
    assert [label for _v, label in Sanction.choices] == ["记过", "记大过", "降级", "撤职", "开除"]
    services.transfer_order_propose_sanction(**base, post=ResponsibleHead.ACTING,
                                             sanction=Sanction.MAJOR_DEMERIT)
    order.refresh_from_db()
    assert order.get_sanction_post_display() == "主持工作的负责人"
    assert order.get_sanction_display() == "记大过"


# --- item 8: the letter's catalogue ------------------------------------------------------
def test_m4_2_the_letters_catalogue_is_the_one_at_sending(world):
    """The 案件移送书 lists the materials sent with it: it is issued once the others are
    attached, and none can be added or removed after it — the supervisors' copy never
    shows an empty catalogue."""
    transfer = world.transfer(K.CRIMINAL)
    with pytest.raises(ValidationError, match="请先上传"):
        services.transfer_letter_issue(actor=world.head, transfer=transfer)
    complete(world.head, transfer)
    letter = transfer.materials.get(material_type=MaterialType.TRANSFER_LETTER).document
    assert sorted(letter.data["materials"]) == sorted(["案件调查报告", "涉案物品清单", "检验报告或鉴定结论"])
    with pytest.raises(ValidationError, match="材料目录已确定"):
        upload(world.head, transfer, MaterialType.OTHER)
    other = transfer.materials.get(material_type=MaterialType.ITEM_LIST)
    with pytest.raises(ValidationError, match="材料目录已确定"):
        services.transfer_material_remove(actor=world.head, material=other)


# --- item 9: decree 310 ------------------------------------------------------------------
def test_decree_310_periods_their_lengths_and_their_unit():
    """Decree 310: the head decides within 3 days, the police within 3 days, a
    reconsideration is answered within 3 days, the request made within 3 days — natural
    days counted from the next day; an approved transfer goes within 24 hours."""
    for code in ("criminal_transfer_decision", "police_filing_decision", "reconsideration_answer",
                 "reconsideration_request"):
        assert settings.DEADLINE_RULES[code] == 3, code
        assert settings.DEADLINE_UNITS[code] == Unit.DAYS, code
        assert RULES[code].unit == Unit.DAYS and RULES[code].length == 3
    assert settings.DEADLINE_RULES["criminal_transfer_send"] == 24
    assert RULES["criminal_transfer_send"].unit == Unit.HOURS
    # Counted from the next day: reported on Monday 2 March 10:00, due Thursday 5 March 24:00.
    monday = dt.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)
    assert compute_due(RULES["criminal_transfer_decision"], monday).due == \
        dt.datetime(2026, 3, 6, 0, 0, tzinfo=SHANGHAI)
    # An end on a rest day moves to the next working day: Wednesday 4 March + 3 days is
    # Saturday 7 March, so the period ends at 24:00 on Monday 9 March.
    wednesday = dt.datetime(2026, 3, 4, 10, tzinfo=SHANGHAI)
    assert compute_due(RULES["police_filing_decision"], wednesday).due == \
        dt.datetime(2026, 3, 10, 0, 0, tzinfo=SHANGHAI)


def test_decree_310_unit_is_a_setting(settings):
    settings.DEADLINE_UNITS = {**settings.DEADLINE_UNITS, "police_filing_decision": Unit.WORKING_DAYS}
    assert RULES["police_filing_decision"].unit == Unit.WORKING_DAYS
    settings.DEADLINE_UNITS = {**settings.DEADLINE_UNITS, "police_filing_decision": "hours"}
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        RULES["police_filing_decision"]


def test_decree_310_timers_opened_with_their_length(world):
    """The timers the workflow declares run exactly as settings say (not ``>= 3 days``)."""
    monday = dt.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)
    with time_machine.travel(monday, tick=False):
        transfer = world.transfer(K.CRIMINAL)
        complete(world.head, transfer)
        services.transfer_transition(actor=world.head, transfer=transfer, target=S.PENDING_APPROVAL)
        services.transfer_transition(actor=world.head, transfer=transfer, target=S.APPROVED)
        services.transfer_transition(actor=world.head, transfer=transfer, target=S.SENT)

    def due(rule):
        return Deadline.objects.get(target_id=str(transfer.pk), rule=rule).due

    assert due("criminal_transfer_decision") == dt.datetime(2026, 3, 6, 0, 0, tzinfo=SHANGHAI)
    assert due("criminal_transfer_send") == monday + dt.timedelta(hours=24)
    assert due("police_filing_decision") == dt.datetime(2026, 3, 6, 0, 0, tzinfo=SHANGHAI)


def test_m4_3_the_criminal_transfers_required_materials():
    """M4.2/M4.3: 案件移送书, 案件调查报告, 涉案物品清单, 检验报告或鉴定结论."""
    expected = ("案件移送书", "案件调查报告", "涉案物品清单", "检验报告或鉴定结论")
    assert tuple(MaterialType(m).label for m in REQUIRED_MATERIALS[K.CRIMINAL]) == expected
    assert tuple(MaterialType(m).label for m in REQUIRED_MATERIALS[K.COMPETENT]) == expected
