"""Figures other apps read (the appraisal, M9): one GROUP BY, whatever the number of units."""
from __future__ import annotations

from decimal import Decimal

from .selectors import hours_by_unit as _hours_by_unit


def hours_by_unit(year: int) -> dict[int, Decimal]:
    """W1: unit id → training hours its staff attended in ``year``."""
    return _hours_by_unit(year)
