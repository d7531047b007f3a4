"""The demo district's approval–supervision linkage (``manage.py seed_demo``), made through
the services: the routing table of four item types, and forty decisions imported from the
approval system's export — thirty-nine routed to 市场监管局, 卫生健康局, 住房和城乡建设局 and
文化广电和旅游局, one (道路货物运输经营许可) left for the bureau to route. Twelve came a week
ago: two of them are still unclaimed (their claim overdue — the sweep marks it within the
minute), the others claimed, six with their supervision fed back, one a penalty with its
case. Runs after the meetings seeder; does nothing once a decision exists."""
from __future__ import annotations

import csv
import datetime as dt
import io

from django.utils import timezone

from cases.models import EnforcementCase
from core.demo import register_seeder
from core.models import Organization, Role, User

from . import intake, services
from .selectors import bureau_of
from .models import Decision, DecisionStatus, Result

ROUTES = [
    ("食品经营许可", "北戴河区市场监督管理局", "食品经营许可证核发、变更"),
    ("公共场所卫生许可", "北戴河区卫生健康局", "住宿、游泳场所等公共场所卫生许可"),
    ("建筑工程施工许可", "北戴河区住房和城乡建设局", ""),
    ("旅行社业务经营许可", "北戴河区文化广电和旅游局", ""),
]
UNROUTED = "道路货物运输经营许可"
CLAIMERS = (Role.OFFICER, Role.LIAISON, Role.LEGAL_OFFICER, Role.DEPARTMENT_HEAD)
SHOPS = ["海滨餐饮店", "鸽子窝海鲜楼", "联峰山农家院", "老虎石烧烤店", "刘庄便利店", "赤土山酒店",
         "怪楼民宿", "中海滩宾馆", "金山嘴游泳馆", "戴河口商贸"]


def _rows(year: int, start: int, count: int, decided_on: dt.date) -> list[list[str]]:
    rows = []
    for n in range(start, start + count):
        item_type, _dept, _note = ROUTES[n % len(ROUTES)]
        shop = SHOPS[n % len(SHOPS)]
        rows.append([f"北审批〔{year}〕{n}号", item_type, f"{item_type}（新办）",
                     f"北戴河区{shop}{n}号店", f"92130304MA0{n:07d}", f"北戴河区海宁路{n}号",
                     decided_on.isoformat(), (decided_on + dt.timedelta(days=5 * 365)).isoformat(),
                     "准予许可"])
    return rows


def _csv(rows: list[list[str]]) -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(intake.template_headers())
    writer.writerows(rows)
    return io.BytesIO(text.getvalue().encode("utf-8"))


def _claimer(department: Organization) -> User:
    return (User.objects.filter(memberships__organization=department, memberships__role__in=CLAIMERS,
                                is_active=True).order_by("memberships__role", "pk").first())


@register_seeder
def seed_approvals() -> None:
    staff = User.objects.filter(username="spj").first()
    if staff is None or Decision.objects.exists() or bureau_of(staff) is None:
        return
    for item_type, name, note in ROUTES:
        department = Organization.objects.filter(name=name).first()
        if department is None or _claimer(department) is None:
            return
        services.route_save(actor=staff, item_type=item_type, department=department, note=note)
    today = timezone.localdate()
    year = today.year
    # A week-old batch: the approval system's push was down and its export is imported.
    week_ago = timezone.now() - dt.timedelta(days=7)
    old = _csv(_rows(year, 1, 12, today - dt.timedelta(days=8)))
    services.decisions_import(actor=staff, fileobj=old, name="审批决定（上周）.csv", received_at=week_ago)
    rows = _rows(year, 13, 27, today - dt.timedelta(days=1))
    rows.append([f"北审批〔{year}〕40号", UNROUTED, "道路货物运输经营许可（新办）", "北戴河区顺达物流有限公司",
                 "91130304MA00000040", "北戴河区滨海大道40号", (today - dt.timedelta(days=1)).isoformat(),
                 "", "准予许可"])
    new = _csv(rows)
    services.decisions_import(actor=staff, fileobj=new, name="审批决定.csv")

    # The week-old batch: all but two claimed (late); six fed back, one a penalty.
    old_batch = list(Decision.objects.filter(number__in=[f"北审批〔{year}〕{n}号" for n in range(1, 13)])
                     .select_related("department").order_by("pk"))
    penalty_case = None
    for n, decision in enumerate(old_batch[2:], start=1):
        claimer = _claimer(decision.department)
        services.decision_claim(actor=claimer, decision=decision)
        if n > 6:
            continue
        case = None
        if penalty_case is None:
            case = EnforcementCase.objects.filter(department=decision.department).order_by("pk").first()
        result = Result.PENALTY if case else (Result.RECTIFY if n % 3 == 0 else Result.COMPLIANT)
        penalty_case = penalty_case or case
        services.supervision_record(
            actor=claimer, decision=decision, inspected_on=today - dt.timedelta(days=1),
            inspection="现场检查经营场所，核查许可条件和承诺事项落实情况。", result=result,
            findings={Result.PENALTY: "超范围经营，已立案查处。", Result.RECTIFY: "从业人员健康证明未公示，责令三日内整改。"}.get(result, ""),
            case=case)
    # Today's batch: a few claimed already.
    for decision in Decision.objects.filter(status=DecisionStatus.PUSHED, pushed_at__gte=week_ago + dt.timedelta(days=1)).select_related(
            "department").order_by("pk")[:5]:
        services.decision_claim(actor=_claimer(decision.department), decision=decision)
