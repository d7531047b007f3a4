"""A demo discipline referral (``manage.py seed_demo``), driven through the services so it
has its audit trail, its 10-working-day deadline and its numbered 违纪线索移送函 (M10.3):
the demo case 北城管罚〔年〕1号 is decided (on a confirmed inquiry record, M13) and closed on its party 李某, found to be a state
functionary; closing opens the referral, which is written, signed by the head, sealed and
delivered to 北戴河区纪委监委, where it waits for 签收 (by ``jw``).

Not 北市监罚〔年〕1号, whose party is flagged already: its unconfirmed evidence
(evidence/demo.py) keeps it from being decided (M13), which is what that case shows.
Runs after the cases seeder (``discipline`` follows ``cases`` in INSTALLED_APPS); does
nothing once the case has a referral or has left 立案.
"""
from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from cases import services as case_services
from cases.models import CaseStatus, EnforcementCase
from core.demo import register_seeder
from core.models import Organization, User
from evidence.demo import SCAN_PNG, confirmed_record

from . import services
from .models import DisciplineReferral

URBAN = "北戴河区城市管理综合行政执法局"
COMMISSION = "北戴河区纪委监委"
LEADS = ("当事人李某系北戴河区某事业单位工作人员（国家公职人员），在海滨路占道经营，经执法人员"
         "劝阻拒不改正，受到警告并处罚款五百元的行政处罚，可能违反《中华人民共和国公职人员政务"
         "处分法》有关规定。")


@register_seeder
def seed_referral() -> None:
    case = EnforcementCase.objects.filter(
        department__name=URBAN, number=f"北城管罚〔{timezone.localdate().year}〕1号").first()
    commission = Organization.objects.filter(name=COMMISSION).first()
    users = {u.username: u for u in User.objects.filter(username__in=["cg_zf1", "cg_fzr"])}
    if (case is None or commission is None or len(users) != 2 or case.status != CaseStatus.FILED
            or DisciplineReferral.objects.filter(case=case).exists()):
        return
    officer, head = users["cg_zf1"], users["cg_fzr"]
    party = case.parties.get(name="李某")
    # M10.1: the party's political status and employment are recorded truthfully.
    case_services.party_update(actor=officer, party=party, data={
        "political_status": "masses", "employer": "北戴河区某事业单位", "post": "职员",
        "is_state_functionary": True})
    case_services.case_transition(case=case, target=CaseStatus.INVESTIGATING, actor=officer)
    # M13: the penalty is decided on a confirmed item of evidence.
    confirmed_record(officer=officer, case=case, title="询问笔录（李某）",
                     proves="当事人在海滨路占道经营、经劝阻拒不改正的事实",
                     source="执法人员在海滨路现场询问当事人")
    case_services.case_record_decision(
        actor=head, case=case, decision_date=timezone.localdate(),
        decision_summary="警告，并处罚款五百元。", penalty_amount=500,
        document=ContentFile(SCAN_PNG, name="行政处罚决定书（扫描件）.png"))
    # 结案 opens the referral (DisciplineConfig registers the entry effect), with the
    # decision document attached.
    case_services.case_transition(case=case, target=CaseStatus.CLOSED, actor=head)
    referral = DisciplineReferral.objects.get(case=case)
    services.referral_write(actor=officer, referral=referral, leads=LEADS, commission=commission)
    services.referral_submit(actor=officer, referral=referral)
    services.referral_sign(actor=head, referral=referral)
    services.referral_confirm_seal(actor=officer, referral=referral)
    services.referral_deliver(actor=head, referral=referral)
