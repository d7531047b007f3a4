"""Demo records: one 行政执法监督通知书 from the justice bureau's supervisor (jdy) to
北戴河区市场监督管理局, so the document pages have something to show."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.demo import register_seeder
from core.models import Organization, User

from .models import Document
from .supervision import SUPERVISION_NOTICE, supervision_notice_sample


@register_seeder
def seed_supervision_notice() -> None:
    if Document.objects.filter(kind=SUPERVISION_NOTICE.code).exists():
        return
    actor = User.objects.filter(username="jdy").first()
    issuer = Organization.objects.filter(name="北戴河区司法局").first()
    addressee = Organization.objects.filter(name="北戴河区市场监督管理局").first()
    if not (actor and issuer and addressee):
        return
    from .services import supervision_notice_issue

    sample = supervision_notice_sample()
    supervision_notice_issue(
        actor=actor, issuer=issuer, addressee=addressee, facts=sample["facts"],
        legal_basis=sample["legal_basis"], rectification=sample["rectification"],
        deadline=timezone.localdate() + dt.timedelta(days=30),
        report_method=sample["report_method"], contact=sample["contact"],
        title="关于行政处罚案卷评查问题整改的监督通知书")
