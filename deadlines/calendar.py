"""Chinese working-day arithmetic on the calendar the system keeps (SPEC, "Deadlines").

A working day is Monday–Friday, minus the State Council's holidays, plus the weekend days
its schedule turns into working days (调休). The schedule lives in ``CalendarDay``; a year
with no row there is computed from weekends and the fixed-date holidays only, and any
result that depends on such a year is *provisional*.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from dataclasses import dataclass
from typing import Iterator
from zoneinfo import ZoneInfo

from core.middleware import per_request

from .models import CalendarDay, DayKind

SHANGHAI = ZoneInfo("Asia/Shanghai")

# The years a deadline may start or fall due in. The arithmetic looks a fortnight and
# more to either side of a day and writes 24:00 of a last day as 00:00 of the next, which
# near the ends of Python's calendar (year 1, year 9999) is "date value out of range" or
# "year 10000 is out of range": a 500 for a typed date such as 0001-01-01 or 9999-12-31.
# (Before 1901 Asia/Shanghai is also in local mean time, +08:05:43, which no ISO 8601
# reader takes; no time limit of this platform starts before 2000.)
FIRST_YEAR = 2000
LAST_YEAR = 2999


def in_range(moment: dt.date | dt.datetime) -> bool:
    """Whether a day or moment lies in the years deadlines are counted in."""
    return FIRST_YEAR <= moment.year <= LAST_YEAR


def due_in_range(due: dt.datetime) -> bool:
    """``in_range`` for a due, which may also be 24:00 of LAST_YEAR's last day (00:00 of the
    year after, as every due at the end of a day is written)."""
    if not FIRST_YEAR - 1 <= due.year <= LAST_YEAR + 1:  # (and no overflow below)
        return False
    local = due.astimezone(SHANGHAI)
    return in_range(local) or local == end_of_day(dt.date(LAST_YEAR, 12, 31))

# Holidays whose date is fixed in 《全国年节及纪念日放假办法》 (2025 revision): New Year's
# Day, Labour Day (two days) and National Day (three days). The lunar festivals move, so
# an unscheduled year cannot know them: that is what makes it provisional.
FIXED_HOLIDAYS: dict[tuple[int, int], str] = {
    (1, 1): "元旦",
    (5, 1): "劳动节",
    (5, 2): "劳动节",
    (10, 1): "国庆节",
    (10, 2): "国庆节",
    (10, 3): "国庆节",
}

FESTIVAL_NAMES = {  # chinese-calendar's English names → how the bureau writes them
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass(frozen=True)
class WorkdayResult:
    date: dt.date
    provisional: bool


@dataclass(frozen=True)
class DayInfo:
    working: bool
    reason: str
    provisional: bool


class _Schedule:
    """The calendar rows for a range of years, loaded in one query."""

    def __init__(self, years: range) -> None:
        rows = CalendarDay.objects.filter(date__year__gte=years.start,
                                          date__year__lt=years.stop).values_list(
            "date", "kind", "name")
        self.days = {d: (kind, name) for d, kind, name in rows}
        self.loaded_years = {d.year for d in self.days}

    def info(self, d: dt.date) -> DayInfo:
        if d.year in self.loaded_years:
            if d in self.days:
                kind, name = self.days[d]
                if kind == DayKind.HOLIDAY:
                    return DayInfo(False, f"法定节假日（{name}）", False)
                return DayInfo(True, f"调休上班（{name}）", False)
            if d.weekday() >= 5:
                return DayInfo(False, "周末", False)
            return DayInfo(True, "周一至周五", False)
        fixed = FIXED_HOLIDAYS.get((d.month, d.day))
        if fixed:
            return DayInfo(False, f"法定节假日（{fixed}，{d.year} 年放假安排尚未导入）", True)
        if d.weekday() >= 5:
            return DayInfo(False, f"周末（{d.year} 年放假安排尚未导入）", True)
        return DayInfo(True, f"周一至周五（{d.year} 年放假安排尚未导入）", True)


_kept: contextvars.ContextVar[dict | None] = contextvars.ContextVar("calendar_schedules", default=None)


@contextlib.contextmanager
def schedules_kept() -> Iterator[None]:
    """Within the block each range of years' calendar rows is read once, not once per
    count: for a write that counts many dues and changes no calendar day (a bulk open of
    deadlines, ``deadlines.services.deadlines_open_many``)."""
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def _schedule_for(first: dt.date, last: dt.date) -> _Schedule:
    years = range(first.year, last.year + 1)
    kept = _kept.get()
    if kept is None:
        return _Schedule(years)
    if (years.start, years.stop) not in kept:
        kept[(years.start, years.stop)] = _Schedule(years)
    return kept[(years.start, years.stop)]


def day_info(d: dt.date) -> DayInfo:
    """Whether ``d`` is a working day, why, and whether that is only provisional."""
    return _schedule_for(d, d).info(d)


def is_working_day(d: dt.date) -> bool:
    return day_info(d).working


def loaded_years() -> set[int]:
    return {d.year for d in CalendarDay.objects.dates("date", "year")}


def year_loaded(year: int) -> bool:
    """Whether ``year``'s schedule is in the table — read once per request (the base
    layout's warning and the dashboard's 暂定期限 both ask)."""
    return per_request(("calendar.year_loaded", year),
                       lambda: CalendarDay.objects.filter(date__year=year).exists())


def add_working_days(start: dt.date, n: int) -> WorkdayResult:
    """The n-th working day after ``start``; the start day itself is not counted
    (期间开始之日不计入). Provisional when any day passed over is in an unscheduled year."""
    if n < 1:
        raise ValueError("n must be at least 1")
    # The longest run of non-working days is the Spring Festival week plus weekends;
    # three calendar days per working day plus a fortnight covers it.
    horizon = start + dt.timedelta(days=3 * n + 14)
    schedule = _schedule_for(start, horizon)
    d, counted, provisional = start, 0, False
    while counted < n:
        d += dt.timedelta(days=1)
        if d.year > horizon.year:  # a long count ran into a year not loaded yet
            horizon = d + dt.timedelta(days=3 * (n - counted) + 14)
            schedule = _schedule_for(d, horizon)
        info = schedule.info(d)
        provisional |= info.provisional
        if info.working:
            counted += 1
    return WorkdayResult(d, provisional)


def next_working_day(d: dt.date) -> WorkdayResult:
    """``d`` when it is a working day, else the first working day after it (a deadline
    that falls on a holiday moves to the next working day)."""
    schedule = _schedule_for(d, d + dt.timedelta(days=14))
    provisional = False
    while True:
        info = schedule.info(d)
        provisional |= info.provisional
        if info.working:
            return WorkdayResult(d, provisional)
        d += dt.timedelta(days=1)


def previous_working_day(d: dt.date) -> WorkdayResult:
    """The last working day before ``d``."""
    schedule = _schedule_for(d - dt.timedelta(days=14), d)
    provisional = False
    while True:
        d -= dt.timedelta(days=1)
        info = schedule.info(d)
        provisional |= info.provisional
        if info.working:
            return WorkdayResult(d, provisional)


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()


def start_of_day(d: dt.date) -> dt.datetime:
    return dt.datetime.combine(d, dt.time.min, tzinfo=SHANGHAI)


def end_of_day(d: dt.date) -> dt.datetime:
    """24:00 of ``d`` in Asia/Shanghai (the same instant as 00:00 of the next day)."""
    return start_of_day(d + dt.timedelta(days=1))

