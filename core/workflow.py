"""The one status-transition mechanism every mechanism uses (STYLE: no hand-made state
machines).

A model declares its ``Workflow``: the status field, and the allowed transitions, each
with the capability it needs, the organisation that capability is checked for, guards
that name what is missing, the deadlines it opens and meets, and effects (notify, issue
…) that run in the same transaction. Guards and effects are function references, so a
renamed function fails at import, not when the transition first runs.
``transition_apply`` is the only code that changes such a status; ``Workflow.actions``
gives a page its buttons and, for the steps this user cannot take, who acts next.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction

from . import policy
from .audit import audit_record

Guard = Callable[[models.Model], Iterable[str]]
Effect = Callable[..., None]
OrgOf = Callable[[models.Model], Any]


@dataclass(frozen=True)
class Opens:
    """A deadline a transition opens (``deadlines.services.deadline_open``): the rule, the
    organisation responsible (default: the workflow's owner), its start (default: now),
    its due when written in a notice or order (default: computed from the rule) and the
    object it is kept on (default: the record itself)."""

    rule: str
    responsible: OrgOf | None = None
    start: Callable[[models.Model], Any] | None = None
    due: Callable[[models.Model], Any] | None = None
    on: Callable[[models.Model], models.Model] | None = None


@dataclass(frozen=True)
class Meets:
    """A deadline a transition meets (``deadlines.services.deadline_meet``), on the record
    itself unless ``on`` names another object (the case behind it …)."""

    rule: str
    on: Callable[[models.Model], models.Model] | None = None


class TransitionNotAllowed(ValidationError):
    pass


class TransitionConflict(ValidationError):
    """Someone else moved the record first (two clicks, two users, a retried task)."""


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    capability: str
    label: str
    # The organisation the capability is checked for; default: the workflow's owner.
    org: Callable[[models.Model], Any] | None = None
    # Each guard returns the reasons the transition cannot happen now (Chinese text).
    guards: tuple[Guard, ...] = ()
    # Called as effect(obj=…, actor=…, transition=…, source=…) after the status moved.
    effects: tuple[Effect, ...] = ()
    # A reason the user must give (a return, a refusal …).
    needs_note: bool = False
    # Deadlines opened and met in the same transaction as the move.
    opens: tuple[Opens, ...] = ()
    meets: tuple[Meets, ...] = ()
    # Whether the step exists for this record at all (a transfer's kind keeps it on its
    # own path): a step that does not apply is neither shown nor allowed.
    applies: Callable[[models.Model], bool] | None = None
    # Shown as a secondary button (a return, a refusal, a cancellation).
    secondary: bool = False
    # The sentence shown when done ("已移送。"); default: 已 + the label.
    done: str = ""

    @property
    def done_text(self) -> str:
        if self.done:
            return self.done
        return f"{self.label}。" if self.label.startswith(("已", "不", "维持")) else f"已{self.label}。"

    def applies_to(self, obj: models.Model) -> bool:
        return self.applies is None or bool(self.applies(obj))


@dataclass(frozen=True)
class Action:
    """One step a page offers: a button for the user who may take it now, or the reasons
    it is blocked (``blockers``)."""

    target: str
    label: str
    needs_note: bool
    secondary: bool
    blockers: tuple[str, ...]


@dataclass(frozen=True)
class Actions:
    """What a detail page shows of a workflow: the user's buttons, and for the steps
    others take, who acts next ("待北戴河区城市管理局部门负责人批准移送")."""

    buttons: tuple[Action, ...]
    waiting: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.buttons or self.waiting)

    def button(self, target: str) -> Action | None:
        return next((b for b in self.buttons if b.target == target), None)


@dataclass
class Workflow:
    owner: Callable[[models.Model], Any]
    transitions: list[Transition]
    status_field: str = "status"
    verb: str = "transition"
    _index: dict[tuple[str, str], Transition] = field(init=False, repr=False)
    # Guards and effects other apps attach to every transition into a status (evidence
    # blocks 决定; a closed case opens a discipline referral …) without the owning app
    # importing them.
    _entry_guards: dict[str, list[Guard]] = field(init=False, repr=False)
    _entry_effects: dict[str, list[Effect]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._entry_guards, self._entry_effects = {}, {}
        self._index = {}
        for t in self.transitions:
            for source in t.sources:
                key = (source, t.target)
                if key in self._index:
                    raise ValueError(f"transition {key} declared twice")
                self._index[key] = t

    def add_entry_guard(self, target: str, guard: Guard) -> None:
        if guard not in self._entry_guards.setdefault(target, []):
            self._entry_guards[target].append(guard)

    def add_entry_effect(self, target: str, effect: Effect) -> None:
        if effect not in self._entry_effects.setdefault(target, []):
            self._entry_effects[target].append(effect)

    def guards_for(self, transition: Transition) -> list[Guard]:
        return [*transition.guards, *self._entry_guards.get(transition.target, [])]

    def effects_for(self, transition: Transition) -> list[Effect]:
        return [*transition.effects, *self._entry_effects.get(transition.target, [])]

    def find(self, source: str, target: str) -> Transition | None:
        return self._index.get((source, target))

    def org_for(self, obj: models.Model, transition: Transition):
        return (transition.org or self.owner)(obj)

    def from_current(self, obj: models.Model) -> list[Transition]:
        current = getattr(obj, self.status_field)
        return [t for (source, _target), t in self._index.items()
                if source == current and t.applies_to(obj)]

    def available(self, obj: models.Model, user) -> list[Transition]:
        """The transitions this user may try now (for the buttons on a page)."""
        return [t for t in self.from_current(obj)
                if policy.has_capability(user, t.capability, self.org_for(obj, t))]

    def actions(self, obj: models.Model, user, *, exclude: Iterable[str] = ()) -> Actions:
        """The buttons of ``user`` on ``obj`` (with what blocks each), and who acts next
        for the steps ``user`` cannot take. ``exclude``: targets the page offers through
        a form of its own (a decision, an outcome)."""
        excluded = set(exclude)
        buttons: list[Action] = []
        waiting: dict[str, list[str]] = {}
        for t in self.from_current(obj):
            if t.target in excluded:
                continue
            org = self.org_for(obj, t)
            if policy.has_capability(user, t.capability, org):
                buttons.append(Action(t.target, t.label, t.needs_note, t.secondary,
                                      tuple(self.blockers(obj, t.target))))
            else:
                waiting.setdefault(_actor_text(user, t.capability, org), []).append(t.label)
        return Actions(tuple(buttons),
                       tuple(f"待{who}{'或'.join(labels)}" for who, labels in waiting.items()))

    def blockers(self, obj: models.Model, target: str) -> list[str]:
        t = self.find(getattr(obj, self.status_field), target)
        if t is None:
            return []
        return [reason for guard in self.guards_for(t) for reason in guard(obj)]


def _actor_text(user, capability: str, org) -> str:
    """Who may take a step: the unit ("本单位" when it is the user's own) and the roles
    holding the capability, as a person names them ("北戴河区公安分局公安")."""
    from .models import Role

    roles = "或".join(str(Role(r).label) for r in sorted(policy.CAPABILITIES[capability][1]))
    org_id = getattr(org, "pk", org)
    if org is None:
        return roles
    if org_id in policy.viewer(user).org_ids:
        return f"本单位{roles}"
    return f"{org}{roles}"


def _label(obj: models.Model, field_name: str, value: str) -> str:
    choices = dict(obj._meta.get_field(field_name).choices or ())
    return str(choices.get(value, value))


def transition_apply(
    *,
    workflow: Workflow,
    obj: models.Model,
    target: str,
    actor,
    note: str = "",
    updates: dict[str, Any] | None = None,
) -> models.Model:
    """Move ``obj`` to ``target``: check, claim, record, run effects — atomically.

    The status is claimed with ``UPDATE … WHERE status = <old>`` and a row count of one,
    so two users (or a retried task) never both move the same record.
    """
    field_name = workflow.status_field
    source = getattr(obj, field_name)
    transition = workflow.find(source, target)
    if transition is None or not transition.applies_to(obj):
        raise TransitionNotAllowed(
            f"当前状态为“{_label(obj, field_name, source)}”，不能变更为“{_label(obj, field_name, target)}”。"
        )
    policy.require(actor, transition.capability, workflow.org_for(obj, transition))
    if transition.needs_note and not note.strip():
        raise ValidationError(f"“{transition.label}”须填写理由。")
    reasons = workflow.blockers(obj, target)
    if reasons:
        raise ValidationError(reasons)

    updates = dict(updates or {})
    with transaction.atomic():
        model = type(obj)
        claimed = model._default_manager.filter(pk=obj.pk, **{field_name: source}).update(
            **{field_name: target}, **updates
        )
        if claimed != 1:
            raise TransitionConflict("该记录已被他人处理，请刷新页面后重试。")
        setattr(obj, field_name, target)
        for name, value in updates.items():
            setattr(obj, name, value)
        changes = {field_name: [_label(obj, field_name, source), _label(obj, field_name, target)]}
        changes.update({name: [None, value] for name, value in updates.items()})
        audit_record(
            actor=actor,
            verb=f"{model._meta.label_lower}.{workflow.verb}",
            target=obj,
            changes=changes,
            organization=workflow.org_for(obj, transition),
            note=note or transition.label,
        )
        _move_deadlines(workflow, transition, obj, actor)
        for effect in workflow.effects_for(transition):
            effect(obj=obj, actor=actor, transition=transition, source=source)
    return obj


def _move_deadlines(workflow: Workflow, transition: Transition, obj: models.Model, actor) -> None:
    if not (transition.meets or transition.opens):
        return
    from django.utils import timezone

    from deadlines.services import deadline_meet, deadline_open  # the engine sits above core

    for m in transition.meets:
        deadline_meet(target=m.on(obj) if m.on else obj, rule=m.rule, actor=actor)
    for o in transition.opens:
        deadline_open(
            target=o.on(obj) if o.on else obj, rule=o.rule,
            responsible=(o.responsible or workflow.owner)(obj),
            start=o.start(obj) if o.start else timezone.now(),
            due=o.due(obj) if o.due else None, actor=actor,
        )
