"""The deadline tallies (core.tallies) behind the dashboard's deadline figures.

``LIVE``: per responsible unit and rule, the deadlines open, due within one working day,
overdue, provisional, and overdue with an escalation nobody at the justice bureau has
acknowledged (read) now. ``MONTHLY``: per responsible unit, rule and month of ``due``
(a deadline ending 24:00 on the 31st belongs to that month), those met on time, met late
and still overdue — the on-time rate of any period.

Every write of a deadline row is in ``deadlines.services`` or ``deadlines.sweep``; each
calls ``touch`` with the rows it changed."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, DateField, DateTimeField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core import tallies

from . import selectors
from .models import Deadline, DeadlineMonthTally, DeadlineState, DeadlineTally

S = DeadlineState
INSTANT = dt.timedelta(microseconds=1)


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def due_month(due: dt.datetime) -> dt.date:
    """The month a deadline is due in: 24:00 on the 31st is 00:00 on the 1st, so step back
    an instant first."""
    return timezone.localtime(due - INSTANT).date().replace(day=1)


def due_span(first: dt.date, last: dt.date) -> Q:
    """Deadlines due on the days first..last (ending 24:00 on ``last`` included, 24:00 the
    day before ``first`` not)."""
    return Q(due__gt=_midnight(first), due__lte=_midnight(last + dt.timedelta(days=1)))


LIVE = tallies.register(tallies.Tally(
    name="deadlines.live",
    model=DeadlineTally,
    source=lambda: Deadline.objects.filter(state__in=(S.OPEN, S.OVERDUE)),
    keys=("responsible_id", "rule"),
    counts={
        "open": lambda: Count("id", filter=Q(state=S.OPEN)),
        "due_soon": lambda: Count("id", filter=Q(state=S.OPEN, warn_at__lte=timezone.now())),
        "overdue": lambda: Count("id", filter=Q(state=S.OVERDUE)),
        "provisional": lambda: Count("id", filter=Q(state=S.OPEN, provisional=True)),
        "unacknowledged": lambda: Count("id", filter=selectors.unacknowledged_q()),
    },
))

MONTHLY = tallies.register(tallies.Tally(
    name="deadlines.monthly",
    model=DeadlineMonthTally,
    source=lambda: Deadline.objects.filter(state__in=(S.MET, S.OVERDUE)),
    keys=("responsible_id", "rule"),
    counts={
        "on_time": lambda: Count("id", filter=Q(state=S.MET, met_at__lte=F("due"))),
        "late": lambda: Count("id", filter=Q(state=S.MET, met_at__gt=F("due"))),
        "overdue": lambda: Count("id", filter=Q(state=S.OVERDUE)),
    },
    month=tallies.Month(
        field="due",
        of=due_month,
        sql=lambda: TruncMonth(ExpressionWrapper(F("due") - INSTANT, output_field=DateTimeField()),
                               output_field=DateField()),
        span=due_span,
    ),
))


def touch(*rows) -> None:
    """Recount the tallies of these deadlines (instances or dicts with responsible_id,
    rule and due) after the commit."""
    tallies.touch(LIVE, rows)
    tallies.touch(MONTHLY, rows)
