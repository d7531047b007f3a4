"""The demo district's last twelve months (``manage.py seed_demo``): every department and
township files cases month by month, investigates, decides, publishes the decision (most on
time, some late, a few not yet), executes and closes; departments and townships transfer
cases to each other, most answered on time, some late, a few still unanswered and overdue.
So the case list, the transfer lists, the deadline pages and the dashboard's charts show a
newcomer a district at work, not an empty system.

Everything is made through the services, at the moment it happened: ``clock`` sets the
time the services read (``django.utils.timezone.now``) to that moment, so dates, deadlines
and their on-time or late meeting are what they would have been. (On PostgreSQL the audit
trail's own time is the database's — the time the demo was loaded —, as it must be.)

The history is drawn from a fixed seed, so every ``make run`` shows the same district.
Runs last (``demo_district`` is the last installed app) and does nothing once its first
case exists.
"""
from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from cases import services as case_services
from cases.models import ActType, CaseStatus, EnforcementCase, EnforcementField, PartyKind, PublicityChannel
from core.audit import audit_record
from core.demo import clock, demo_password, register_seeder
from core.models import Membership, Organization, Role, User
from evidence.demo import SCAN_PNG, confirmed_record
from transfers import services as transfer_services
from transfers.demo import CASE_MATERIALS
from transfers.models import TransferKind, TransferStatus

F = EnforcementField
SEED = 2026
# The year's case numbers start here, clear of the numbers other apps' demo cases take.
FIRST_NUMBER = 301
# How many cases a year each unit files (a department's share of the district's work).
DEPARTMENTS: list[tuple[str, str, str, int]] = [
    # (name, login prefix, field, cases a year)
    ("北戴河区市场监督管理局", "scj", F.MARKET, 48),
    ("北戴河区城市管理综合行政执法局", "cg", F.URBAN, 42),
    ("北戴河区卫生健康局", "wjj", F.HEALTH, 18),
    ("北戴河区应急管理局", "yjj", F.WORK_SAFETY, 20),
    ("秦皇岛市生态环境局北戴河分局", "hbj", F.ECOLOGY, 18),
    ("秦皇岛市自然资源和规划局北戴河分局", "zrj", F.NATURAL_RESOURCES, 12),
    ("北戴河区住房和城乡建设局", "zjj", F.HOUSING, 14),
    ("北戴河区文化广电和旅游局", "wlj", F.CULTURE_TOURISM, 16),
    ("北戴河区农业农村局", "nyj", F.AGRICULTURE, 8),
    ("北戴河区交通运输局", "jtj", F.TRANSPORT, 16),
    ("北戴河区水务局", "slj", F.WATER, 6),
]
TOWNSHIPS: list[tuple[str, str, str, int]] = [
    ("北戴河区海滨镇人民政府", "hbz", F.URBAN, 10),
    ("北戴河区戴河镇人民政府", "dhz", F.URBAN, 8),
    ("北戴河区牛头崖镇人民政府", "ntyz", F.NATURAL_RESOURCES, 8),
    ("北戴河区西山街道办事处", "xsjd", F.URBAN, 6),
    ("北戴河区东山街道办事处", "dsjd", F.URBAN, 6),
]
DEPARTMENT_FIELDS = {name: field for name, _prefix, field, _n in DEPARTMENTS}
# What a case is about, by field: (act type, summary, decision) — "{place}" is filled in.
MATTERS: dict[str, list[tuple[str, str, str]]] = {
    F.MARKET: [(ActType.PENALTY, "{place}某超市销售超过保质期的食品", "没收违法所得，并处罚款{fine}元。"),
               (ActType.PENALTY, "{place}某商贸公司未明码标价", "警告，并处罚款{fine}元。"),
               (ActType.INSPECTION, "对{place}农贸市场开展计量器具专项检查", "检查合格，责令2户商户更换计量器具。")],
    F.URBAN: [(ActType.PENALTY, "{place}某商户店外占道经营，经劝阻拒不改正", "罚款{fine}元。"),
              (ActType.PENALTY, "{place}某工地渣土运输车辆未密闭", "罚款{fine}元。"),
              (ActType.INSPECTION, "对{place}沿街商户门前三包落实情况进行检查", "检查完毕，责令5户限期整改。")],
    F.HEALTH: [(ActType.PENALTY, "{place}某诊所使用非卫生技术人员从事诊疗活动", "警告，并处罚款{fine}元。"),
               (ActType.INSPECTION, "对{place}游泳场所开展公共卫生监督检查", "检查合格。")],
    F.WORK_SAFETY: [(ActType.PENALTY, "{place}某宾馆未按规定开展安全生产教育培训", "责令限期改正，并处罚款{fine}元。"),
                    (ActType.INSPECTION, "对{place}燃气经营单位开展安全生产检查", "发现隐患3处，已责令整改。")],
    F.ECOLOGY: [(ActType.PENALTY, "{place}某餐饮店油烟净化设施未正常使用", "罚款{fine}元。"),
                (ActType.INSPECTION, "对{place}入海河流排污口开展执法检查", "未发现违法排污行为。")],
    F.NATURAL_RESOURCES: [(ActType.PENALTY, "{place}某村民未经批准占用耕地建房", "责令退还非法占用的土地，并处罚款{fine}元。"),
                          (ActType.INSPECTION, "对{place}卫片图斑开展实地核查", "核查完毕，1处图斑移交处理。")],
    F.HOUSING: [(ActType.PENALTY, "{place}某建筑工地未采取扬尘防治措施", "责令改正，并处罚款{fine}元。"),
                (ActType.INSPECTION, "对{place}在建工程开展质量安全检查", "检查完毕，责令2处限期整改。")],
    F.CULTURE_TOURISM: [(ActType.PENALTY, "{place}某旅行社未与旅游者签订旅游合同", "警告，并处罚款{fine}元。"),
                        (ActType.INSPECTION, "对{place}歌舞娱乐场所开展检查", "检查合格。")],
    F.AGRICULTURE: [(ActType.PENALTY, "{place}某农资店销售不合格化肥", "没收违法所得，并处罚款{fine}元。")],
    F.TRANSPORT: [(ActType.PENALTY, "{place}某车辆未取得道路运输经营许可从事客运", "罚款{fine}元。"),
                  (ActType.INSPECTION, "对{place}客运站开展安全检查", "检查合格。")],
    F.WATER: [(ActType.PENALTY, "{place}某洗车店未经许可取用地下水", "责令停止违法行为，并处罚款{fine}元。")],
}
PLACES = ["海滨路", "东经路", "西经路", "保二路", "联峰路", "刘庄", "戴河口", "鸽子窝", "南戴河桥",
          "赤土山", "大薄荷寨", "牛头崖", "草厂", "老虎石", "石塘路", "怪楼"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "志强", "海燕", "丽娟", "文华", "春生", "晓明", "秀英", "国庆", "玉兰", "立新", "红梅"]
# Township matters sent to the competent department (M15.1), with the basic facts.
TOWNSHIP_MATTERS = [
    ("北戴河区市场监督管理局", "{place}某便利店销售无标签散装食品",
     "日常巡查中发现{place}某便利店销售无标签散装熟食，已拍照固定并告知经营者下架。"),
    ("北戴河区住房和城乡建设局", "{place}某小区违规装修破坏承重结构",
     "接群众反映并现场核实，{place}某小区住户装修时拆除承重墙，已劝阻停工。"),
    ("秦皇岛市生态环境局北戴河分局", "{place}某汽修店露天喷漆",
     "巡查发现{place}某汽修店在店外露天喷漆作业，已劝阻并拍照取证。"),
    ("北戴河区卫生健康局", "{place}某美容店疑似开展医疗美容",
     "接举报并现场查看，{place}某美容店疑似开展注射类医疗美容项目，已告知停止。"),
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@dataclass
class Staff:
    officers: list[User]
    head: User


def _staff(org: Organization, prefix: str, n: int, password: str) -> Staff:
    """The unit's two certified officers and its head: the demo's own users where it has
    them (core.demo), otherwise made here (``{prefix}_zf1``, ``{prefix}_zf2``,
    ``{prefix}_fzr``, the demo password)."""
    def member(role: str) -> list[User]:
        return list(User.objects.filter(memberships__organization=org, memberships__role=role,
                                        is_active=True).exclude(certificate_no="").order_by("username"))

    officers, heads = member(Role.OFFICER), member(Role.DEPARTMENT_HEAD)
    wanted = [(f"{prefix}_zf{i}", Role.OFFICER) for i in range(len(officers) + 1, 3)]
    if not heads:
        wanted.append((f"{prefix}_fzr", Role.DEPARTMENT_HEAD))
    for i, (username, role) in enumerate(wanted):
        user = User.objects.filter(username=username).first()
        if user is None:
            rank = "负责人" if role == Role.DEPARTMENT_HEAD else f"执法员{'甲乙'[i % 2]}"
            user = User.objects.create(
                username=username, password=password, real_name=f"{org.short_name}{rank}",
                certificate_no=f"1303{n:03d}{i + 5:04d}")
            audit_record(actor=None, verb="create", target=user, note="演示数据")
        if not Membership.objects.filter(user=user, organization=org, role=role).exists():
            membership = Membership.objects.create(user=user, organization=org, role=role)
            audit_record(actor=None, verb="create", target=membership, organization=org, note="演示数据")
        (heads if role == Role.DEPARTMENT_HEAD else officers).append(user)
    # A head with a certificate may co-handle a penalty (the two-certified-officers rule).
    if len(officers) < 2:
        officers.append(heads[0])
    return Staff(officers=officers[:2], head=heads[0])


def _person(rng: random.Random) -> dict:
    """A party with a well-formed (made-up) resident ID number."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 40))
    body = f"130304{birth:%Y%m%d}{rng.randrange(1000):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return {"kind": PartyKind.PERSON, "name": f"{rng.choice(SURNAMES)}某{rng.choice('甲乙丙丁')}",
            "id_number": body + check}


def _working(day: dt.date, n: int) -> dt.date:
    """``n`` days after ``day``, moved off a weekend (the demo's dates are working days)."""
    day += dt.timedelta(days=n)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


class Year:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.start = today - dt.timedelta(days=365)
        self.rng = random.Random(SEED)
        self.numbers: dict[tuple[int, str, int], int] = {}
        self.cases: dict[int, list[EnforcementCase]] = {}

    def number(self, org: Organization, act_type: str, year: int) -> str:
        word = {ActType.PENALTY: "罚", ActType.INSPECTION: "检"}.get(act_type, "行")
        key = (org.pk, word, year)
        self.numbers[key] = self.numbers.get(key, FIRST_NUMBER - 1) + 1
        return f"{org.short_name}{word}〔{year}〕{self.numbers[key]}号"

    def case(self, org: Organization, staff: Staff, field: str, *,
             during: Callable[[EnforcementCase, dt.date], None] | None = None, latest: int = 360) -> None:
        """One case of ``org`` filed on a day of the year, taken as far as its dates allow;
        ``during(case, day)``: what else happened while it was investigated (an
        inspection's finding transferred, M4.2)."""
        rng, today = self.rng, self.today
        filed = _working(self.start, rng.randrange(0, latest))
        if filed >= today:
            return
        matters = MATTERS[field]
        if during is not None:
            matters = [m for m in matters if m[0] == ActType.INSPECTION] or matters
        act_type, summary, decision = rng.choice(matters)
        place = rng.choice(PLACES)
        officer, second = staff.officers
        with clock(_at(filed, 9, 30)):
            case = case_services.case_register(
                actor=officer, department=org, number=self.number(org, act_type, filed.year),
                act_type=act_type, field=field, summary=summary.format(place=place),
                discovered_at=_at(filed - dt.timedelta(days=1), 15), filed_on=filed,
                officers=[officer, second], parties=[_person(rng)] if act_type == ActType.PENALTY else [])
        self.cases.setdefault(org.pk, []).append(case)
        step = _working(filed, 1)
        if step >= today:
            return
        with clock(_at(step, 9)):
            case_services.case_transition(case=case, target=CaseStatus.INVESTIGATING, actor=officer)
            if act_type == ActType.PENALTY:  # a penalty is decided only on confirmed evidence (M13)
                confirmed_record(officer=officer, case=case, title="现场检查笔录",
                                 proves="违法行为的事实", source=f"执法人员在{place}现场检查")
        if during is not None:  # transferred: the receiving department handles it now (M4.4)
            if _working(step, 2) < today:
                during(case, _working(step, 2))
            return
        decided = _working(filed, rng.randrange(8, 40))
        if decided >= today:
            return
        fine = rng.choice([500, 1000, 2000, 3000, 5000, 10000, 20000])
        with clock(_at(decided, 10)):
            case_services.case_record_decision(
                actor=staff.head, case=case, decision_date=decided,
                decision_summary=decision.format(fine=f"{fine:,}"),
                penalty_amount=fine if act_type == ActType.PENALTY else None)
        # The decision published: most within days, some late, a few not (yet) at all.
        draw = rng.random()
        if draw < 0.82:
            published = _working(decided, rng.randrange(1, 5))
        elif draw < 0.94:
            published = _working(decided, rng.randrange(12, 30))
        else:
            published = None
        if published is not None and published < today:
            with clock(_at(published, 11)):
                case_services.case_record_publicity(
                    actor=officer, case=case, published_on=published,
                    channel=rng.choice([PublicityChannel.DISTRICT_COLUMN, PublicityChannel.DEPARTMENT_WEBSITE]))
        executing = _working(decided, 2)
        closed = _working(decided, rng.randrange(10, 45))
        if executing < today:
            with clock(_at(executing, 9)):
                case_services.case_transition(case=case, target=CaseStatus.EXECUTING, actor=officer)
        if closed < today:
            with clock(_at(closed, 16)):
                case_services.case_transition(case=case, target=CaseStatus.CLOSED, actor=staff.head)

    def transfer(self, *, kind: str, sender: Organization, sender_staff: Staff, receiver: Organization,
                 receiver_staff: Staff, subject: str, reason: str, basic_facts: str = "",
                 case: EnforcementCase | None = None, sent: dt.date) -> None:
        """A transfer sent on ``sent``; answered in time, late, or (lately sent) not yet."""
        rng, today = self.rng, self.today
        officer = sender_staff.officers[0]
        with clock(_at(sent, 10)):
            transfer = transfer_services.transfer_create(
                actor=officer, kind=kind, sender=sender, receiver=receiver, case=case,
                subject=subject, reason=reason, basic_facts=basic_facts,
                discovered_at=_at(sent, 7) if kind == TransferKind.TOWNSHIP else None)
            if kind != TransferKind.TOWNSHIP:
                for material_type, title in CASE_MATERIALS:
                    transfer_services.transfer_material_add(
                        actor=officer, transfer=transfer, material_type=material_type,
                        fileobj=io.BytesIO(SCAN_PNG), name=f"{title}（扫描件）.png", size=len(SCAN_PNG),
                        description=title)
            transfer_services.transfer_letter_issue(actor=sender_staff.head, transfer=transfer)
            transfer_services.transfer_transition(actor=officer, transfer=transfer, target=TransferStatus.SENT)
        draw = rng.random()
        answered = _working(sent, rng.randrange(1, 3) if draw < 0.8 else rng.randrange(6, 12))
        if answered >= today or draw > 0.95:
            return  # still waiting: overdue once its time has run out
        with clock(_at(answered, 15)):
            transfer_services.transfer_transition(
                actor=receiver_staff.officers[0], transfer=transfer, target=TransferStatus.ACCEPTED)


@register_seeder
def seed_year() -> None:
    market = Organization.objects.filter(name=DEPARTMENTS[0][0]).first()
    if market is None or EnforcementCase.objects.filter(
            department=market, number__endswith=f"〕{FIRST_NUMBER}号").exists():
        return
    year = Year(timezone.localdate())
    password = make_password(demo_password())  # hashed once: dozens of users share it
    units = {name: Organization.objects.filter(name=name).first() for name, *_ in DEPARTMENTS + TOWNSHIPS}
    staff = {name: _staff(units[name], prefix, n, password)
             for n, (name, prefix, _field, _count) in enumerate(DEPARTMENTS + TOWNSHIPS) if units[name]}
    for name, _prefix, field, count in DEPARTMENTS + TOWNSHIPS:
        if units[name] is None:
            continue
        for _ in range(max(1, round(count * settings.DEMO_YEAR_SCALE))):
            year.case(units[name], staff[name], field)
    # Townships pass matters outside their list to the competent department (M15.1).
    rng = year.rng
    scale = settings.DEMO_YEAR_SCALE
    for name, *_ in TOWNSHIPS:
        for _ in range(max(1, round(3 * scale))):
            receiver, subject, facts = rng.choice(TOWNSHIP_MATTERS)
            place = rng.choice(PLACES)
            sent = _working(year.start, rng.randrange(20, 362))
            if sent >= year.today or units[receiver] is None:
                continue
            year.transfer(kind=TransferKind.TOWNSHIP, sender=units[name], sender_staff=staff[name],
                          receiver=units[receiver], receiver_staff=staff[receiver],
                          subject=subject.format(place=place), basic_facts=facts.format(place=place),
                          reason="该事项不在本乡镇（街道）承接的行政执法事项范围内，移送主管部门处理。",
                          sent=sent)
    # Departments pass an inspection's finding outside their remit to the competent one (M4.2).
    pairs = [("北戴河区市场监督管理局", "北戴河区城市管理综合行政执法局"),
             ("北戴河区城市管理综合行政执法局", "北戴河区住房和城乡建设局"),
             ("北戴河区文化广电和旅游局", "北戴河区市场监督管理局"),
             ("北戴河区应急管理局", "北戴河区住房和城乡建设局"),
             ("秦皇岛市生态环境局北戴河分局", "北戴河区城市管理综合行政执法局")]
    for sender, receiver in pairs * max(1, round(2 * scale)):
        if units[sender] is None or units[receiver] is None:
            continue

        def transfer(case: EnforcementCase, day: dt.date, sender=sender, receiver=receiver) -> None:
            year.transfer(kind=TransferKind.COMPETENT, sender=units[sender], sender_staff=staff[sender],
                          receiver=units[receiver], receiver_staff=staff[receiver], case=case, sent=day,
                          subject=f"{case.summary}中发现的不属本单位管辖的违法行为",
                          reason=f"检查中发现的问题属{receiver}的职责范围，依法移送。")

        year.case(units[sender], staff[sender], DEPARTMENT_FIELDS[sender], during=transfer, latest=350)
