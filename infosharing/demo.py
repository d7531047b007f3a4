"""The demo district's information sharing (``manage.py seed_demo``), made through the
services so each record has its audit trail, notifications and deadlines:

- every enforcement unit's four publicity channels, but 北戴河区商务局's own website,
  which shows as missing (M5.2);
- this quarter's web inspection, finished: every unit checked with a screenshot, three
  with problems, reported to and reviewed by the 区委全面依法治区委员会, the numbered
  网上巡查情况通报 circulated and a supervision notice with a rectification deadline to each
  unit with problems; the justice bureau's quarterly duty is met (M5.3);
- a statistics request for this year to the end of last month, half answered (M5.4);
- three queries between agencies: one answered, one refused on the ground of 商业秘密,
  one waiting for its answer (M5.5).

Runs after the core, deadlines and meetings seeders (``infosharing`` is last in
INSTALLED_APPS); does nothing once an inspection exists.
"""
from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from cases.models import PublicityChannel
from core.demo import register_seeder
from core.models import Membership, Organization, OrgKind, Role, User
from deadlines import rules
from evidence.demo import SCAN_PNG

from . import selectors, services
from .models import CHANNEL_ITEMS, FindingState, PublicityItem, RefusalGround, StatCategory, WebInspection

WITHOUT_WEBSITE = "北戴河区商务局"
# unit → (channel, item, state): what this quarter's inspection found.
PROBLEMS = {
    "北戴河区卫生健康局": [(PublicityChannel.DEPARTMENT_WEBSITE, PublicityItem.RESULTS, FindingState.OUTDATED)],
    "北戴河区商务局": [(PublicityChannel.DEPARTMENT_WEBSITE, PublicityItem.STAFF, FindingState.MISSING),
                   (PublicityChannel.DEPARTMENT_WEBSITE, PublicityItem.RESULTS, FindingState.MISSING)],
    "北戴河区牛头崖镇人民政府": [(PublicityChannel.DISTRICT_COLUMN, PublicityItem.BASIS, FindingState.OUTDATED)],
}
SITES = {
    PublicityChannel.PROVINCE_PLATFORM: "https://www.hbzwfw.gov.cn/qhd/bdh/{code}",
    PublicityChannel.TWO_LAWS_PLATFORM: "https://lfxj.hebei.gov.cn/qhd/bdh/{code}",
    PublicityChannel.DISTRICT_COLUMN: "https://www.bdhq.gov.cn/zfxxgk/xzzfgs/{code}",
    PublicityChannel.DEPARTMENT_WEBSITE: "https://{code}.bdhq.gov.cn/",
}
REPORTING_ROLES = (Role.LEGAL_OFFICER, Role.DEPARTMENT_HEAD, Role.LIAISON)


def _reporter(unit: Organization) -> User | None:
    m = (Membership.objects.filter(organization=unit, role__in=REPORTING_ROLES, user__is_active=True)
         .select_related("user").order_by("pk").first())
    return m.user if m else None


def _png(name: str) -> tuple[io.BytesIO, str, int]:
    return io.BytesIO(SCAN_PNG), name, len(SCAN_PNG)


def _user(username: str) -> User:
    return User.objects.get(username=username)


@register_seeder
def seed_infosharing() -> None:
    bureau = Organization.objects.filter(kind=OrgKind.JUSTICE_BUREAU).first()
    supervisor = User.objects.filter(username="jdy").first()
    if bureau is None or supervisor is None or WebInspection.objects.exists():
        return
    units = list(selectors.enforcement_units())

    # M5.2: the channels.
    for n, unit in enumerate(units, start=1):
        for kind in CHANNEL_ITEMS:
            if unit.name == WITHOUT_WEBSITE and kind == PublicityChannel.DEPARTMENT_WEBSITE:
                continue
            services.channel_save(actor=supervisor, unit=unit, kind=kind,
                                  address=SITES[kind].format(code=f"u{n:02d}"))

    # M5.3: this quarter's inspection, from checklist to bulletin.
    today = timezone.localdate()
    period, _first, _last = rules.period_bounds(rules.Unit.QUARTER, today)
    inspection = services.inspection_open(actor=supervisor, bureau=bureau, period=period)
    for result in inspection.results.select_related("unit"):
        states = {(c, i): FindingState.PRESENT for c, items in CHANNEL_ITEMS.items() for i in items}
        for channel, item, state in PROBLEMS.get(result.unit.name, ()):
            states[(channel, item)] = state
        problems = PROBLEMS.get(result.unit.name)
        services.result_check(
            actor=supervisor, result=result, states=states,
            note="部门网站执法结果栏目停更三个月以上。" if problems else "四个渠道公示内容齐全、更新及时。",
            screenshot=_png(f"{result.unit.short_name}巡查截图.png"))
    services.inspection_report(actor=supervisor, inspection=inspection)
    services.inspection_review(actor=supervisor, inspection=inspection, reviewed_on=today,
                               review_body="区委全面依法治区委员会第四次会议",
                               remarks="同意巡查报告。对存在问题的单位限期整改，整改情况纳入年度执法考核。")
    services.inspection_circulate(
        actor=supervisor, inspection=inspection, rectify_by=today + dt.timedelta(days=20),
        summary=f"本季度共巡查全区行政执法单位{len(units)}个，覆盖河北省政务服务平台、“两法衔接”平台、"
                f"区政府行政执法公示专栏和各单位门户网站，总体公示较为规范，{len(PROBLEMS)}个单位存在问题。")

    # M5.4: this year's statistics to the end of last month, half of the units submitted.
    month_end = today.replace(day=1) - dt.timedelta(days=1)
    request = services.statistics_request_issue(
        actor=supervisor, bureau=bureau, title=f"{month_end.year}年1月至{month_end.month}月行政执法统计",
        period_start=dt.date(month_end.year, 1, 1), period_end=month_end,
        due_on=today + dt.timedelta(days=10), units=units)
    reports = list(request.reports.select_related("unit"))
    answering = [(r, _reporter(r.unit)) for r in reports]
    for report, reporter in [(r, u) for r, u in answering if u is not None][:len(reports) // 2]:
        figures = {c: report.prefill.get(c, 0) for c in StatCategory.values}
        figures[StatCategory.INSPECTION] += 12
        services.statistics_report_submit(actor=reporter, report=report, figures=figures,
                                          note="另有12次日常检查未在平台登记，已补报。")

    # M5.5: queries between agencies.
    market = Organization.objects.get(name="北戴河区市场监督管理局")
    urban = Organization.objects.get(name="北戴河区城市管理综合行政执法局")
    township = Organization.objects.get(name="北戴河区海滨镇人民政府")
    answered = services.query_ask(
        actor=_user("cg_fzr"), requester=urban, addressee=market, subject="海滨路沿街商户营业执照登记情况",
        purpose="核实占道经营商户的经营主体，以便依法送达责令改正通知书。")
    services.query_answer(actor=_user("scj_fz"), query=answered,
                          answer="经查，海滨路沿街商户共46户，均已办理营业执照，名单附后。")
    refused = services.query_ask(
        actor=_user("hbz_fzr"), requester=township, addressee=market, subject="某餐饮企业进货渠道及供货合同",
        purpose="调查辖区餐饮企业食品来源。")
    services.query_refuse(actor=_user("scj_fzr"), query=refused, ground=RefusalGround.COMMERCIAL_SECRET,
                          explanation="所询供货合同含企业商业秘密，可提供该企业的食品安全检查结论。")
    services.query_ask(actor=_user("scj_zf1"), requester=market, addressee=urban,
                       subject="某烧烤店油烟扰民投诉处理情况",
                       purpose="该店申请变更经营范围，需了解其油烟扰民投诉的处理结果。")
