"""The one status-transition mechanism every mechanism uses (STYLE: no hand-made state
machines).

A model declares its ``Workflow``: the status field, and the allowed transitions, each
with the capability it needs, the organisation that capability is checked for, guards
that name what is missing, and effects (open or close deadlines, notify …) that run in
the same transaction. ``transition_apply`` is the only code that changes such a status.
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

    def available(self, obj: models.Model, user) -> list[Transition]:
        """The transitions this user may try now (for the buttons on a page)."""
        current = getattr(obj, self.status_field)
        return [
            t for (source, _target), t in self._index.items()
            if source == current and policy.has_capability(user, t.capability, self.org_for(obj, t))
        ]

    def blockers(self, obj: models.Model, target: str) -> list[str]:
        t = self.find(getattr(obj, self.status_field), target)
        if t is None:
            return []
        return [reason for guard in self.guards_for(t) for reason in guard(obj)]


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
    if transition is None:
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
        for effect in workflow.effects_for(transition):
            effect(obj=obj, actor=actor, transition=transition, source=source)
    return obj
