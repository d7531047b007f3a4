"""The demo district (``manage.py seed_demo``): Beidaihe's units and one user per role.

Apps add their own demo records with ``register_seeder``; each seeder must be idempotent.
"""
from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from typing import Callable
from unittest import mock

from django.db import transaction

from .audit import audit_record
from .models import Membership, Organization, OrgKind, Role, User

K = OrgKind
PREFIX = "北戴河区"

# (full name, short name for document numbers, kind)
ORGANIZATIONS: list[tuple[str, str, str]] = [
    ("北戴河区司法局", "北司", K.JUSTICE_BUREAU),
    ("北戴河区委全面依法治区委员会执法协调小组办公室", "北执协", K.COORDINATION_OFFICE),
    ("北戴河区人民检察院", "北检", K.PROCURATORATE),
    ("北戴河区委机构编制委员会办公室", "北编", K.STAFFING_OFFICE),
    ("北戴河区人民政府", "北政", K.GOVERNMENT),
    ("北戴河区纪委监委", "北纪", K.DISCIPLINE),
    ("秦皇岛市公安局北戴河分局", "北公", K.POLICE),
    ("北戴河区行政审批局", "北审批", K.APPROVAL_BUREAU),
    ("北戴河区人民法院", "北法", K.COURT),
    ("北戴河区行政执法监督专家库", "北专家", K.EXPERT_POOL),
    ("北戴河区市场监督管理局", "北市监", K.DEPARTMENT),
    ("北戴河区卫生健康局", "北卫健", K.DEPARTMENT),
    ("北戴河区应急管理局", "北应急", K.DEPARTMENT),
    ("北戴河区城市管理综合行政执法局", "北城管", K.DEPARTMENT),
    ("秦皇岛市生态环境局北戴河分局", "北环", K.DEPARTMENT),
    ("秦皇岛市自然资源和规划局北戴河分局", "北自规", K.DEPARTMENT),
    ("北戴河区住房和城乡建设局", "北住建", K.DEPARTMENT),
    ("北戴河区文化广电和旅游局", "北文旅", K.DEPARTMENT),
    ("北戴河区农业农村局", "北农", K.DEPARTMENT),
    ("北戴河区交通运输局", "北交", K.DEPARTMENT),
    ("北戴河区水务局", "北水", K.DEPARTMENT),
    ("北戴河区教育和体育局", "北教体", K.DEPARTMENT),
    ("北戴河区人力资源和社会保障局", "北人社", K.DEPARTMENT),
    ("北戴河区民政局", "北民", K.DEPARTMENT),
    ("北戴河区商务局", "北商", K.DEPARTMENT),
    ("北戴河区西山街道办事处", "北西山", K.TOWNSHIP),
    ("北戴河区东山街道办事处", "北东山", K.TOWNSHIP),
    ("北戴河区海滨镇人民政府", "北海滨", K.TOWNSHIP),
    ("北戴河区戴河镇人民政府", "北戴河镇", K.TOWNSHIP),
    ("北戴河区牛头崖镇人民政府", "北牛头崖", K.TOWNSHIP),
]
# An internal unit, to show that a transfer is never sent in its name (M15.1).
INTERNAL_UNITS = [("北戴河区市场监督管理局综合执法大队", "北市监执法队", "北戴河区市场监督管理局")]
# M4.3: each unit's next-higher enforcement authority, which a criminal transfer is
# reported to (full name, short name, the district units above which it stands).
HIGHER_AUTHORITIES: list[tuple[str, str, tuple[str, ...]]] = [
    ("秦皇岛市市场监督管理局", "秦市监", ("北戴河区市场监督管理局",)),
    ("秦皇岛市卫生健康委员会", "秦卫健", ("北戴河区卫生健康局",)),
    ("秦皇岛市应急管理局", "秦应急", ("北戴河区应急管理局",)),
    ("秦皇岛市城市管理综合行政执法局", "秦城管", ("北戴河区城市管理综合行政执法局",)),
    ("秦皇岛市生态环境局", "秦环", ("秦皇岛市生态环境局北戴河分局",)),
    ("秦皇岛市自然资源和规划局", "秦自规", ("秦皇岛市自然资源和规划局北戴河分局",)),
    ("秦皇岛市住房和城乡建设局", "秦住建", ("北戴河区住房和城乡建设局",)),
    ("秦皇岛市文化广电和旅游局", "秦文旅", ("北戴河区文化广电和旅游局",)),
    ("秦皇岛市农业农村局", "秦农", ("北戴河区农业农村局",)),
    ("秦皇岛市交通运输局", "秦交", ("北戴河区交通运输局",)),
    ("秦皇岛市水务局", "秦水", ("北戴河区水务局",)),
    ("秦皇岛市教育局", "秦教", ("北戴河区教育和体育局",)),
    ("秦皇岛市人力资源和社会保障局", "秦人社", ("北戴河区人力资源和社会保障局",)),
    ("秦皇岛市民政局", "秦民", ("北戴河区民政局",)),
    ("秦皇岛市商务局", "秦商", ("北戴河区商务局",)),
]
# Townships and subdistricts answer to the district government.
TOWNSHIP_AUTHORITY = "北戴河区人民政府"

# (username, real name, organisation, role, enforcement certificate number)
USERS: list[tuple[str, str, str, str, str]] = [
    ("admin", "系统管理员", "北戴河区司法局", Role.SYSTEM_ADMIN, ""),
    ("jdy", "司法局监督员", "北戴河区司法局", Role.SUPERVISOR, ""),
    ("xtb", "协调办工作人员", "北戴河区委全面依法治区委员会执法协调小组办公室", Role.COORDINATION_OFFICE, ""),
    ("jcg", "检察官", "北戴河区人民检察院", Role.PROSECUTOR, ""),
    ("gaj", "公安民警", "秦皇岛市公安局北戴河分局", Role.POLICE, ""),
    ("jw", "纪检监察干部", "北戴河区纪委监委", Role.DISCIPLINE, ""),
    ("spj", "审批人员", "北戴河区行政审批局", Role.APPROVAL_STAFF, ""),
    ("zf", "区政府工作人员", "北戴河区人民政府", Role.GOVERNMENT, ""),
    ("zj", "评审专家", "北戴河区行政执法监督专家库", Role.EXPERT, ""),
    ("scj_zf1", "市场监管执法员甲", "北戴河区市场监督管理局", Role.OFFICER, "13030001001"),
    ("scj_zf2", "市场监管执法员乙", "北戴河区市场监督管理局", Role.OFFICER, "13030001002"),
    ("scj_fz", "市场监管法制员", "北戴河区市场监督管理局", Role.LEGAL_OFFICER, "13030001003"),
    ("scj_fzr", "市场监管局负责人", "北戴河区市场监督管理局", Role.DEPARTMENT_HEAD, "13030001004"),
    ("scj_lly", "市场监管联络员", "北戴河区市场监督管理局", Role.LIAISON, ""),
    ("cg_zf1", "城管执法员", "北戴河区城市管理综合行政执法局", Role.OFFICER, "13030002001"),
    ("cg_fzr", "城管局负责人", "北戴河区城市管理综合行政执法局", Role.DEPARTMENT_HEAD, "13030002002"),
    ("hbz_zf", "海滨镇执法员", "北戴河区海滨镇人民政府", Role.OFFICER, "13030003001"),
    ("hbz_fzr", "海滨镇负责人", "北戴河区海滨镇人民政府", Role.DEPARTMENT_HEAD, "13030003002"),
]

DEMO_PASSWORD_ENV = "DEMO_PASSWORD"
DEFAULT_DEMO_PASSWORD = "Beidaihe@2026"

_SEEDERS: list[Callable[[], None]] = []


def register_seeder(fn: Callable[[], None]) -> Callable[[], None]:
    if fn not in _SEEDERS:
        _SEEDERS.append(fn)
    return fn


@contextmanager
def clock(moment: dt.datetime):
    """The services see ``moment`` as now (``timezone.now`` and all that reads it): a demo
    record is made at the time it happened, its dates and deadlines what they would have been."""
    with mock.patch("django.utils.timezone.now", return_value=moment.astimezone(dt.timezone.utc)):
        yield


def demo_password() -> str:
    return os.environ.get(DEMO_PASSWORD_ENV) or DEFAULT_DEMO_PASSWORD


def _set_higher_authority(org: Organization, authority: Organization) -> None:
    """Fill in a missing higher authority (one already set is left as it is)."""
    if org.higher_authority_id is None:
        Organization.objects.filter(pk=org.pk).update(higher_authority=authority)
        audit_record(actor=None, verb="update", target=org, note="演示数据",
                     changes={"higher_authority": [None, authority.name]})


# The demo accounts that must sign in with a second factor (the justice bureau's
# supervisors, the administrator) share this published authenticator key, so anyone
# trying the system can add it to an app — or read the current code with
# `manage.py seed_demo --otp`. Demo data only: a real account sets up its own key.
DEMO_TOTP_KEY = "626569646169686544656d6f546f747032303236"  # hex of 20 bytes


def demo_totp_codes() -> list[tuple[str, str]]:
    """(user name, current code) of the demo accounts with the published key."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return [(d.user.username, f"{totp(d.bin_key, d.step, d.t0, d.digits):06d}")
            for d in TOTPDevice.objects.filter(key=DEMO_TOTP_KEY).select_related("user")
            .order_by("user__username")]


def _demo_second_factor(user: User) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from . import twofactor

    if twofactor.required_for(user) and not TOTPDevice.objects.filter(user=user).exists():
        TOTPDevice.objects.create(user=user, name="演示验证器", key=DEMO_TOTP_KEY, confirmed=True)
        audit_record(actor=None, verb="otp.enable", target=user, note="演示数据：公开的演示动态口令密钥")


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    """Create what is missing; change nothing that exists. Returns (username, name, unit role)."""
    orgs: dict[str, Organization] = {}
    for name, short, kind in ORGANIZATIONS:
        org, created = Organization.objects.get_or_create(
            name=name, defaults={"short_name": short, "kind": kind}
        )
        if created:
            audit_record(actor=None, verb="create", target=org, note="演示数据")
        orgs[name] = org
    for name, short, parent in INTERNAL_UNITS:
        org, created = Organization.objects.get_or_create(
            name=name, defaults={"short_name": short, "kind": K.INTERNAL_UNIT,
                                 "parent": orgs[parent]}
        )
        if created:
            audit_record(actor=None, verb="create", target=org, note="演示数据")
    for name, short, below in HIGHER_AUTHORITIES:
        authority, created = Organization.objects.get_or_create(
            name=name, defaults={"short_name": short, "kind": K.HIGHER_AUTHORITY})
        if created:
            audit_record(actor=None, verb="create", target=authority, note="演示数据")
        for unit in below:
            _set_higher_authority(orgs[unit], authority)
    for org in orgs.values():
        if org.kind == K.TOWNSHIP:
            _set_higher_authority(org, orgs[TOWNSHIP_AUTHORITY])
    logins = []
    for username, real_name, org_name, role, cert in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, real_name=real_name, certificate_no=cert,
                        is_staff=role == Role.SYSTEM_ADMIN,
                        is_superuser=role == Role.SYSTEM_ADMIN)
            user.set_password(demo_password())
            user.save()
            audit_record(actor=None, verb="create", target=user, note="演示数据")
        membership, created = Membership.objects.get_or_create(
            user=user, organization=orgs[org_name], role=role
        )
        if created:
            audit_record(actor=None, verb="create", target=membership,
                         organization=orgs[org_name], note="演示数据")
        _demo_second_factor(user)
        logins.append((username, real_name, f"{orgs[org_name].short_name} · {membership.get_role_display()}"))
    for seeder in _SEEDERS:
        seeder()
    return logins
