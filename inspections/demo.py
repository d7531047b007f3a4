"""The demo district's supervision checks (``manage.py seed_demo``), made through the
services so each record has its audit trail, notifications and deadlines:

- twelve cases of 北戴河区市场监督管理局 decided some six weeks ago and closed — penalties,
  inspections and a licence —, most published in time, two late and one not at all, one
  penalty of 80,000 yuan with no transfer to the police: the monitoring rules find them;
- the justice bureau's special check (专项监督检查) of that department by spot check: the
  department provided its materials (M7.4); a case-file review of ten files drawn from a
  recorded seed and scored (one fails on a veto item), turned into a finding; two more
  findings; the 问题通报 circulated to every unit; a 行政执法监督通知书 whose rectification
  the department reported and the bureau has yet to accept (M7.5);
- the bureau's unannounced visit (暗访) of 北戴河区城市管理综合行政执法局, under way;
- the department's own legal unit's routine check of its enforcement brigade (M7.1), with
  the brigade's materials due;
- the leads computed from all the demo data (M7.3).

Runs last (``inspections`` ends INSTALLED_APPS); does nothing once a check exists.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from cases import services as case_services
from cases.models import ActType, CaseStatus, EnforcementCase, EnforcementField, PartyKind
from core.demo import register_seeder
from core.models import Organization, User
from documents import services as document_services
from documents.models import RectificationKind
from evidence.demo import SCAN_PNG, confirmed_record

from . import selectors, services
from .models import Check, CheckItem, CheckKind, CheckMethod, ReviewStandard

MARKET = "北戴河区市场监督管理局"
URBAN = "北戴河区城市管理综合行政执法局"
BRIGADE = "北戴河区市场监督管理局综合执法大队"
SEED = 20261201

# (number suffix, act type, penalty, days after the decision it was published; None: not yet)
CLOSED_CASES = [
    (101, ActType.PENALTY, 3000, 3), (102, ActType.PENALTY, 5000, 4), (103, ActType.PENALTY, 80_000, 5),
    (104, ActType.PENALTY, 2000, 2), (105, ActType.PENALTY, 10_000, 20), (106, ActType.PENALTY, 1500, 3),
    (107, ActType.INSPECTION, None, 10), (108, ActType.INSPECTION, None, 12), (109, ActType.INSPECTION, None, 8),
    (110, ActType.INSPECTION, None, 40), (111, ActType.LICENSING, None, None), (112, ActType.LICENSING, None, 2),
]


def _scan(title: str) -> ContentFile:
    return ContentFile(SCAN_PNG, name=f"{title}（扫描件）.png")


def _closed_case(market: Organization, users: dict[str, User], n: int, act_type: str, amount,
                 published_after: int | None) -> EnforcementCase:
    today = timezone.localdate()
    year = today.year
    code = {"penalty": "罚", "inspection": "检", "licensing": "许"}[act_type]
    filed_on = today - dt.timedelta(days=70)
    decided_on = today - dt.timedelta(days=45)
    case = case_services.case_register(
        actor=users["scj_zf1"], department=market, number=f"北市监{code}〔{year}〕{n}号", act_type=act_type,
        field=EnforcementField.MARKET if act_type != ActType.LICENSING else EnforcementField.FOOD_DRUG,
        summary={"penalty": "当事人经营标签不符合规定的预包装食品。", "inspection": "对辖区商超开展价格行为检查。",
                 "licensing": "食品经营许可申请。"}[act_type],
        discovered_at=timezone.make_aware(dt.datetime.combine(filed_on - dt.timedelta(days=1), dt.time(10))),
        filed_on=filed_on, officers=[users["scj_zf1"], users["scj_zf2"]],
        parties=[{"kind": PartyKind.ORGANIZATION, "name": f"秦皇岛某食品商行{n}",
                  "id_number": f"91130304MA0D{n:05d}X"}] if act_type != ActType.INSPECTION else [])
    case_services.case_transition(case=case, target=CaseStatus.INVESTIGATING, actor=users["scj_zf1"])
    if act_type == ActType.PENALTY:
        confirmed_record(officer=users["scj_zf1"], case=case, title="询问笔录（经营者）",
                         proves="当事人经营违法商品的事实", source="执法人员在经营场所询问经营者")
    summary = {"penalty": f"罚款{amount}元。" if amount else "警告。", "inspection": "责令限期改正。",
               "licensing": "准予许可。"}[act_type]
    case_services.case_record_decision(actor=users["scj_fzr"], case=case, decision_date=decided_on,
                                       decision_summary=summary,
                                       penalty_amount=Decimal(amount) if amount else None)
    if published_after is not None:
        case_services.case_record_publicity(actor=users["scj_fz"], case=case,
                                            published_on=decided_on + dt.timedelta(days=published_after),
                                            channel="district_column")
    case_services.case_transition(case=case, target=CaseStatus.CLOSED, actor=users["scj_fzr"])
    return case


def _full_marks(standard: ReviewStandard) -> dict[int, tuple[int, bool, str]]:
    return {c.pk: (c.points, False, "") for c in standard.criteria.all()}


@register_seeder
def seed_inspections() -> None:
    names = ["jdy", "scj_zf1", "scj_zf2", "scj_fz", "scj_fzr", "admin"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    market = Organization.objects.filter(name=MARKET).first()
    urban = Organization.objects.filter(name=URBAN).first()
    brigade = Organization.objects.filter(name=BRIGADE).first()
    standard = ReviewStandard.objects.filter(is_default=True).first()
    if len(users) != len(names) or None in (market, urban, brigade, standard) or Check.objects.exists():
        return
    supervisor, bureau = users["jdy"], users["jdy"].memberships.get().organization
    for n, act_type, amount, published_after in CLOSED_CASES:
        if not EnforcementCase.objects.filter(department=market, number__contains=f"〕{n}号").exists():
            _closed_case(market, users, n, act_type, amount, published_after)

    today = timezone.localdate()
    # 1. The special check of the market department, up to a notice under rectification.
    check = services.check_create(
        actor=supervisor, organizer=bureau, title=f"{today.year}年度市场监管领域行政处罚专项监督检查",
        kind=CheckKind.SPECIAL, method=CheckMethod.SPOT_CHECK, field_note="市场监管（食品安全、价格）",
        items=[CheckItem.LEGALITY, CheckItem.DECISIONS, CheckItem.THREE_SYSTEMS, CheckItem.CASE_FILES],
        units=[market], team=[supervisor], starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=5),
        materials_request="近三个月办结的行政处罚、行政检查、行政许可案卷目录，执法公示台账，重大执法决定法制审核目录。",
        materials_due_on=today)
    services.check_start(actor=supervisor, check=check)
    row = check.unit_rows.get()
    services.check_materials_provide(actor=users["scj_fz"], row=row, note="案卷目录、公示台账和法制审核目录已上传。",
                                     files=[_scan("案卷目录"), _scan("执法公示台账")])
    review = services.review_draw(actor=supervisor, check=check, department=market,
                                  closed_from=today - dt.timedelta(days=60), closed_to=today,
                                  sample_size=10, seed=SEED)
    criteria = list(standard.criteria.all())
    veto = next(c for c in criteria if c.is_veto and c.section == "procedure")
    publicity = next(c for c in criteria if "公示" in c.text)
    for i, file in enumerate(review.files.select_related("case").order_by("id")):
        scores = _full_marks(standard)
        if file.case.published_on is None or (file.case.published_on - file.case.decision_date).days > 9:
            scores[publicity.pk] = (0, False, "执法决定未在规定期限内公示。")
        if i == 0:
            scores[veto.pk] = (0, True, "作出处罚决定前未告知当事人陈述、申辩的权利。")
        services.review_file_score(actor=supervisor, file=file, scores=scores,
                                   comment="案卷总体规范。" if i else "程序存在严重缺陷。")
    services.review_complete(actor=supervisor, review=review)
    services.review_to_finding(actor=supervisor, review=review)
    services.finding_add(actor=supervisor, check=check, unit=market, item=CheckItem.THREE_SYSTEMS,
                         description="2件行政处罚决定未在作出决定之日起7个工作日内公示，1件行政许可决定至今未公示。",
                         files=[_scan("公示台账截图")])
    services.finding_add(actor=supervisor, check=check, unit=market, item=CheckItem.DECISIONS,
                         description="1件罚款8万元的案件涉嫌犯罪，未移送公安机关。")
    services.check_transition(actor=supervisor, check=check, target="finished")
    services.check_bulletin_issue(
        actor=supervisor, check=check,
        summary=f"区司法局于{today.year}年组织对区市场监督管理局行政处罚工作开展专项监督检查，随机抽取办结案卷10件评查。",
        requirements="各单位对照通报问题举一反三，开展执法公示和案卷质量自查，于一个月内完成自查自纠。")
    row.refresh_from_db()
    notice = services.check_instrument_issue(
        actor=supervisor, row=row, kind="supervision_notice", facts=selectors.instrument_facts(row),
        legal_basis="《中华人民共和国行政处罚法》第四十四条、第四十八条，《行政执法监督条例》。",
        rectification="对未公示的执法决定立即公示；对涉嫌犯罪案件依法移送公安机关；对不合格案卷逐件复查纠正。",
        deadline=today + dt.timedelta(days=30),
        report_method="整改完成后5个工作日内书面报告区司法局，同时通过本平台上传整改材料。",
        contact="联系人：区司法局监督科，电话：0335-4041234")
    document_services.rectification_submit(
        actor=users["scj_fzr"], notice=notice, kind=RectificationKind.REPORT,
        body="已对未公示的3件决定完成公示；8万元罚款案件已启动移送程序；不合格案卷已组织复查。",
        files=[_scan("整改情况报告")])

    # 2. An unannounced visit of the urban management bureau, under way (it is not told).
    visit = services.check_create(
        actor=supervisor, organizer=bureau, title="海滨路占道经营执法文明执法暗访", kind=CheckKind.ROUTINE,
        method=CheckMethod.UNANNOUNCED, items=[CheckItem.CIVILITY, CheckItem.DUTIES], units=[urban],
        team=[supervisor], starts_on=today - dt.timedelta(days=2), ends_on=today + dt.timedelta(days=7))
    services.check_start(actor=supervisor, check=visit)

    # 3. The market department's legal unit checks its own brigade (M7.1), materials due.
    internal = services.check_create(
        actor=users["scj_fz"], organizer=market, title="综合执法大队执法案卷日常检查", kind=CheckKind.ROUTINE,
        method=CheckMethod.DAILY, items=[CheckItem.CASE_FILES, CheckItem.TEAM], units=[brigade],
        team=[users["scj_fz"]], starts_on=today, ends_on=today + dt.timedelta(days=14),
        materials_request="本季度办结案卷及执法人员持证情况。", materials_due_on=today + dt.timedelta(days=5))
    services.check_start(actor=users["scj_fz"], check=internal)

    services.leads_compute()
