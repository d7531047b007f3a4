"""The big-data monitoring rules (M7.3): each rule on a hand-made fixture with a record that
must be a lead and one that must not; set-based and idempotent; dismissed with a reason or
turned into a finding."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import ActType, CaseStatus, EnforcementCase
from cases.testing import CaseFactory
from core.services import attachment_store
from core.testing import assert_audited, member
from deadlines.services import deadline_meet, deadline_open
from evidence.models import EvidenceItem, EvidenceKind
from evidence.selectors import item_gaps, unconfirmed_q
from evidence.tests.factories import COMPLETE, PNG, EvidenceFactory
from inspections import leads, services
from inspections.models import CheckItem, Lead, LeadStatus
from transfers.models import Transfer, TransferKind, TransferStatus

pytestmark = pytest.mark.django_db

def _ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _deadline(case, rule: str, *, start_days_ago: int, met_after_days: int | None = None):
    d = deadline_open(target=case, rule=rule, responsible=case.department, start=_ago(start_days_ago), actor=None)
    if met_after_days is not None:
        deadline_meet(target=case, rule=rule, actor=None, at=_ago(start_days_ago) + dt.timedelta(days=met_after_days))
    return d


def _leads(rule: str) -> set[str]:
    return set(Lead.objects.filter(rule=rule).values_list("subject", flat=True))


def _compute():
    with assert_audited("inspections.leads.compute"):
        return services.leads_compute()


def _with_file(item: EvidenceItem) -> EvidenceItem:
    attachment_store(actor=item.created_by, organization=item.case.department, fileobj=io.BytesIO(PNG),
                     name="扫描件.png", size=len(PNG), target=item)
    return item


def _case(department, number: str, **fields) -> EnforcementCase:
    return CaseFactory(department=department, number=number, **fields)


@pytest.mark.parametrize("rule,deadline_rule", [
    ("publicity_late", "publicity_licensing_penalty"),
    ("publicity_late", "publicity_other"),
    ("referral_overdue", "discipline_referral"),
    ("township_transfer_late", "township_transfer"),
    # registered by complaints/hooks.py: any of the ledger's deadlines
    ("complaint_overdue", "complaint_acceptance"),
    ("complaint_overdue", "complaint_answer"),
])
def test_m7_3_a_deadline_met_late_or_not_at_all_is_a_lead_one_met_in_time_is_not(district, rule, deadline_rule):
    late = _case(district.market, "北市监罚〔2026〕1号")
    missing = _case(district.market, "北市监罚〔2026〕2号")
    in_time = _case(district.market, "北市监罚〔2026〕3号")
    running = _case(district.market, "北市监罚〔2026〕4号")
    _deadline(late, deadline_rule, start_days_ago=60, met_after_days=50)
    _deadline(missing, deadline_rule, start_days_ago=60)
    _deadline(in_time, deadline_rule, start_days_ago=60, met_after_days=1)
    _deadline(running, deadline_rule, start_days_ago=0)
    _compute()
    assert _leads(rule) == {"北市监罚〔2026〕1号", "北市监罚〔2026〕2号"}
    lead = Lead.objects.get(rule=rule, subject="北市监罚〔2026〕1号")
    assert lead.organization == district.market and lead.target == late


def test_m7_3_the_threshold_in_settings_gives_days_of_grace(district, settings):
    case = _case(district.market, "北市监罚〔2026〕9号")
    _deadline(case, "publicity_licensing_penalty", start_days_ago=60, met_after_days=16)  # ~5 days late
    settings.INSPECTION_LEAD_THRESHOLDS = {**settings.INSPECTION_LEAD_THRESHOLDS, "publicity_late": 30}
    _compute()
    assert not _leads("publicity_late")
    settings.INSPECTION_LEAD_THRESHOLDS = {**settings.INSPECTION_LEAD_THRESHOLDS, "publicity_late": 0}
    _compute()
    assert _leads("publicity_late") == {"北市监罚〔2026〕9号"}


def test_m7_3_a_penalty_above_the_transfer_threshold_with_no_transfer_is_a_lead(district, settings):
    settings.INSPECTION_LEAD_THRESHOLDS = {**settings.INSPECTION_LEAD_THRESHOLDS, "penalty_not_transferred": 50_000}
    big = _case(district.market, "北市监罚〔2026〕11号", status=CaseStatus.CLOSED, penalty_amount=Decimal(80_000))
    sent = _case(district.market, "北市监罚〔2026〕12号", status=CaseStatus.DECIDED, penalty_amount=Decimal(90_000))
    drafted = _case(district.market, "北市监罚〔2026〕13号", status=CaseStatus.DECIDED, penalty_amount=Decimal(60_000))
    _case(district.market, "北市监罚〔2026〕14号", status=CaseStatus.CLOSED, penalty_amount=Decimal(49_999))
    _case(district.market, "北市监检〔2026〕15号", status=CaseStatus.CLOSED, act_type=ActType.INSPECTION,
          penalty_amount=Decimal(99_000))
    police = member().memberships.get().organization
    for case, status in ((sent, TransferStatus.SENT), (drafted, TransferStatus.DRAFT)):
        Transfer.objects.create(kind=TransferKind.CRIMINAL, sender=district.market, receiver=police, case=case,
                                subject="涉嫌犯罪移送", reason="罚没金额达到追诉标准", status=status,
                                created_by=district.market_head)
    _compute()
    assert _leads("penalty_not_transferred") == {big.number, drafted.number}


def test_m7_3_a_closed_case_with_unconfirmed_evidence_is_a_lead(district):
    closed = _case(district.market, "北市监罚〔2026〕21号", status=CaseStatus.CLOSED)
    EvidenceFactory(case=closed)  # nothing ticked, no file
    fine = _case(district.market, "北市监罚〔2026〕22号", status=CaseStatus.CLOSED)
    _with_file(EvidenceFactory(case=fine, **COMPLETE[EvidenceKind.INQUIRY_RECORD]))
    open_case = _case(district.market, "北市监罚〔2026〕23号", status=CaseStatus.INVESTIGATING)
    EvidenceFactory(case=open_case)
    _compute()
    assert _leads("closed_unconfirmed_evidence") == {closed.number}


def test_m13_unconfirmed_q_agrees_with_item_gaps_for_every_kind(district):
    """The SQL condition the leads use is the evidence app's checklist, kind by kind."""
    case = _case(district.market, "北市监罚〔2026〕31号")
    for kind, complete in COMPLETE.items():
        EvidenceFactory(case=case, kind=kind)
        _with_file(EvidenceFactory(case=case, kind=kind, **complete))
        _with_file(EvidenceFactory(case=case, kind=kind))
    unconfirmed = set(EvidenceItem.objects.filter(unconfirmed_q()).values_list("pk", flat=True))
    assert unconfirmed == {i.pk for i in EvidenceItem.objects.filter(case=case) if item_gaps(i)}


def test_m7_3_a_transfer_unanswered_past_its_limit_is_a_lead(district):
    waiting = _case(district.urban, "北城管罚〔2026〕1号")
    answered = _case(district.urban, "北城管罚〔2026〕2号")
    _deadline(waiting, "transfer_acceptance", start_days_ago=30)
    _deadline(answered, "transfer_acceptance", start_days_ago=30, met_after_days=1)
    _compute()
    assert _leads("transfer_unanswered") == {waiting.number}


def test_m7_3_computing_is_set_based_idempotent_and_keeps_handled_leads(district):
    for n in range(1, 6):
        _deadline(_case(district.market, f"北市监罚〔2026〕{40 + n}号"), "publicity_licensing_penalty",
                  start_days_ago=60)
    with CaptureQueriesContext(connection) as queries:
        counts = services.leads_compute()
    assert counts["publicity_late"] == 5
    # One statement per rule whatever the rows, plus the audit event (and its savepoints).
    inserts = [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("INSERT INTO \"INSPECTIONS_LEAD\"")]
    assert len(inserts) == len(leads.rules())
    lead = Lead.objects.filter(rule="publicity_late").first()
    services.lead_dismiss(actor=district.supervisor, lead=lead, reason="已在门户网站公示，系登记遗漏。")
    assert services.leads_compute()["publicity_late"] == 0
    assert Lead.objects.get(pk=lead.pk).status == LeadStatus.DISMISSED


def test_m7_3_the_bureau_dismisses_a_lead_with_a_reason_or_turns_it_into_a_finding(district):
    for n in (51, 52):
        _deadline(_case(district.market, f"北市监罚〔2026〕{n}号"), "publicity_licensing_penalty", start_days_ago=60)
    services.leads_compute()
    first, second = Lead.objects.filter(rule="publicity_late").order_by("subject")
    with pytest.raises(ValidationError, match="须填写理由"):
        services.lead_dismiss(actor=district.supervisor, lead=first, reason="")
    with assert_audited("inspections.lead.transition", first):
        services.lead_dismiss(actor=district.supervisor, lead=first, reason="已公示，登记遗漏。")
    other = district.check(units=[district.urban])
    with pytest.raises(ValidationError, match="不含区市场监督管理局"):
        services.lead_to_finding(actor=district.supervisor, lead=second, check=other,
                                 item=CheckItem.THREE_SYSTEMS, description="未公示。")
    check = district.check()
    with assert_audited("inspections.finding.add"):
        finding = services.lead_to_finding(actor=district.supervisor, lead=second, check=check,
                                           item=CheckItem.THREE_SYSTEMS, description="处罚决定逾期未公示。")
    second.refresh_from_db()
    assert second.status == LeadStatus.FINDING and second.finding == finding
    assert finding.get_source_display() == "大数据监测线索"


def test_m7_3_the_registry_is_open_to_other_apps(district):
    rule = leads.LeadRule("test_rule", "测试规则", lambda threshold, now: EnforcementCase.objects.none().values(
        "department_id"))
    leads.register(rule)
    try:
        assert ("test_rule", "测试规则") in leads.rule_choices()
        with pytest.raises(ValueError):
            leads.register(leads.LeadRule("test_rule", "另一规则", rule.query))
    finally:
        leads._RULES.pop("test_rule")


def test_m7_3_w3_a_unit_with_no_information_report_this_month_is_a_lead(district):
    """Registered by inforeports/hooks.py: the units with no report this month."""
    from inforeports.models import InfoReport

    today = timezone.localdate()
    InfoReport.objects.create(unit=district.market, month=today.replace(day=1), title="本月信息",
                              text="正文", created_by=district.market_head)
    InfoReport.objects.create(unit=district.urban, month=(today.replace(day=1) - dt.timedelta(days=1)).replace(day=1),
                              title="上月信息", text="正文", created_by=district.urban_head)
    _compute()
    subjects = _leads("no_info_report")
    assert any(s.startswith("区城市管理综合行政执法局") for s in subjects)  # last month's does not count
    assert any(s.startswith("海滨镇人民政府") for s in subjects)
    assert not any(s.startswith("区市场监督管理局") and "大队" not in s for s in subjects)
    lead = Lead.objects.get(rule="no_info_report", organization=district.urban)
    assert lead.target == district.urban
