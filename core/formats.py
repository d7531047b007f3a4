"""How moments read on every page, PDF, notification and export: Chinese, in Asia/Shanghai.

A due instant at midnight is the end of the day before ("4月9日24时", the bureau's way of
writing a time limit), never the next day's "00:00". One module, so a list, a detail
page, 需关注, a notification and a PDF cannot disagree.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(SHANGHAI) if moment.tzinfo else moment


def due_text(due: dt.datetime | None, *, year: bool = True) -> str:
    """A time limit's end: "2026年4月9日24时", or "2026年4月9日15:30" when not at midnight."""
    if due is None:
        return ""
    local = _local(due)
    if local.time() == dt.time.min:
        last = local.date() - dt.timedelta(days=1)
        return f"{f'{last.year}年' if year else ''}{last.month}月{last.day}日24时"
    return f"{f'{local.year}年' if year else ''}{local.month}月{local.day}日{local:%H:%M}"


def moment_text(moment: dt.datetime | None) -> str:
    """When something happened: "2026年4月9日 15:30" in Beijing time."""
    if moment is None:
        return ""
    local = _local(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def date_text(day: dt.date | None) -> str:
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"
