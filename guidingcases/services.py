"""Every write of the guiding cases: a department's nomination (M11.1, M11.2) — which
meets its yearly submission duty —, the justice bureau's own proposal (M11.5), the
invitation of experts with a deadline each and their opinions (M11.5), the bureau's
decision, the government's publication (M11.3) and the year's numbered compilation."""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import CaseStatus, EnforcementCase
from core import policy
from core.audit import audit_record, diff, snapshot
from core.models import Membership, OrgKind, Role, User
from core.workflow import transition_apply
from deadlines.calendar import end_of_day
from deadlines.notifications import notification_send
from deadlines.services import deadline_meet, deadline_open
from documents.models import Document
from documents.services import document_issue

from .deidentify import deidentify
from .models import REASONS, ExpertOpinion, GuidingCase, GuidingStatus, OpinionConclusion, Origin
from .selectors import OPINION_RULE, RULE, published_of_year
from .workflow import GUIDING_WORKFLOW, government, justice_bureau

COMPILATION_KIND = "guiding_case_compilation"
TEXT_FIELDS = ("title", "facts", "handling", "significance", "legal_basis")


# --- who may do what (the pages ask the same predicates) -------------------------------
@policy.predicate("以该单位名义报送指导案例")
def may_nominate(user, case: EnforcementCase) -> bool:
    return policy.has_capability(user, "guidingcase.nominate", case.department_id)


@policy.predicate("选取该案件作为拟发布的指导案例")
def may_propose(user, case: EnforcementCase | None = None) -> bool:
    bureau = justice_bureau()
    return bureau is not None and policy.has_capability(user, "guidingcase.review", bureau)


@policy.predicate("修改该指导案例")
def may_edit(user, gc: GuidingCase) -> bool:
    if gc.status not in (GuidingStatus.SUBMITTED, GuidingStatus.REVIEWING):
        return False
    if gc.origin == Origin.DEPARTMENT and policy.has_capability(user, "guidingcase.nominate",
                                                                gc.department_id):
        return True
    return may_propose(user)


@policy.predicate("邀请专家论证")
def may_invite(user, gc: GuidingCase) -> bool:
    return gc.status in (GuidingStatus.SUBMITTED, GuidingStatus.REVIEWING) and may_propose(user)


@policy.predicate("提交该案例的论证意见")
def may_give_opinion(user, opinion: ExpertOpinion) -> bool:
    return (opinion.expert_id == user.pk and opinion.guiding_case.status == GuidingStatus.REVIEWING
            and policy.has_capability(user, "guidingcase.opinion", opinion.pool_id))


@policy.predicate("发布该指导案例")
def may_publish(user, gc: GuidingCase) -> bool:
    gov = government()
    return (gc.status == GuidingStatus.APPROVED and gov is not None
            and policy.has_capability(user, "guidingcase.publish", gov))


@policy.predicate("印发指导案例汇编")
def may_compile(user) -> bool:
    gov = government()
    return gov is not None and policy.has_capability(user, "guidingcase.publish", gov)


# --- nomination (M11.1, M11.2, M11.5) ---------------------------------------------------
def _texts(case: EnforcementCase, texts: dict) -> dict:
    """The public texts, stripped and de-identified against the case's parties."""
    parties = list(case.parties.all())
    return {name: deidentify(str(texts.get(name, "")).strip(), parties) for name in TEXT_FIELDS}


def _check_case(case: EnforcementCase) -> None:
    if case.status != CaseStatus.CLOSED or case.closed_on is None:
        raise ValidationError({"case": "只能选择已结案的案件。"})
    if GuidingCase.objects.filter(case=case).exists():
        raise ValidationError({"case": "该案件已报送为指导案例。"})


def _check_reasons(reasons: Iterable[str]) -> list[str]:
    reasons = [r for r in reasons if r in REASONS]
    if not reasons:
        raise ValidationError({"reasons": "请至少选择一项选择理由。"})
    return reasons


def _create(*, actor, case: EnforcementCase, origin: str, reasons: Iterable[str],
            texts: dict) -> GuidingCase:
    _check_case(case)
    reasons = _check_reasons(reasons)
    gc = GuidingCase(case=case, department=case.department, year=case.closed_on.year,
                     origin=origin, act_type=case.act_type, created_by=actor,
                     **{name: True for name in reasons}, **_texts(case, texts))
    gc.full_clean(exclude=["case"])
    gc.save()
    audit_record(actor=actor, verb="guidingcases.guidingcase.create", target=gc,
                 organization=case.department,
                 changes=diff({}, snapshot(gc, ["year", "origin", "act_type", "title"])),
                 note=gc.reasons_text)
    return gc


def guiding_case_nominate(*, actor, case: EnforcementCase, reasons: Iterable[str],
                          texts: dict) -> GuidingCase:
    """A department submits one of its closed cases to the justice bureau for review
    (M11.2), classed by the case's act type, with its reasons (M11.1). It meets the
    department's submission duty of the case's year; the bureau is told."""
    may_nominate.require(actor, case)
    with transaction.atomic():
        gc = _create(actor=actor, case=case, origin=Origin.DEPARTMENT, reasons=reasons, texts=texts)
        deadline_meet(target=case.department, rule=RULE, actor=actor, period=str(gc.year))
        notification_send(recipients=[justice_bureau()], subject=f"指导案例报送：{gc.title}",
                          body=f"{gc.department.name}报送{gc.year}年度{gc.get_act_type_display()}案例。",
                          target=gc, actor=actor)
    return gc


def guiding_case_propose(*, actor, case: EnforcementCase, reasons: Iterable[str],
                         texts: dict) -> GuidingCase:
    """M11.5: the justice bureau chooses a department's case as a proposed guiding case;
    the department is told."""
    may_propose.require(actor, case)
    with transaction.atomic():
        gc = _create(actor=actor, case=case, origin=Origin.BUREAU, reasons=reasons, texts=texts)
        notification_send(recipients=[case.department], subject=f"案件拟作为指导案例：{gc.title}",
                          body=f"区司法局选取贵单位案件{case.number}作为拟发布的行政执法指导案例。",
                          target=gc, actor=actor)
    return gc


def guiding_case_update(*, actor, guiding_case: GuidingCase, reasons: Iterable[str],
                        texts: dict) -> GuidingCase:
    """Correct the texts and reasons while the case is under review."""
    gc = guiding_case
    may_edit.require(actor, gc)
    reasons = _check_reasons(reasons)
    fields = [*REASONS, *TEXT_FIELDS]
    before = snapshot(gc, fields)
    for name in REASONS:
        setattr(gc, name, name in reasons)
    for name, value in _texts(gc.case, texts).items():
        setattr(gc, name, value)
    gc.full_clean(exclude=["case"])
    with transaction.atomic():
        gc.save(update_fields=fields)
        audit_record(actor=actor, verb="guidingcases.guidingcase.update", target=gc,
                     organization=gc.department, changes=diff(before, snapshot(gc, fields)))
    return gc


# --- expert review (M11.5) ---------------------------------------------------------------
def _pool_of(expert: User):
    membership = (Membership.objects.filter(user=expert, role=Role.EXPERT, user__is_active=True,
                                            organization__kind=OrgKind.EXPERT_POOL,
                                            organization__is_active=True)
                  .select_related("organization").first())
    return membership.organization if membership else None


def expert_invite(*, actor, guiding_case: GuidingCase, experts: Iterable[User],
                  due_on: dt.date) -> list[ExpertOpinion]:
    """The bureau invites experts of the expert pool to give their opinion by ``due_on``:
    a deadline for each expert, an inbox message; the case moves to 专家论证中."""
    gc = guiding_case
    may_invite.require(actor, gc)
    experts = list(experts)
    if not experts:
        raise ValidationError({"experts": "请选择论证专家。"})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "意见期限不能早于今天。"})
    invited = set(gc.opinions.values_list("expert_id", flat=True))
    opinions = []
    with transaction.atomic():
        for expert in experts:
            pool = _pool_of(expert)
            if pool is None:
                raise ValidationError({"experts": f"{expert.display_name}不是专家库的专家。"})
            if expert.pk in invited:
                raise ValidationError({"experts": f"已邀请{expert.display_name}论证该案例。"})
            opinion = ExpertOpinion.objects.create(guiding_case=gc, expert=expert, pool=pool,
                                                   invited_by=actor, due_on=due_on)
            deadline_open(target=opinion, rule=OPINION_RULE, responsible=pool, person=expert,
                          start=timezone.now(), due=end_of_day(due_on), actor=actor)
            opinions.append(opinion)
        audit_record(actor=actor, verb="guidingcases.expert.invite", target=gc,
                     organization=justice_bureau(), changes={"due_on": [None, due_on]},
                     note="论证专家：" + "、".join(e.display_name for e in experts))
        if gc.status == GuidingStatus.SUBMITTED:
            transition_apply(workflow=GUIDING_WORKFLOW, obj=gc, target=GuidingStatus.REVIEWING,
                             actor=actor)
        notification_send(recipients=experts, subject=f"邀请论证指导案例：{gc.title}",
                          body=f"请于{due_on.month}月{due_on.day}日24时前提交论证意见。",
                          target=gc, actor=actor)
    return opinions


def expert_opinion_submit(*, actor, opinion: ExpertOpinion, conclusion: str,
                          text: str) -> ExpertOpinion:
    """The expert gives his opinion: his deadline is met; the bureau is told."""
    may_give_opinion.require(actor, opinion)
    if conclusion not in OpinionConclusion.values:
        raise ValidationError({"conclusion": "请选择论证结论。"})
    if not text.strip():
        raise ValidationError({"opinion": "请填写论证意见。"})
    now = timezone.now()
    with transaction.atomic():
        claimed = ExpertOpinion.objects.filter(pk=opinion.pk, submitted_at__isnull=True).update(
            conclusion=conclusion, opinion=text.strip(), submitted_at=now)
        if not claimed:
            raise ValidationError("论证意见已经提交。")
        opinion.refresh_from_db()
        audit_record(actor=actor, verb="guidingcases.opinion.submit", target=opinion,
                     organization=opinion.pool,
                     changes={"conclusion": [None, opinion.get_conclusion_display()]})
        deadline_meet(target=opinion, rule=OPINION_RULE, actor=actor, at=now)
        notification_send(recipients=[justice_bureau()], target=opinion.guiding_case, actor=actor,
                          subject=f"专家论证意见：{opinion.guiding_case.title}")
    return opinion


# --- decision and publication (M11.3) ----------------------------------------------------
def guiding_case_decide(*, actor, guiding_case: GuidingCase, approve: bool,
                        note: str = "") -> GuidingCase:
    """The bureau's review: approved (reported to the government for publication) or not
    (with its reasons); the department is told."""
    gc = guiding_case
    target = GuidingStatus.APPROVED if approve else GuidingStatus.REJECTED
    with transaction.atomic():
        transition_apply(workflow=GUIDING_WORKFLOW, obj=gc, target=target, actor=actor, note=note,
                         updates={"decision_note": note.strip(), "decided_at": timezone.now()})
        recipients = [gc.department] + ([government()] if approve else [])
        notification_send(recipients=recipients, target=gc, actor=actor,
                          subject=f"指导案例{'审查通过' if approve else '审查未通过'}：{gc.title}",
                          body=note.strip())
    return gc


def guiding_case_publish(*, actor, guiding_case: GuidingCase, in_gazette: bool, in_press: bool,
                         in_compilation: bool, published_on: dt.date) -> GuidingCase:
    """M11.3: the government publishes the approved case — in the gazette, the press, the
    compilation (one or more) — on ``published_on``; it then appears on the public portal."""
    gc = guiding_case
    may_publish.require(actor, gc)
    if not (in_gazette or in_press or in_compilation):
        raise ValidationError({"in_gazette": "请至少选择一种发布形式。"})
    if published_on > timezone.localdate():
        raise ValidationError({"published_on": "发布日期不能晚于今天。"})
    with transaction.atomic():
        transition_apply(workflow=GUIDING_WORKFLOW, obj=gc, target=GuidingStatus.PUBLISHED,
                         actor=actor, updates={"in_gazette": in_gazette, "in_press": in_press,
                                               "in_compilation": in_compilation,
                                               "published_on": published_on, "published_by": actor})
        notification_send(recipients=[gc.department, justice_bureau()], target=gc, actor=actor,
                          subject=f"指导案例已发布：{gc.title}", body=f"发布形式：{gc.channels_text}。")
    return gc


def _compilation_data(year: int) -> dict:
    cases = [{"title": gc.title, "act_type": gc.get_act_type_display(), "department": gc.department.name,
              "facts": gc.facts, "handling": gc.handling, "significance": gc.significance,
              "legal_basis": gc.legal_basis} for gc in published_of_year(year)]
    return {"year": str(year), "cases": cases}


def compilation_issue(*, actor, year: int) -> Document:
    """The numbered 行政执法指导案例汇编 of ``year``'s published cases, in the
    government's name (M11.3)."""
    may_compile.require(actor)
    data = _compilation_data(year)
    if not data["cases"]:
        raise ValidationError({"year": f"{year}年度尚无已发布的指导案例。"})
    with transaction.atomic():
        document = document_issue(kind=COMPILATION_KIND, issuer=government(), data=data, target=None,
                                  actor=actor, title=f"{year}年度行政执法指导案例汇编")
        audit_record(actor=actor, verb="guidingcases.compilation.issue", target=document,
                     organization=government(), note=f"{year}年度，收录 {len(data['cases'])} 件")
    return document
