"""Demo evidence (``manage.py seed_demo``) on the demo case 北市监罚〔年〕1号: one confirmed
inquiry record with its scan, and a copy still lacking the provider's signature, so the
case page shows why the case cannot yet be decided (M13)."""
from __future__ import annotations

import io

from django.utils import timezone

from cases.models import EnforcementCase
from core.demo import register_seeder
from core.models import User

from . import services
from .models import EvidenceItem, EvidenceKind

# A 1×1 PNG: the demo's stand-in for a scanned page.
SCAN_PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00"
            b"\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18"
            b"\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@register_seeder
def seed_evidence() -> None:
    case = EnforcementCase.objects.filter(
        department__name="北戴河区市场监督管理局",
        number=f"北市监罚〔{timezone.localdate().year}〕1号").first()
    officer = User.objects.filter(username="scj_zf1").first()
    if case is None or officer is None or EvidenceItem.objects.filter(case=case).exists():
        return
    today = timezone.localdate()
    record = services.evidence_add(actor=officer, case=case, kind=EvidenceKind.INQUIRY_RECORD, data={
        "title": "询问笔录（张某）", "proves": "当事人销售超过保质期食品的事实及货值",
        "source": "执法人员在海滨路门店询问当事人", "obtained_on": today, "verified": True,
        "has_alterations": True, "alterations_confirmed": True,
    })
    services.evidence_attach(actor=officer, item=record, fileobj=io.BytesIO(SCAN_PNG),
                             name="询问笔录（张某）扫描件.png", size=len(SCAN_PNG))
    services.evidence_add(actor=officer, case=case, kind=EvidenceKind.COPY, data={
        "title": "营业执照复印件", "proves": "当事人的经营主体资格", "source": "当事人提供",
        "obtained_on": today, "verified": True, "provider_marked": True, "marked_on": today,
    })
