"""The demo district's information reports (``manage.py seed_demo``), through the
services: this month every department and township has reported two items — meeting its
monthly duty (W3) — except 北戴河区商务局 (one) and 北戴河区牛头崖镇人民政府 (none), the two
units short; some items are adopted by the justice bureau. Does nothing once a report exists."""
from __future__ import annotations

from core.demo import demo_password, register_seeder
from core import services as core_services
from core.models import Organization, Role, User

from . import services
from .models import InfoReport
from .selectors import units

SHORT = {"北戴河区商务局": 1, "北戴河区牛头崖镇人民政府": 0}
ITEMS = ["开展旅游旺季专项执法检查", "推进行政执法三项制度落实"]


def _reporter(admin: User, unit: Organization, n: int) -> User:
    """The unit's liaison (made by the meetings seeder) or an information officer."""
    existing = User.objects.filter(memberships__organization=unit, memberships__role=Role.LIAISON).first()
    if existing is not None:
        return existing
    user = User.objects.filter(username=f"xxy{n:02d}").first()
    if user is None:
        user = User(username=f"xxy{n:02d}", real_name=f"{unit.short_name.removeprefix('北')}信息员")
        core_services.user_save(actor=admin, user=user, password=demo_password())
    core_services.membership_add(actor=admin, user=user, organization=unit, role=Role.LIAISON)
    return user


@register_seeder
def seed_info_reports() -> None:
    admin = User.objects.filter(username="admin").first()
    supervisor = User.objects.filter(username="jdy").first()
    if admin is None or supervisor is None or InfoReport.objects.exists():
        return
    for n, unit in enumerate(units().order_by("kind", "name"), start=1):
        count = SHORT.get(unit.name, 2)
        if not count:
            continue
        reporter = _reporter(admin, unit, n)
        for i in range(count):
            report = services.info_report_submit(
                actor=reporter, unit=unit, title=f"{unit.short_name.removeprefix('北')}{ITEMS[i]}",
                text=f"{unit.name}{ITEMS[i]}，本月共出动执法人员若干人次，发现并督促整改问题若干处。")
            if n % 3 == 0 and i == 0:
                services.info_report_adopt(actor=supervisor, report=report)
