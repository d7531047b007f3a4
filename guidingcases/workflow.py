"""The review of a guiding case: the justice bureau invites experts (M11.5) — a form of
its own, ``services.expert_invite`` —, decides once every invited expert has given an
opinion, and the government publishes an approved case (M11.3) through
``services.guiding_case_publish`` (channels and date)."""
from __future__ import annotations

from core.models import Organization, OrgKind
from core.workflow import Transition, Workflow

from .models import GuidingCase
from .models import GuidingStatus as G


def justice_bureau(_obj=None) -> Organization | None:
    return Organization.objects.filter(kind=OrgKind.JUSTICE_BUREAU, is_active=True).order_by("pk").first()


def government(_obj=None) -> Organization | None:
    return Organization.objects.filter(kind=OrgKind.GOVERNMENT, is_active=True).order_by("pk").first()


def _opinions_in(gc: GuidingCase) -> list[str]:
    if not gc.opinions.exists():
        return ["请先邀请专家论证。"]
    waiting = gc.opinions.filter(submitted_at__isnull=True).count()
    return [f"尚有 {waiting} 位专家未提交论证意见。"] if waiting else []


GUIDING_WORKFLOW = Workflow(
    owner=justice_bureau,
    transitions=[
        # Inviting experts: services.expert_invite (the experts and the due date).
        Transition((G.SUBMITTED,), G.REVIEWING, "guidingcase.review", "组织专家论证",
                   done="已邀请专家论证。"),
        Transition((G.REVIEWING,), G.APPROVED, "guidingcase.review", "审查通过",
                   guards=(_opinions_in,), done="审查通过，已报区人民政府发布。"),
        Transition((G.SUBMITTED, G.REVIEWING), G.REJECTED, "guidingcase.review", "审查不通过",
                   needs_note=True, secondary=True, done="审查不通过，已告知办案单位。"),
        # Publishing: services.guiding_case_publish (channels and date).
        Transition((G.APPROVED,), G.PUBLISHED, "guidingcase.publish", "发布指导案例",
                   org=government, done="指导案例已发布。"),
    ],
)
