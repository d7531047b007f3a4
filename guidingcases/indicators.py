"""Figures other apps read (the appraisal, M9): plain functions, one GROUP BY each, so
the number of statements does not depend on the number of units."""
from __future__ import annotations

from .selectors import submitted_counts


def submitted_by_unit(year: int) -> dict[int, int]:
    """M11.2, M11.4: department id → guiding cases it submitted itself for ``year``."""
    return submitted_counts(year)
