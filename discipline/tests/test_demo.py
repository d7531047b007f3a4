"""The demo discipline referral (discipline/demo.py): the demo case 北城管罚〔年〕1号 closed on
a state functionary, its referral driven through the services to 已移送, once."""
from __future__ import annotations

import pytest
from django.utils import timezone

from cases.models import CaseStatus, EnforcementCase
from core import demo, policy
from core.models import Event, User
from deadlines.models import Deadline, DeadlineState, Notification
from discipline.models import DisciplineReferral, ReferralStatus

pytestmark = pytest.mark.django_db


def test_demo_referral_is_delivered_to_the_commission_once():
    demo.seed()
    year = timezone.localdate().year
    case = EnforcementCase.objects.get(number=f"北城管罚〔{year}〕1号")
    assert case.status == CaseStatus.CLOSED
    referral = DisciplineReferral.objects.get(case=case)  # (accountability/demo.py adds another)
    assert referral.case == case
    assert referral.status == ReferralStatus.DELIVERED
    assert [p.name for p in referral.parties.all()] == ["李某"]
    assert referral.letter_number.startswith(f"北城管纪移〔{year}〕")
    assert referral.penalty_decision is not None
    assert referral.signed_by.username == "cg_fzr" and referral.seal_confirmed_at is not None
    # M10.3: delivered on the day of closure, within the 10 working days.
    deadline = Deadline.objects.get(target_type__model="disciplinereferral",
                                    target_id=str(referral.pk))
    assert (deadline.rule, deadline.state) == ("discipline_referral", DeadlineState.MET)
    # The commission's demo user has it to acknowledge.
    jw = User.objects.get(username="jw")
    assert policy.visible_to(jw, DisciplineReferral).filter(pk=referral.pk).exists()
    assert policy.has_capability(jw, "referral.acknowledge", referral.commission)
    assert Notification.objects.filter(recipient=jw, target_id=str(referral.pk)).exists()

    footprint = (DisciplineReferral.objects.count(), Deadline.objects.count(), Event.objects.count())
    demo.seed()
    assert (DisciplineReferral.objects.count(), Deadline.objects.count(),
            Event.objects.count()) == footprint
