"""The one permissions policy: who may do what (capabilities) and who sees what (scopes).

Deny by default. A capability is granted only by a role listed for it below; a model is
visible only through the scope its app registers with ``@register_scope``, and a model
with no scope is visible to nobody. The justice bureau sees everything (SPEC, "Who uses
it"). Views and APIs never test roles themselves: they call ``require``/``has_capability``
and ``visible_to``/``access``.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce
from typing import Callable, Iterable, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.http import Http404

from .models import Membership, Organization, OrgKind, Role

R = Role

# Capability → (label shown in refusals, roles that hold it). Roles act for the
# organisation of their membership; ``has_capability(user, cap, org)`` checks both.
CAPABILITIES: dict[str, tuple[str, frozenset[str]]] = {
    # administration
    "admin.manage": ("管理用户、单位和日历", frozenset({R.SYSTEM_ADMIN})),
    "calendar.manage": ("维护工作日历", frozenset({R.SYSTEM_ADMIN, R.SUPERVISOR})),
    "audit.view": ("查看审计记录", frozenset({R.SUPERVISOR, R.SYSTEM_ADMIN, R.LEGAL_OFFICER,
                                           R.DEPARTMENT_HEAD})),
    # deadlines
    "deadline.waive": ("豁免期限", frozenset({R.SUPERVISOR})),
    "deadline.extend": ("批准延长期限", frozenset({R.SUPERVISOR, R.DEPARTMENT_HEAD})),
    # 我的时限 to Excel: every member exports the time limits the list shows them.
    "deadline.export": ("导出期限台账", frozenset(Role.values)),
    # documents
    "document.issue": ("签发公文", frozenset({R.SUPERVISOR, R.DEPARTMENT_HEAD,
                                          R.COORDINATION_OFFICE})),
    "document.void": ("作废公文", frozenset({R.SUPERVISOR, R.DEPARTMENT_HEAD})),
    # The list of documents is every member's; so is its Excel copy (rows scoped as the list).
    "document.export": ("导出公文目录", frozenset(Role.values)),
    # M7.1, M7.5: the justice bureau supervises and corrects through its notices.
    "supervision.notice": ("签发行政执法监督通知书", frozenset({R.SUPERVISOR})),
    # M7.5: the unit a notice is addressed to reports its rectification (or objects).
    "supervision.rectify": ("报告整改情况", frozenset({R.OFFICER, R.LEGAL_OFFICER,
                                                 R.DEPARTMENT_HEAD, R.LIAISON})),
    # cases and evidence (M13)
    "case.register": ("登记案件", frozenset({R.OFFICER, R.LEGAL_OFFICER})),
    "case.handle": ("办理案件", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD})),
    "case.legal_review": ("法制审核", frozenset({R.LEGAL_OFFICER})),
    "case.decide": ("作出决定", frozenset({R.DEPARTMENT_HEAD})),
    "case.export": ("导出案件台账", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                           R.SUPERVISOR})),
    "evidence.manage": ("登记和确认证据", frozenset({R.OFFICER, R.LEGAL_OFFICER})),
    # discipline referral (M10)
    "referral.write": ("撰写违纪线索", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD})),
    "referral.sign": ("负责人签字", frozenset({R.DEPARTMENT_HEAD})),
    "referral.acknowledge": ("签收违纪线索", frozenset({R.DISCIPLINE})),
    "referral.view": ("查看违纪线索移送", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                             R.DISCIPLINE, R.SUPERVISOR})),
    # M10.4: overdue, late and "no matter" referrals are the justice bureau's accountability leads.
    "referral.oversee": ("查看违纪线索移送问责清单", frozenset({R.SUPERVISOR})),
    # transfers (M4, M15)
    "transfer.prepare": ("准备移送", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD})),
    "transfer.approve": ("批准移送", frozenset({R.DEPARTMENT_HEAD})),
    "transfer.receive": ("接收移送", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD})),
    "transfer.police_decide": ("作出立案决定", frozenset({R.POLICE})),
    "transfer.order": ("责令限期移送", frozenset({R.SUPERVISOR, R.PROSECUTOR})),
    "transfer.supervise": ("监督案件移送", frozenset({R.SUPERVISOR, R.PROSECUTOR})),
    # Every role a transfer reaches (sender, receiver, police, supervisors): its lists'
    # exports; the rows stay within the visibility scope.
    "transfer.view": ("查看案件移送", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                             R.POLICE, R.PROSECUTOR, R.SUPERVISOR})),
    "cooperation.handle": ("办理协作事项", frozenset({R.OFFICER, R.LEGAL_OFFICER,
                                               R.DEPARTMENT_HEAD, R.LIAISON})),
    # M15: the township–district ledgers as Excel, for the parties, the justice bureau
    # (which sees all) and the district government (its disputes); rows stay scoped.
    "cooperation.export": ("导出协作台账", frozenset({R.OFFICER, R.LEGAL_OFFICER,
                                                R.DEPARTMENT_HEAD, R.LIAISON, R.SUPERVISOR,
                                                R.GOVERNMENT})),
    "dispute.rule": ("裁决争议", frozenset({R.GOVERNMENT})),
    # disputes (M2, M15.6): a department or township files with its failed negotiation,
    # the justice bureau coordinates, the parties answer (opinion, confirmation, carrying
    # out the ruling); the district government rules (``dispute.rule`` above).
    "dispute.view": ("查看执法争议协调", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                             R.LIAISON, R.SUPERVISOR, R.GOVERNMENT})),
    "dispute.file": ("申请执法争议协调", frozenset({R.LEGAL_OFFICER, R.DEPARTMENT_HEAD})),
    "dispute.respond": ("办理争议当事单位事项", frozenset({R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                                  R.LIAISON})),
    "dispute.coordinate": ("协调执法争议", frozenset({R.SUPERVISOR})),
    # joint meetings (M1, M14.1, M14.3): the coordination office convenes the enforcement
    # joint meeting, the approval bureau the approval–supervision one; member units name
    # their liaison, propose a temporary meeting and report on the matters assigned to them.
    "meeting.view": ("查看联席会议", frozenset({R.COORDINATION_OFFICE, R.APPROVAL_STAFF,
                                             R.DEPARTMENT_HEAD, R.LIAISON, R.LEGAL_OFFICER,
                                             R.PROSECUTOR, R.SUPERVISOR})),
    "meeting.convene": ("召集联席会议、督办议定事项", frozenset({R.COORDINATION_OFFICE,
                                                          R.APPROVAL_STAFF})),
    "meeting.propose": ("提议召开临时会议", frozenset({R.DEPARTMENT_HEAD, R.LIAISON})),
    "meeting.liaison": ("确定联络员", frozenset({R.DEPARTMENT_HEAD, R.LIAISON})),
    "meeting.report": ("反馈议定事项落实情况", frozenset({R.DEPARTMENT_HEAD, R.LIAISON,
                                                 R.LEGAL_OFFICER})),
    # complaints (M3, M15.2, M15.5): each unit registers and handles the complaints and
    # reports it receives; the justice bureau supervises every ledger and may accept one
    # itself (M3.3); the unit's head extends the handling period once; an assistance
    # request (协助调查 M3.4, 技术支持 and 调取档案 M15.5) is answered by its addressee.
    "complaint.view": ("查看投诉举报台账", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                                R.LIAISON, R.SUPERVISOR})),
    "complaint.handle": ("办理投诉举报", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                               R.LIAISON, R.SUPERVISOR})),
    "complaint.extend": ("延长投诉举报办理期限", frozenset({R.DEPARTMENT_HEAD, R.SUPERVISOR})),
    "complaint.channel": ("公布投诉举报渠道", frozenset({R.DEPARTMENT_HEAD, R.LEGAL_OFFICER,
                                                 R.LIAISON, R.SUPERVISOR})),
    "complaint.import": ("导入投诉举报台账", frozenset({R.DEPARTMENT_HEAD, R.LEGAL_OFFICER,
                                                R.LIAISON, R.SUPERVISOR})),
    "assistance.handle": ("办理协助请求", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                                R.LIAISON, R.SUPERVISOR})),
    # approvals/ (M14.2, M14.4): the approval bureau keeps its decisions and the routing
    # table; the supervising departments claim what is pushed to them and feed back their
    # supervision; the bureau and the justice bureau see who does not cooperate.
    "approval.view": ("查看审批监管信息", frozenset({R.APPROVAL_STAFF, R.OFFICER, R.LEGAL_OFFICER,
                                                R.DEPARTMENT_HEAD, R.LIAISON, R.SUPERVISOR})),
    "approval.manage": ("维护审批决定和审批监管路由表", frozenset({R.APPROVAL_STAFF})),
    "approval.claim": ("认领审批推送事项、反馈监管情况", frozenset({R.OFFICER, R.LEGAL_OFFICER,
                                                           R.DEPARTMENT_HEAD, R.LIAISON})),
    "approval.oversee": ("查看审批监管不配合情形", frozenset({R.APPROVAL_STAFF, R.SUPERVISOR})),
    # jointcases/ (M6): a lead department runs a joint operation with the participants;
    # a higher unit gives a lower one a task and accepts its report.
    "joint.view": ("查看联合执法", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                          R.LIAISON, R.SUPERVISOR})),
    "joint.lead": ("牵头组织联合执法", frozenset({R.DEPARTMENT_HEAD, R.LEGAL_OFFICER})),
    "joint.take_part": ("参加联合执法", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                              R.LIAISON})),
    "guidance.assign": ("下达督导任务", frozenset({R.DEPARTMENT_HEAD, R.LEGAL_OFFICER})),
    "guidance.report": ("反馈督导任务", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                             R.LIAISON})),
    # information sharing (infosharing, M5): every enforcement unit keeps its publicity
    # channels, answers the bureau's statistics requests and other agencies' queries; the
    # justice bureau inspects the channels each quarter and asks for the statistics.
    "infosharing.view": ("查看执法信息共享", frozenset(Role.values) - {R.EXPERT}),
    "infosharing.channels": ("维护本单位公示渠道", frozenset({R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                                      R.LIAISON})),
    "infosharing.inspect": ("开展网上巡查、要求统计报送", frozenset({R.SUPERVISOR})),
    "infosharing.report": ("报送执法统计", frozenset({R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                                R.LIAISON})),
    "infosharing.query": ("查询和答复执法信息", frozenset({R.OFFICER, R.LEGAL_OFFICER,
                                                    R.DEPARTMENT_HEAD, R.LIAISON,
                                                    R.SUPERVISOR})),
    # accountability (M8) and duty-performance exemption (M12): accountability/, exemption/.
    # M8.1: the agency's legal unit and head pursue its own officers; the head determines
    # the fault and decides a claim of lawful performance (M12.3); the officers concerned
    # see their own proceedings and claim; the justice bureau supervises every agency's.
    "accountability.view": ("查看责任追究", frozenset({R.OFFICER, R.LEGAL_OFFICER,
                                                 R.DEPARTMENT_HEAD, R.SUPERVISOR})),
    "accountability.pursue": ("办理责任追究", frozenset({R.LEGAL_OFFICER, R.DEPARTMENT_HEAD})),
    "accountability.decide": ("认定过错责任、决定免责", frozenset({R.DEPARTMENT_HEAD})),
    "accountability.claim": ("提出依法履职免责申请", frozenset({R.OFFICER, R.LEGAL_OFFICER,
                                                    R.DEPARTMENT_HEAD})),
    # M12.1–M12.2: every officer records an interference; the officer's head, the
    # discipline commission and the justice bureau read the records.
    "interference.record": ("记录干预执法活动情况", frozenset({R.OFFICER, R.LEGAL_OFFICER,
                                                     R.DEPARTMENT_HEAD})),
    "interference.view": ("查看干预执法活动记录", frozenset({R.OFFICER, R.LEGAL_OFFICER,
                                                    R.DEPARTMENT_HEAD, R.DISCIPLINE,
                                                    R.SUPERVISOR})),
    # guiding cases (M11), training (W1), information reports (W3) — guidingcases/,
    # training/, inforeports/: a department nominates its cases and reports its
    # information; the justice bureau reviews, invites experts and adopts; experts give
    # opinions; the district government publishes the guiding cases.
    "guidingcase.view": ("查看行政执法指导案例", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                                    R.SUPERVISOR, R.GOVERNMENT, R.EXPERT})),
    "guidingcase.nominate": ("报送指导案例", frozenset({R.LEGAL_OFFICER, R.DEPARTMENT_HEAD})),
    "guidingcase.review": ("审查指导案例、组织专家论证", frozenset({R.SUPERVISOR})),
    "guidingcase.opinion": ("出具专家论证意见", frozenset({R.EXPERT})),
    "guidingcase.publish": ("发布指导案例", frozenset({R.GOVERNMENT})),
    "training.view": ("查看执法培训", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                             R.LIAISON, R.SUPERVISOR, R.COORDINATION_OFFICE})),
    "training.record": ("登记执法培训", frozenset({R.LEGAL_OFFICER, R.DEPARTMENT_HEAD, R.LIAISON,
                                               R.SUPERVISOR})),
    "inforeport.view": ("查看执法信息报送", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                                 R.LIAISON, R.SUPERVISOR})),
    "inforeport.submit": ("报送执法信息", frozenset({R.OFFICER, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                              R.LIAISON})),
    "inforeport.adopt": ("采用执法信息", frozenset({R.SUPERVISOR})),
    # inspections (M7): the justice bureau checks for the government, a department's legal
    # unit inside its department (M7.1); the unit checked provides what is asked (M7.4);
    # the bureau handles the big-data monitoring leads (M7.3).
    "inspection.view": ("查看监督检查", frozenset({R.SUPERVISOR, R.LEGAL_OFFICER, R.DEPARTMENT_HEAD,
                                             R.LIAISON})),
    "inspection.plan": ("组织监督检查", frozenset({R.SUPERVISOR, R.LEGAL_OFFICER})),
    "inspection.provide": ("报送检查材料", frozenset({R.LEGAL_OFFICER, R.DEPARTMENT_HEAD, R.LIAISON})),
    "inspection.leads": ("处理大数据监测线索", frozenset({R.SUPERVISOR})),
    # assessment (M9, W2): the justice bureau draws up the scheme and scores, the district
    # government approves the results (M9.4); departments self-assess (M9.6) and evaluate
    # their officers (M9.7); the coordination office supervises implementation (W2).
    "appraisal.view": ("查看依法行政考核", frozenset({R.SUPERVISOR, R.GOVERNMENT, R.DEPARTMENT_HEAD,
                                                R.LEGAL_OFFICER})),
    "appraisal.manage": ("制定考核方案和评分", frozenset({R.SUPERVISOR})),
    "appraisal.approve": ("审定考核结果", frozenset({R.GOVERNMENT})),
    "self_assessment.write": ("填报考核自评和执法人员考核评议", frozenset({R.LEGAL_OFFICER,
                                                                R.DEPARTMENT_HEAD})),
    "implementation.supervise": ("督查机制落实情况", frozenset({R.COORDINATION_OFFICE,
                                                          R.SUPERVISOR})),
    # dashboard
    "dashboard.view": ("查看监督看板", frozenset(Role.values) - {R.EXPERT}),
}


@dataclass(frozen=True)
class Viewer:
    """What the policy needs to know about a user, computed once per request."""

    user_id: int | None
    org_ids: frozenset[int]
    sees_all: bool
    roles: frozenset[tuple[int, str]]  # (organization id, role)


_ANON = Viewer(user_id=None, org_ids=frozenset(), sees_all=False, roles=frozenset())


def viewer(user) -> Viewer:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _ANON
    cached = getattr(user, "_policy_viewer", None)
    if cached is not None:
        return cached
    rows = list(
        Membership.objects.filter(user_id=user.pk, organization__is_active=True)
        .values_list("organization_id", "role", "organization__kind")
    )
    v = Viewer(
        user_id=user.pk,
        org_ids=frozenset(org for org, _role, _kind in rows),
        sees_all=any(kind == OrgKind.JUSTICE_BUREAU for _org, _role, kind in rows),
        roles=frozenset((org, role) for org, role, _kind in rows),
    )
    user._policy_viewer = v
    return v


def forget(user) -> None:
    """Drop the cached viewer after a user's memberships change."""
    if hasattr(user, "_policy_viewer"):
        del user._policy_viewer


def capability_label(capability: str) -> str:
    return CAPABILITIES[capability][0]


def has_capability(user, capability: str, organization: Organization | int | None = None) -> bool:
    """Whether ``user`` holds ``capability`` — for ``organization`` when given, else anywhere."""
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    roles = CAPABILITIES[capability][1]
    org_id = organization.pk if isinstance(organization, Organization) else organization
    return any(
        role in roles and (org_id is None or org == org_id) for org, role in viewer(user).roles
    )


def require(user, capability: str, organization: Organization | int | None = None) -> None:
    if not has_capability(user, capability, organization):
        where = ""
        if isinstance(organization, Organization):
            where = f"（{organization.name}）"
        raise PermissionDenied(f"您没有“{capability_label(capability)}”的权限{where}。")


def may_open(user, capability: str | None) -> bool:
    """Whether ``user`` may open a page guarded by ``capability``: the justice bureau
    sees everything (SPEC, "Who uses it"), others need the capability somewhere; None
    means any signed-in member of an organisation. The one place this rule lives — the
    menu, the pages and their API endpoints all ask it."""
    v = viewer(user)
    if v.user_id is None:
        return False
    if capability is None:
        return bool(v.org_ids)
    return v.sees_all or has_capability(user, capability)


def require_open(user, capability: str | None) -> None:
    if not may_open(user, capability):
        if capability is None:
            raise PermissionDenied("您尚未加入任何单位，请联系系统管理员。")
        raise PermissionDenied(f"您没有“{capability_label(capability)}”的权限。")


class Predicate:
    """A ``may_*`` rule for a write that is not a status transition (edit a draft, upload
    a material …): the page asks it to show the form, the service asks ``require`` before
    writing — one expression, so the two never disagree.

        may_edit_draft = Predicate("修改移送草稿", lambda user, t: …)
        if may_edit_draft(user, transfer): …          # page
        may_edit_draft.require(actor, transfer)       # service
    """

    def __init__(self, label: str, test: Callable[..., bool]):
        self.label, self.test = label, test
        self.__name__ = getattr(test, "__name__", "predicate")

    def __call__(self, user, *objects) -> bool:
        return bool(self.test(user, *objects))

    def require(self, user, *objects) -> None:
        if not self(user, *objects):
            raise PermissionDenied(f"您不能{self.label}。")


def predicate(label: str) -> Callable[[Callable[..., bool]], Predicate]:
    """Decorator form of ``Predicate``: ``@policy.predicate("修改证据")``."""
    return lambda test: Predicate(label, test)


def organizations_with(user, capability: str) -> models.QuerySet[Organization]:
    """The organisations for which ``user`` holds ``capability`` (for form choices)."""
    roles = CAPABILITIES[capability][1]
    ids = {org for org, role in viewer(user).roles if role in roles}
    return Organization.objects.filter(pk__in=ids, is_active=True)


# --- visibility scopes -------------------------------------------------------------------
M = TypeVar("M", bound=models.Model)
ScopeFn = Callable[[Viewer], Q]
_SCOPES: dict[type[models.Model], list[ScopeFn]] = {}


def register_scope(model: type[M]) -> Callable[[ScopeFn], ScopeFn]:
    """Declare rows of ``model`` that users outside the justice bureau may see.

    The function receives the ``Viewer`` and returns a ``Q`` for the rows its
    organisations are party to (owner, receiver, copied, assisting …). Several apps may
    register for one model — a transfer makes a case visible to its receiver without the
    cases app knowing transfers — and a row is visible when any of them says so.
    """

    def decorate(fn: ScopeFn) -> ScopeFn:
        if fn not in _SCOPES.setdefault(model, []):
            _SCOPES[model].append(fn)
        return fn

    return decorate


def scoped_models() -> Iterable[type[models.Model]]:
    return tuple(_SCOPES)


def scope_q(viewer: Viewer, model: type[models.Model]) -> Q:
    """The condition for rows of ``model`` a viewer outside the justice bureau sees —
    for scopes that follow another model's visibility (a party follows its case)."""
    scopes = _SCOPES.get(model)
    if not scopes:
        return Q(pk__in=[])
    return reduce(operator.or_, (fn(viewer) for fn in scopes))


def visible_to(user, model_or_qs: type[M] | models.QuerySet[M]) -> models.QuerySet[M]:
    qs = model_or_qs if isinstance(model_or_qs, models.QuerySet) else model_or_qs._default_manager.all()
    scopes = _SCOPES.get(qs.model)
    v = viewer(user)
    if not scopes or v.user_id is None:
        return qs.none()
    if v.sees_all:
        return qs
    return qs.filter(scope_q(v, qs.model))


NOT_FOUND = "记录不存在或您无权查看。"


def access(user, model_or_qs: type[M] | models.QuerySet[M], pk) -> M:
    """Fetch one object through the scope: missing and forbidden raise the same 404."""
    try:
        return visible_to(user, model_or_qs).get(pk=pk)
    except (models.ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


def sees_all(user) -> bool:
    return viewer(user).sees_all


def visible_pks(viewer: Viewer, model: type[models.Model], as_text: bool = False) -> models.QuerySet:
    """Primary keys of the rows of ``model`` the viewer sees (text for generic relations)."""
    qs = model._default_manager.filter(scope_q(viewer, model))
    if as_text:
        return qs.annotate(_pk_text=Cast("pk", models.CharField())).values("_pk_text")
    return qs.values("pk")
