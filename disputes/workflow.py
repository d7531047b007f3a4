"""The procedure of a dispute (M2.1–M2.4, M15.6): filed with the record of the failed
negotiation, accepted or refused by the justice bureau within its time limit, coordinated,
closed by an agreement every party confirms or by the written recommendation to the
district government, whose ruling every party carries out. Steps taken through a form of
their own (the agreement, the recommendation, the ruling, a party's part) are services
that call this table."""
from __future__ import annotations

from django.db.models import Q

from core.workflow import Meets, Opens, Transition, Workflow

from .models import DisputeStatus as S

ACCEPTANCE_RULE = "dispute_acceptance"
OPINION_RULE = "dispute_opinion"
CONFIRMATION_RULE = "dispute_confirmation"
RULING_RULE = "dispute_ruling"
IMPLEMENTATION_RULE = "dispute_implementation"


def _negotiation_recorded(dispute) -> list[str]:
    """M2.3: only a failed negotiation, recorded for every party, may be brought."""
    missing = [p.organization.name for p in dispute.parties.select_related("organization")
               .exclude(Q(pk__in=dispute.negotiations.values("party_id")))]
    reasons = []
    if dispute.parties.filter(is_applicant=False).count() == 0:
        reasons.append("请列明争议的其他当事单位。")
    if missing:
        reasons.append(f"缺少先行协商记录：尚未记录{'、'.join(missing)}在协商中的意见（协商日期、参加人员、该方意见）。")
    return reasons


def _all_confirmed(dispute) -> list[str]:
    waiting = dispute.parties.filter(confirmed_at__isnull=True).count()
    return [] if not waiting else [f"尚有 {waiting} 个当事单位未确认协调意见。"]


def _all_implemented(dispute) -> list[str]:
    waiting = dispute.parties.filter(implemented_at__isnull=True).count()
    return [] if not waiting else [f"尚有 {waiting} 个当事单位未报告执行情况。"]


def _any_party(dispute):
    return None


def _coordinator(dispute):
    return dispute.coordinator


DISPUTE_WORKFLOW = Workflow(
    owner=lambda d: d.applicant,
    transitions=[
        # M2.3 the application, M2.1 the bureau's time limit to accept it.
        Transition((S.DRAFT,), S.FILED, "dispute.file", "提交协调申请",
                   guards=(_negotiation_recorded,),
                   opens=(Opens(ACCEPTANCE_RULE, responsible=_coordinator),),
                   done="协调申请已提交区司法局。"),
        Transition((S.FILED,), S.COORDINATING, "dispute.coordinate", "受理", org=_coordinator,
                   meets=(Meets(ACCEPTANCE_RULE),), done="已受理，请征求各当事单位书面意见。"),
        Transition((S.FILED,), S.REFUSED, "dispute.coordinate", "不予受理", org=_coordinator,
                   needs_note=True, secondary=True, meets=(Meets(ACCEPTANCE_RULE),),
                   done="已不予受理，并告知申请单位。"),
        # The agreement (协调意见) is written in its own form: services.agreement_record.
        Transition((S.COORDINATING,), S.AGREEMENT, "dispute.coordinate", "出具协调意见",
                   org=_coordinator),
        # Closed when the last party confirms (services.agreement_confirm, which checks
        # that the actor acts for that party): whichever party is last, so no one unit.
        Transition((S.AGREEMENT,), S.SETTLED, "dispute.respond", "确认协调意见",
                   org=_any_party, guards=(_all_confirmed,)),
        # M2.4 failure: the written recommendation to the government,
        # services.recommendation_issue.
        Transition((S.COORDINATING, S.AGREEMENT), S.SUBMITTED, "dispute.coordinate",
                   "协调未果，报请区政府裁决", org=_coordinator),
        # The ruling with its document: services.ruling_record.
        Transition((S.SUBMITTED,), S.RULED, "dispute.rule", "作出裁决",
                   org=lambda d: d.government, meets=(Meets(RULING_RULE),)),
        # Closed when the last party reports: services.implementation_report.
        Transition((S.RULED,), S.CLOSED, "dispute.respond", "报告裁决执行情况",
                   org=_any_party, guards=(_all_implemented,)),
    ],
)

# Steps the detail page offers through forms of their own, not as plain buttons.
FORM_STEPS = (S.AGREEMENT, S.SETTLED, S.SUBMITTED, S.RULED, S.CLOSED)
