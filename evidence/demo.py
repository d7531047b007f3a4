"""Demo evidence (``manage.py seed_demo``) on the demo case 北市监罚〔年〕1号: one confirmed
inquiry record with its scan, and a copy still lacking the provider's signature, so the
case page shows why the case cannot yet be decided (M13). The demo case 北市监罚〔年〕2号 is
decided here, on a confirmed record registered first: a penalty is decided only on at least
one confirmed item (M13); ``confirmed_record`` does the same for other apps' demo cases."""
from __future__ import annotations

import io

from django.utils import timezone

from cases import services as case_services
from cases.models import CaseStatus, EnforcementCase
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


def confirmed_record(*, officer: User, case: EnforcementCase, title: str, proves: str,
                     source: str) -> EvidenceItem:
    """A confirmed inquiry record with its scan, through the services (M13)."""
    record = services.evidence_add(actor=officer, case=case, kind=EvidenceKind.INQUIRY_RECORD, data={
        "title": title, "proves": proves, "source": source,
        "obtained_on": timezone.localdate(), "verified": True,
    })
    services.evidence_attach(actor=officer, item=record, fileobj=io.BytesIO(SCAN_PNG),
                             name=f"{title}扫描件.png", size=len(SCAN_PNG))
    return record


@register_seeder
def seed_decided_penalty() -> None:
    """北市监罚〔年〕2号 (in 调查取证 from the cases seeder): its confirmed record, then the
    decision. Does nothing once the case has evidence or has left 调查取证."""
    case = EnforcementCase.objects.filter(
        department__name="北戴河区市场监督管理局",
        number=f"北市监罚〔{timezone.localdate().year}〕2号").first()
    users = {u.username: u for u in User.objects.filter(username__in=["scj_zf2", "scj_fzr"])}
    if (case is None or len(users) != 2 or case.status != CaseStatus.INVESTIGATING
            or EvidenceItem.objects.filter(case=case).exists()):
        return
    confirmed_record(officer=users["scj_zf2"], case=case, title="询问笔录（公司负责人）",
                     proves="当事人销售商品未明码标价的事实",
                     source="执法人员在当事人经营场所询问其负责人")
    case_services.case_record_decision(actor=users["scj_fzr"], case=case,
                                       decision_date=timezone.localdate(),
                                       decision_summary="警告，并处罚款二千元。", penalty_amount=2000)
