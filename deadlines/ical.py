"""An iCalendar (RFC 5545) feed of a user's open deadlines, for phones and Outlook."""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from django.core import signing
from django.utils import timezone

from core import formats

from . import calendar
from .models import CalendarFeed, Deadline

SALT = "deadlines.ical"


def _version(user_id: int) -> int:
    return (CalendarFeed.objects.filter(user_id=user_id).values_list("version", flat=True).first()
            or 0)


def feed_token(user) -> str:
    """The secret in the feed's URL. It names the user and the subscription's version and
    is signed with SECRET_KEY, so it cannot be guessed or altered; it works without a
    session, as calendar apps need. Resetting the subscription (a new version) ends it."""
    return signing.dumps([user.pk, _version(user.pk)], salt=SALT, compress=True)


def user_id_from_token(token: str) -> int | None:
    """The user the token names, if it is genuine and of the subscription's current
    version. (Addresses from before versions existed carry the bare user id: version 0.)"""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if isinstance(value, int):
        value = [value, 0]
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        return None
    user_id, version = value
    return user_id if version == _version(user_id) else None


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode()
        if len(current) + len(encoded) > 75:
            out.append(current.decode())
            current = b" "
        current += encoded
    out.append(current.decode())
    return "\r\n".join(out)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def render(deadlines: Iterable[Deadline], host: str) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Beidaihe//Enforcement supervision//ZH",
             "CALSCALE:GREGORIAN", "X-WR-CALNAME:我的执法时限", "X-WR-TIMEZONE:Asia/Shanghai"]
    stamp = _utc(timezone.now())
    for d in deadlines:
        local = d.due.astimezone(calendar.SHANGHAI)
        lines += ["BEGIN:VEVENT", f"UID:deadline-{d.pk}@{host}", f"DTSTAMP:{stamp}"]
        if local.time() == dt.time.min:  # ends 24:00: an all-day event on its last day
            last = local.date() - dt.timedelta(days=1)
            lines += [f"DTSTART;VALUE=DATE:{last:%Y%m%d}", f"DTEND;VALUE=DATE:{local:%Y%m%d}"]
        else:
            lines += [f"DTSTART:{_utc(d.due - dt.timedelta(hours=1))}", f"DTEND:{_utc(d.due)}"]
        summary = f"{'【已逾期】' if d.state == 'overdue' else ''}{d.rule_label}：{d.target_repr}"
        lines += [f"SUMMARY:{_escape(summary)}",
                  f"DESCRIPTION:{_escape(f'责任单位：{d.responsible.name}；届满：{formats.due_text(d.due)}')}",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
