"""The sources that exist today, registered by ``AccountabilityConfig.ready()`` through the
apps' own selectors: an M10.4 discipline-referral failure (overdue, referred late, or
judged to hold no discipline matter) and an M4.5 ordered transfer (the department did not
transfer a case it had to)."""
from __future__ import annotations

from django.db.models import Q

from core import policy
from core.models import User

from . import sources
from .selectors import PURSUING_ROLES


def _agencies(user) -> list[int]:
    return sorted({org for org, role in policy.viewer(user).roles if role in PURSUING_ROLES})


def _referral_failures(user):
    from discipline.models import ReferralStatus
    from discipline.selectors import overdue_or_late_q, referral_list

    return referral_list(user).filter(overdue_or_late_q() | Q(status=ReferralStatus.NO_MATTER),
                                      department_id__in=_agencies(user))


def _referral_text(referral) -> str:
    """As the 问责线索 page says it (the candidates carry the deadline's state)."""
    from discipline.models import ReferralStatus

    if referral.status == ReferralStatus.NO_MATTER:
        ground = "经研判无违纪线索"
    elif getattr(referral, "deadline_state", "") == "overdue":
        ground = "逾期未移送"
    else:
        ground = "逾期后移送"
    return f"案件{referral.case.number}{ground}"


def _referral_officers(referral):
    return User.objects.filter(Q(cases=referral.case_id) | Q(pk=referral.signed_by_id)).distinct()


def _orders(user):
    from transfers.selectors import orders_for

    return orders_for(user).filter(department_id__in=_agencies(user))


def register_all() -> None:
    from discipline.models import DisciplineReferral
    from transfers.models import TransferOrder

    sources.register(sources.SourceKind(
        key="discipline_referral", label="违纪线索移送", model=DisciplineReferral,
        candidates=_referral_failures, agency=lambda r: r.department,
        officers=_referral_officers, describe=_referral_text, order=10))
    sources.register(sources.SourceKind(
        key="transfer_order", label="责令限期移送", model=TransferOrder,
        candidates=_orders, agency=lambda o: o.department,
        officers=lambda o: User.objects.filter(cases=o.case_id),
        describe=lambda o: f"案件{o.case.number}应移送{o.receiver.name}而未移送，{o.issuer.name}责令限期移送",
        order=20))
