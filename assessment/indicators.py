"""The registry of computed appraisal indicators (M9.1, M9.3): what the platform already
knows of each unit, as figures the scheme's computed items are scored from. An app that
has data to offer registers an ``Indicator`` — one call, in its ``ready()``:

    from assessment import indicators
    indicators.register(indicators.Indicator(
        key="complaints_on_time", label="投诉举报按期办结率", area=Area.DISPUTES,
        compute=complaints.selectors.on_time_by_unit,      # (year, unit_ids) -> {org id: value}
        rows_url=lambda year, org_id: f"/complaints/?unit={org_id}&year={year}",
        unit=indicators.PERCENT, points=indicators.as_rate))

``compute`` answers for all the units at once, in a number of queries that does not
depend on how many units there are; a unit it leaves out has no figure (``None``).
``points(value, weight)`` turns a figure into the item's points (``as_rate``,
``towards(target)``, ``deducting(per_item)``, ``out_of(full)``). A scheme offers only the
indicators registered, so an app that is missing only leaves its indicators out.

Registered here (``builtin.py``), from data that exists: the on-time rate of every
deadline rule (each mechanism's time limits: transfers, discipline referrals,
rectification after a supervision notice, the joint meeting's matters …), transfers
accepted by their receivers, and reconsideration and litigation reversals entered by the
bureau.
"""
from __future__ import annotations

import contextvars
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Mapping, Sequence

PERCENT, COUNT, HOURS, POINTS = "percent", "count", "hours", "points"
UNIT_SUFFIX = {PERCENT: "", COUNT: "件", HOURS: "学时", POINTS: "分"}

Value = float | int | None
Points = Callable[[Value, Decimal], Decimal]

ONE_DECIMAL = Decimal("0.1")


def _round(points: Decimal | float) -> Decimal:
    return Decimal(str(points)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def as_rate(value: Value, weight: Decimal) -> Decimal:
    """A rate in [0, 1]: that share of the weight; no figure (nothing was due) loses nothing."""
    return weight if value is None else _round(weight * Decimal(str(value)))


def towards(target: float) -> Points:
    """A quantity with a target (hours, reports, cases): a share of the weight up to it."""
    def points(value: Value, weight: Decimal) -> Decimal:
        return _round(weight * Decimal(str(min(1.0, (value or 0) / target))))
    return points


def deducting(per_item: float) -> Points:
    """A count of failings: ``per_item`` points off each, down to zero."""
    def points(value: Value, weight: Decimal) -> Decimal:
        return max(Decimal(0), _round(weight - Decimal(str(per_item)) * Decimal(value or 0)))
    return points


def out_of(full: float) -> Points:
    """A score out of ``full`` (a case-file review's marks): scaled to the weight."""
    def points(value: Value, weight: Decimal) -> Decimal:
        return Decimal(0) if value is None else _round(weight * Decimal(str(value)) / Decimal(str(full)))
    return points


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    area: str  # an assessment.models.Area value: where the scheme places it by default
    compute: Callable[[int, Sequence[int]], Mapping[int, Value]]
    rows_url: Callable[[int, int], str]  # (year, org id) -> the list of the rows behind it
    unit: str = PERCENT
    points: Points = as_rate
    description: str = ""

    def text(self, value: Value) -> str:
        if value is None:
            return "无数据"
        if self.unit == PERCENT:
            return f"{value * 100:.1f}%"
        number = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{number}{UNIT_SUFFIX[self.unit]}"


_REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    """Add (or replace, by key) an indicator."""
    _REGISTRY[indicator.key] = indicator
    return indicator


def get(key: str) -> Indicator | None:
    return _REGISTRY.get(key)


def registered() -> list[Indicator]:
    return sorted(_REGISTRY.values(), key=lambda i: (i.area, i.key))


def choices() -> list[tuple[str, str]]:
    return [(i.key, i.label) for i in registered()]


# Reads several indicators share (every deadline rule comes from one statement over the
# deadline tally): memoised for one ``compute_all``.
_SHARED: contextvars.ContextVar[dict | None] = contextvars.ContextVar("indicator_shared", default=None)


def shared(key: tuple, fn: Callable[[], object]):
    memo = _SHARED.get()
    if memo is None:
        return fn()
    if key not in memo:
        memo[key] = fn()
    return memo[key]


def compute_all(year: int, unit_ids: Sequence[int], keys: Sequence[str] | None = None
                ) -> dict[str, Mapping[int, Value]]:
    """key → {org id: value} for the registered indicators named (all by default) over
    ``unit_ids``; a key no longer registered gives no figures."""
    unit_ids = sorted(set(unit_ids))
    token = _SHARED.set({})
    try:
        wanted = keys if keys is not None else list(_REGISTRY)
        return {key: (_REGISTRY[key].compute(year, unit_ids) if key in _REGISTRY else {})
                for key in wanted}
    finally:
        _SHARED.reset(token)
