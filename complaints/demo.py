"""The demo district's complaints (``manage.py seed_demo``), made through the services so
every entry has its number, audit trail, notifications and deadlines:

- published channels for every department and township but 北戴河区民政局 (which the
  justice bureau sees as missing, M3.1);
- a dozen ledger entries across units, channels and states (M3.2): waiting for a
  decision, accepted, under investigation, refused with a reason, concluded, answered and
  archived with the complainant's satisfaction; one received two weeks ago and still not
  decided (overdue once the sweep runs); one from the 12345 hotline; one sent through the
  public portal; one whose handling period the head extended;
- one transferred by 城管局 to 海滨镇 (M15.2), handled there and reported back;
- one accepted by the justice bureau itself about an officer of 城管局 (M3.3), with its
  协助调查 request to 城管局 (M3.4);
- 海滨镇's technical-support request to 住建局 by letter and its archive request to
  市场监管局 (M15.5), the latter answered.

Runs after the core seeder; does nothing once a channel exists."""
from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from core.demo import register_seeder
from core.models import Organization, OrgKind, User
from evidence.demo import SCAN_PNG

from . import services
from .models import (AnswerMethod, AssistanceKind, AssistanceStatus, Channel, ComplaintChannel,
                     ComplaintKind, ComplaintStatus, Satisfaction)

WITHOUT_CHANNEL = "北戴河区民政局"
S = ComplaintStatus


def _org(name: str) -> Organization:
    return Organization.objects.get(name=name)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _ago(days: float = 0, hours: float = 0) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days, hours=hours)


def _channels(admin: User) -> None:
    units = Organization.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP],
                                        is_active=True).exclude(name=WITHOUT_CHANNEL).order_by("kind", "name")
    for n, unit in enumerate(units, start=1):
        township = unit.kind == OrgKind.TOWNSHIP
        services.channel_save(
            actor=admin, organization=unit, handling_office="综合执法办公室" if township else "法制科",
            phone=f"0335-41{n:05d}", postal=f"北戴河区{unit.short_name.removeprefix('北')}投诉举报信箱",
            email=f"ts{n:02d}@beidaihe.gov.cn", address=f"{unit.name}一楼接待室",
            hours="工作日 8:30—12:00，14:30—17:30")
    justice = Organization.objects.filter(kind=OrgKind.JUSTICE_BUREAU).first()
    if justice:
        services.channel_save(actor=admin, organization=justice, handling_office="行政执法监督科",
                              phone="0335-4100000", postal="北戴河区司法局行政执法监督科",
                              email="zfjd@beidaihe.gov.cn", address="北戴河区司法局二楼",
                              hours="工作日 8:30—12:00，14:30—17:30")


def _step(actor, complaint, *targets_and_notes) -> None:
    for target, note in targets_and_notes:
        services.complaint_transition(actor=actor, complaint=complaint, target=target, note=note)


@register_seeder
def seed_complaints() -> None:
    admin = User.objects.filter(username="admin").first()
    if admin is None or ComplaintChannel.objects.exists():
        return
    if not User.objects.filter(username__in=["scj_zf1", "cg_zf1", "hbz_zf", "jdy"]).count() == 4:
        return
    # The justice bureau's supervisor publishes them for the units (their heads change
    # them later): the administrator holds no role that publishes.
    _channels(_user("jdy"))
    market, urban, township = (_org("北戴河区市场监督管理局"), _org("北戴河区城市管理综合行政执法局"),
                               _org("北戴河区海滨镇人民政府"))
    housing = _org("北戴河区住房和城乡建设局")
    justice = Organization.objects.get(kind=OrgKind.JUSTICE_BUREAU)
    scj, scj_head, cg, cg_head, hbz, jdy = (_user(u) for u in (
        "scj_zf1", "scj_fzr", "cg_zf1", "cg_fzr", "hbz_zf", "jdy"))

    def register(actor, unit, **fields):
        fields.setdefault("kind", ComplaintKind.COMPLAINT)
        fields.setdefault("channel", Channel.PHONE)
        return services.complaint_register(actor=actor, unit=unit, **fields)

    # 1. Waiting for the market bureau's decision.
    register(scj, market, received_at=_ago(hours=5), complainant_name="刘海燕",
             complainant_phone="13833510001", complainant_id_number="130304198803150021",
             matter="戴河路某超市销售过期酸奶，店员拒绝退换。")
    # 2. From the 12345 hotline, accepted and under investigation.
    c = register(scj, market, channel=Channel.HOTLINE, hotline_order="BDH20260001234",
                 received_at=_ago(days=3), complainant_name="王建国", complainant_phone="13933520002",
                 matter="海滨路烧烤店夜间占道经营，油烟扰民。")
    _step(scj, c, (S.ACCEPTED, ""), (S.INVESTIGATING, ""))
    # 3. Answered and archived: the complainant satisfied.
    c = register(scj, market, channel=Channel.LETTER, received_at=_ago(days=4),
                 complainant_name="陈淑芬", complainant_phone="13703350003",
                 complainant_address="北戴河区保二路 8 号", matter="某美容店无证经营医疗美容项目。")
    _step(scj, c, (S.ACCEPTED, ""), (S.INVESTIGATING, ""),
          (S.CONCLUDED, "经查属实，已立案查处，责令停止无证医疗美容项目。"))
    services.complaint_answer(actor=scj, complaint=c, method=AnswerMethod.PHONE, answered_at=timezone.now(),
                              answer="您反映的问题经查属实，我局已立案查处并责令其停止相关项目。")
    services.complaint_archive(actor=scj, complaint=c, satisfaction=Satisfaction.SATISFIED)
    # 4. A report refused: outside the bureau's remit (the reason told).
    c = register(scj, market, kind=ComplaintKind.REPORT, channel=Channel.MAILBOX,
                 received_at=_ago(days=2), anonymous=True, matter="举报某小区物业收费过高。")
    _step(scj, c, (S.REJECTED, "物业服务收费不属于本局职责，已告知举报人向区住建局反映。"))
    # 5. Received two weeks ago and not decided: overdue (the sweep marks it).
    register(cg, urban, channel=Channel.VISIT, received_at=_ago(days=14), complainant_name="赵立新",
             complainant_phone="13633530005", matter="城管执法人员在东经路查处流动摊贩时态度粗暴。")
    # 6. Answered, the complainant basically satisfied.
    c = register(cg, urban, channel=Channel.WEBSITE, received_at=_ago(days=5), complainant_name="孙梅",
                 complainant_phone="13533540006", matter="联峰路工地渣土车未覆盖，道路遗撒。")
    _step(cg, c, (S.ACCEPTED, ""), (S.INVESTIGATING, ""), (S.CONCLUDED, "已责令施工单位清扫并处罚款。"))
    services.complaint_answer(actor=cg, complaint=c, method=AnswerMethod.SMS, answered_at=timezone.now(),
                              answer="已责令施工单位清扫道路，并依法处以罚款。")
    services.complaint_archive(actor=cg, complaint=c, satisfaction=Satisfaction.BASIC)
    # 7. M15.2: 城管局 hands it to 海滨镇, which handles it and reports the result back.
    c = register(cg, urban, received_at=_ago(days=3), complainant_name="周国强",
                 complainant_phone="13433550007", matter="海滨镇某村民在自家院内私搭乱建彩钢房。")
    services.complaint_transfer(actor=cg, complaint=c, to=township, told_at=timezone.now(),
                                note="违法建设查处已划转乡镇，转海滨镇办理。")
    successor = c.successor
    _step(hbz, successor, (S.ACCEPTED, ""), (S.INVESTIGATING, ""),
          (S.CONCLUDED, "已下达限期拆除通知书，当事人已自行拆除。"))
    services.complaint_answer(actor=hbz, complaint=successor, method=AnswerMethod.IN_PERSON,
                              answered_at=timezone.now(), answer="违建已拆除。")
    # 8. A visit to 海滨镇, waiting for its decision.
    register(hbz, township, channel=Channel.VISIT, received_at=_ago(days=1), complainant_name="吴桂兰",
             complainant_phone="13333560008", matter="海滨镇集贸市场周边流动摊贩堵塞消防通道。")
    # 9. M3.3–M3.4: the justice bureau accepts a complaint about an officer of 城管局 and
    # asks 城管局 to assist.
    c = register(jdy, justice, received_at=_ago(days=2), subject_org=urban, subject_officer=cg,
                 complainant_name="郑晓明", complainant_phone="13233570009", confidential=True,
                 matter="城管执法人员扣押经营工具未出具扣押清单。")
    _step(jdy, c, (S.ACCEPTED, ""), (S.INVESTIGATING, ""))
    services.assistance_request(
        actor=jdy, requester=justice, addressee=urban, kind=AssistanceKind.INVESTIGATION, complaint=c,
        subject="协助调查扣押经营工具程序", content="请提供该次扣押的现场笔录、扣押清单和执法记录仪视频，并作出情况说明。",
        reply_due=timezone.localdate() + dt.timedelta(days=5))
    # 10. Through the public portal.
    services.complaint_submit_public(
        unit=market, kind=ComplaintKind.COMPLAINT, complainant_name="钱文静",
        complainant_phone="13133580010", matter="网购的海鲜礼盒缺斤短两，商家拒绝处理。")
    # 11. Accepted, its handling period extended once by the head.
    c = register(scj, market, kind=ComplaintKind.REPORT, channel=Channel.PHONE, received_at=_ago(days=2),
                 complainant_name="冯志刚", complainant_phone="13033590011",
                 matter="举报某加油站计量器具作弊。")
    _step(scj, c, (S.ACCEPTED, ""))
    services.complaint_extend(actor=scj_head, complaint=c,
                              new_due=timezone.localdate() + dt.timedelta(days=90),
                              reason="需委托计量检定机构检定，检定周期较长。")
    # 12. M15.5: 海滨镇 asks 住建局 for technical support (by letter) and 市场监管局 for its archives.
    services.assistance_request(
        actor=_user("hbz_fzr"), requester=township, addressee=housing, kind=AssistanceKind.TECHNICAL,
        subject="危房鉴定技术支持", content="请派员对海滨镇某自建房进行安全鉴定。",
        reply_due=timezone.localdate() + dt.timedelta(days=7),
        letter=(io.BytesIO(SCAN_PNG), "技术支持函（扫描件）.png", len(SCAN_PNG)))
    archives = services.assistance_request(
        actor=_user("hbz_fzr"), requester=township, addressee=market, kind=AssistanceKind.ARCHIVES,
        subject="调取食品经营许可档案", content="办案需要，请提供某餐馆的食品经营许可档案复印件。",
        reply_due=timezone.localdate() + dt.timedelta(days=3))
    services.assistance_answer(actor=scj, request=archives, target=AssistanceStatus.REPLIED,
                               reply="档案复印件已加盖公章，请派员领取。")
