"""The demo district's joint case handling (``manage.py seed_demo``), made through the
services: one joint operation under way — 城管局 leading 市场监管局 and 海滨镇 in a summer
food-stall campaign, its plans written, both participants confirmed, a consultation held,
and a case of each participant linked (M6.1) — and two guidance tasks (M6.2): 市场监管局's
unified action for 海滨镇, given three weeks ago and overdue without a report, and a
division of supervision focus for 西山街道, due in ten days. Runs after
the cases seeder; does nothing once an operation exists."""
from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from cases import services as case_services
from cases.models import ActType, EnforcementCase, EnforcementField
from core.demo import register_seeder
from core.models import Organization, User
from evidence.demo import SCAN_PNG

from . import services
from .models import JointOperation, TaskKind


def _upload(title: str) -> tuple[io.BytesIO, str, int]:
    return io.BytesIO(SCAN_PNG), f"{title}（扫描件）.png", len(SCAN_PNG)


@register_seeder
def seed_jointcases() -> None:
    users = {u.username: u for u in User.objects.filter(
        username__in=["cg_fzr", "scj_fzr", "scj_zf1", "hbz_fzr", "hbz_zf"])}
    orgs = {o.short_name: o for o in Organization.objects.filter(
        short_name__in=["北城管", "北市监", "北海滨", "北西山"])}
    if len(users) < 5 or len(orgs) < 4 or JointOperation.objects.exists():
        return
    urban, market, haibin, xishan = orgs["北城管"], orgs["北市监"], orgs["北海滨"], orgs["北西山"]
    today = timezone.localdate()
    op = services.operation_create(
        actor=users["cg_fzr"], lead=urban, title="暑期海滨路沿线食品摊点联合整治",
        field=EnforcementField.FOOD_DRUG, scope="整治海滨路、鸽子窝沿线无证食品摊贩和占道经营，"
        "市场监管局负责食品安全检查，海滨镇负责辖区巡查和劝导。",
        starts_on=today - dt.timedelta(days=10), ends_on=today + dt.timedelta(days=20),
        participants=[market, haibin])
    services.operation_plans_save(
        actor=users["cg_fzr"], operation=op,
        work_plan="一、整治范围：海滨路、鸽子窝沿线。二、分工：城管局牵头占道经营整治，市场监管局开展食品安全检查，"
                  "海滨镇组织辖区巡查劝导。三、时间：分动员、集中整治、巩固三个阶段。",
        emergency_plan="遇暴力抗法、群体性事件或食物中毒等突发情况，现场负责人立即报告牵头部门，"
                       "同时报告公安机关和卫生健康部门，按预案分级响应。",
        work_plan_upload=_upload("工作方案"), emergency_plan_upload=_upload("应急预案"))
    for unit, head in ((market, "scj_fzr"), (haibin, "hbz_fzr")):
        services.participant_confirm(actor=users[head], participant=op.participants.get(unit=unit))
    services.operation_transition(actor=users["cg_fzr"], operation=op, target="under_way")
    services.consultation_record(
        actor=users["cg_fzr"], operation=op, held_on=today - dt.timedelta(days=9),
        subject="联合整治分工和执法衔接", units=[urban, market, haibin],
        conclusion="发现无证经营食品的，由市场监管局立案；占道经营的，由海滨镇劝导后移送城管局。")
    market_case = EnforcementCase.objects.filter(department=market, field=EnforcementField.FOOD_DRUG).order_by("pk").first()
    if market_case is not None:
        services.operation_case_link(actor=users["scj_zf1"], operation=op, case=market_case)
    township_case = case_services.case_register(
        actor=users["hbz_zf"], department=haibin, number=f"北海滨检〔{today.year}〕1号",
        act_type=ActType.INSPECTION, field=EnforcementField.FOOD_DRUG,
        summary="联合整治中对鸽子窝沿线食品摊点开展检查。", discovered_at=timezone.now() - dt.timedelta(days=8),
        filed_on=today - dt.timedelta(days=8), officers=[users["hbz_zf"], users["hbz_fzr"]], parties=[])
    services.operation_case_link(actor=users["hbz_zf"], operation=op, case=township_case)

    # M6.2: an overdue unified action, and a division of focus reported and awaiting acceptance.
    services.guidance_task_assign(
        actor=users["scj_fzr"], giver=market, receiver=haibin, kind=TaskKind.UNIFIED,
        title="开展农村集市食品安全统一检查", content="按全区统一部署检查辖区农村集市食品经营者，报送检查台账。",
        assigned_on=today - dt.timedelta(days=21), due_on=today - dt.timedelta(days=7))
    services.guidance_task_assign(
        actor=users["scj_fzr"], giver=market, receiver=xishan, kind=TaskKind.FOCUS,
        title="划分小餐饮日常监管重点", content="街道负责辖区小餐饮日常巡查，区局负责许可和重大案件查处。",
        due_on=today + dt.timedelta(days=10))
