"""Where a proceeding comes from: each app that finds accountable failures registers a
source kind in its ``ready()`` — the model, its Chinese label, which rows an agency may
open a proceeding from, the agency that pursues, the officers it suggests, a description —
so the accountability app never imports the apps above it. A proceeding keeps its source
as a content type and id and links back to the source's page.

    sources.register(sources.SourceKind(
        key="inspection_finding", label="监督检查发现的问题", model=Finding,
        candidates=lambda user: …,          # rows the user's agency may pursue
        agency=lambda finding: finding.unit,
        officers=lambda finding: User.objects.filter(…),
        describe=lambda finding: f"…"))
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from core import links


@dataclass(frozen=True)
class SourceKind:
    key: str
    label: str
    model: type[models.Model]
    # The rows of ``model`` this user may open a proceeding from (already scoped).
    candidates: Callable[..., models.QuerySet]
    # The enforcement agency that pursues (M8.1 各级行政执法机关为责任追究机关).
    agency: Callable[[models.Model], object]
    # The users of the agency the source names (suggested, the agency chooses).
    officers: Callable[[models.Model], models.QuerySet]
    # One line: what happened, as the source's ledger says it.
    describe: Callable[[models.Model], str]
    order: int = 100
    # A source without a page of its own is shown on another record's page (a finding on
    # its check's): that model and the source's field naming the record. The page then
    # lists the proceedings opened from the sources it shows (selectors.proceedings_on_page).
    shown_on: tuple[type[models.Model], str] | None = None


_KINDS: dict[str, SourceKind] = {}


def register(kind: SourceKind) -> SourceKind:
    _KINDS[kind.key] = kind
    return kind


def kinds() -> list[SourceKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.key))


def kind_for(key: str) -> SourceKind | None:
    return _KINDS.get(key)


def kind_choices() -> list[tuple[str, str]]:
    return [(k.key, k.label) for k in kinds()]


def label_of(key: str) -> str:
    kind = _KINDS.get(key)
    return kind.label if kind else ""


def source_get(user, key: str, pk) -> tuple[SourceKind, models.Model]:
    """The source row ``pk`` of kind ``key`` among those ``user`` may pursue; one
    refusal for an unknown kind, a missing row and a forbidden one."""
    kind = _KINDS.get(key)
    obj = None
    if kind is not None:
        try:
            obj = kind.candidates(user).filter(pk=pk).first()
        except (ValueError, TypeError):
            obj = None
    if obj is None:
        raise ValidationError("问责线索来源不存在或您无权据此启动责任追究。")
    return kind, obj


def source_url(proceeding) -> str:
    """The page of a proceeding's source ("" when it has none)."""
    if proceeding.source_type_id is None:
        return ""
    model = ContentType.objects.get_for_id(proceeding.source_type_id).model_class()
    return links.url_for_model(model, proceeding.source_id)
