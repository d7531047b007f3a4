"""The demo district's training (``manage.py seed_demo``), through the services: the
justice bureau's sessions on the three systems and on the responsibility system with
officers of several units, and a department's own session on model creation; some
officers stay below the yearly hours (W1). Does nothing once a session exists."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from core.demo import register_seeder
from core.models import Organization, OrgKind, User

from . import services
from .models import TrainingSession, Topic

OFFICERS = ["scj_zf1", "scj_zf2", "scj_fz", "scj_fzr", "cg_zf1", "cg_fzr", "hbz_zf", "hbz_fzr"]


@register_seeder
def seed_training() -> None:
    bureau = Organization.objects.filter(kind=OrgKind.JUSTICE_BUREAU).first()
    market = Organization.objects.filter(name="北戴河区市场监督管理局").first()
    users = {u.username: u for u in User.objects.filter(username__in=[*OFFICERS, "jdy"])}
    if bureau is None or market is None or len(users) != len(OFFICERS) + 1 or TrainingSession.objects.exists():
        return
    supervisor, today = users["jdy"], timezone.localdate()
    year_start = dt.date(today.year, 1, 1)

    def day(days_ago: int) -> dt.date:
        return max(today - dt.timedelta(days=days_ago), year_start)

    services.training_session_create(
        actor=supervisor, organizer=bureau, topic=Topic.THREE_SYSTEMS, title="全区行政执法三项制度专题培训",
        held_on=day(90), hours=Decimal("16"), trainer="省司法厅法治督察处专家", place="区政府礼堂",
        attendees=[users[n] for n in OFFICERS])
    services.training_session_create(
        actor=supervisor, organizer=bureau, topic=Topic.RESPONSIBILITY, title="行政执法责任制和案卷评查培训",
        held_on=day(40), hours=Decimal("12"), trainer="区司法局执法监督科", place="区司法局会议室",
        attendees=[users[n] for n in ("scj_zf1", "scj_fz", "cg_zf1", "hbz_zf")])
    head = users["scj_fzr"]
    own = services.training_session_create(
        actor=head, organizer=market, topic=Topic.MODEL_CREATION, title="法治政府建设示范创建业务培训",
        held_on=day(10), hours=Decimal("16"), trainer="市场监管局法制科", place="市场监管局三楼会议室")
    services.training_attendees_add(actor=head, session=own,
                                    people=[users[n] for n in ("scj_zf1", "scj_zf2", "scj_fz")])
