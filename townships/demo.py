"""The demo district's township cooperation (``manage.py seed_demo``), made through the
services at the moments it happened (demo_district's ``clock``), so each record has its
audit trail and notifications:

- six on-the-spot dissuasions over the year by 海滨镇 (M15.1): two followed by a transfer
  to 城管局 sent the same day, four told to the competent department without one — the
  most recent of them last week;
- four consultations (M15.4): a consultation on a common problem and a joint handling of a
  major case concluded, a consultation on a hot problem and a joint handling still without
  a conclusion;
- three information notices (M15.3) either way.

Does nothing once a dissuasion exists.
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import EnforcementCase
from core.demo import clock, register_seeder
from core.models import Organization, User
from transfers import services as transfer_services
from transfers.models import TransferStatus

from . import services
from .models import ConsultationKind, ConsultationTopic, Dissuasion

TOWNSHIP, URBAN, MARKET = "北戴河区海滨镇人民政府", "北戴河区城市管理综合行政执法局", "北戴河区市场监督管理局"

# (days ago, competent, location, violation, measures, followed by a transfer)
DISSUASIONS = [
    (300, URBAN, "海滨路与草厂路交叉口", "商户在人行道上搭建遮阳棚占道经营", "现场告知违法，商户已自行拆除遮阳棚一处", True),
    (240, MARKET, "海滨镇新民市场", "摊贩销售无标签散装熟食", "劝阻停止销售，已封存待主管部门处理", False),
    (170, URBAN, "刘庄村西侧空地", "施工单位夜间违规施工产生噪声", "责令现场停止施工", True),
    (110, URBAN, "联峰路沿街", "商户店外堆放杂物、占用消防通道", "劝阻后商户清理了部分杂物", False),
    (45, MARKET, "海滨镇东经路", "流动商贩兜售无生产日期的饮料", "劝阻后商贩离开", False),
    (6, URBAN, "鸽子窝公园西门外", "无证摊点占道烧烤", "现场劝阻停止经营，摊主拒不撤离", False),
]




@register_seeder
def seed_townships() -> None:
    users = {u.username: u for u in User.objects.filter(
        username__in=["hbz_zf", "hbz_fzr", "cg_fzr", "scj_fzr"])}
    orgs = {o.name: o for o in Organization.objects.filter(name__in=[TOWNSHIP, URBAN, MARKET])}
    if len(users) < 4 or len(orgs) < 3 or Dissuasion.objects.exists():
        return
    today = timezone.localdate()  # read once: inside a clock, "today" is the clock's

    def _at(days_ago: int, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(hour)))

    officer, head = users["hbz_zf"], users["hbz_fzr"]
    township = orgs[TOWNSHIP]

    for days_ago, competent, location, violation, measures, transferred in DISSUASIONS:
        with clock(_at(days_ago, 10)):
            if transferred:
                transfer = services.township_transfer_create(
                    actor=officer, sender=township, receiver=orgs[competent],
                    subject=f"{location}{violation}", reason="属区职能部门法定职责，乡镇无处罚权",
                    basic_facts=violation, discovered_at=_at(days_ago, 9), ongoing=True,
                    location=location, measures=measures)
                transfer_services.transfer_letter_issue(actor=head, transfer=transfer)
                transfer_services.transfer_transition(actor=officer, transfer=transfer,
                                                      target=TransferStatus.SENT)
            else:
                services.dissuasion_record(
                    actor=officer, township=township, competent=orgs[competent], location=location,
                    violation=violation, measures=measures, dissuaded_at=_at(days_ago, 9))

    case = (EnforcementCase.objects.filter(department=orgs[URBAN]).order_by("pk").first())
    consultations = [
        # (days ago, kind, topic, participants, subject, content, conclusion)
        (200, ConsultationKind.CONSULTATION, ConsultationTopic.COMMON, [URBAN, MARKET],
         "旅游旺季沿街占道经营的共性问题", "旺季海滨路、草厂路一带占道经营反复出现，劝阻后回潮。",
         "由海滨镇每日巡查劝阻，城管局每周联合执法一次，市场监管局对食品摊点同步检查。"),
        (120, ConsultationKind.JOINT_HANDLING, ConsultationTopic.MAJOR_CASE, [URBAN],
         "海滨浴场沿线违章搭建联合处置", "沿线多处彩钢棚涉及违章搭建，需镇政府与城管局联合拆除。",
         "城管局依法作出限期拆除决定，海滨镇组织人员协助，已全部拆除。"),
        (20, ConsultationKind.CONSULTATION, ConsultationTopic.HOT, [MARKET],
         "网红打卡点无证经营的热点问题", "鸽子窝一带新出现的网红打卡点多为无证经营，群众反映集中。", ""),
        (3, ConsultationKind.JOINT_HANDLING, ConsultationTopic.MAJOR_CASE, [URBAN, MARKET],
         "刘庄村违法建设及经营联合处置", "刘庄村一处违法建设内开设餐饮，涉及规划、食品安全两方面。", ""),
    ]
    for days_ago, kind, topic, participants, subject, content, conclusion in consultations:
        if kind == ConsultationKind.JOINT_HANDLING and case is None:
            continue
        with clock(_at(days_ago, 9)):
            consultation = services.consultation_create(
                actor=head, kind=kind, topic=topic, initiator=township,
                participants=[orgs[name] for name in participants], subject=subject, content=content,
                meeting_at=_at(days_ago, 15), case=case if kind == ConsultationKind.JOINT_HANDLING else None)
        if conclusion:
            with clock(_at(days_ago - 2, 16)):
                services.consultation_conclude(actor=head, consultation=consultation, conclusion=conclusion)

    notices = [
        (150, users["hbz_fzr"], township, [URBAN, MARKET], "海滨镇旅游旺季执法协作安排",
         "旺季期间镇综合执法队每日18时至22时在海滨路沿线巡查，发现属部门职责的违法行为即时移送。"),
        (60, users["cg_fzr"], orgs[URBAN], [TOWNSHIP], "城管局关于户外广告集中整治的通报",
         "城管局将于下月开展户外广告集中整治，请海滨镇协助摸排辖区内违规门头广告。"),
        (10, users["scj_fzr"], orgs[MARKET], [TOWNSHIP], "市场监管局食品摊点专项检查结果",
         "对海滨镇辖区38家食品摊点开展检查，发现问题6处，已责令整改，请镇政府协助做好日常劝导。"),
    ]
    for days_ago, actor, sender, recipients, title, body in notices:
        with clock(_at(days_ago, 11)):
            services.info_notice_publish(actor=actor, sender=sender,
                                         recipients=[orgs[name] for name in recipients], title=title, body=body)
