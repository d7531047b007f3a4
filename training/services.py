"""Every write of the training records (W1): a session, its attendees picked from the
users or imported from an Excel sheet — every row checked and reported, all rows or none."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import BinaryIO, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import policy
from core.audit import audit_record, diff, snapshot
from core.models import Membership, Organization, User

from .models import Attendance, TrainingSession
from .selectors import UNIT_KINDS, attendee_choices

IMPORT_HEADERS = ("姓名", "执法证号或用户名", "单位")
MAX_IMPORT_ROWS = 2000


@policy.predicate("登记该单位的执法培训")
def may_record(user, organizer: Organization | None = None) -> bool:
    return policy.has_capability(user, "training.record", organizer)


def training_session_create(*, actor, organizer: Organization, topic: str, title: str,
                            held_on: dt.date, hours: Decimal, trainer: str, place: str = "",
                            attendees: Iterable[User] = ()) -> TrainingSession:
    """Record a session the organiser held, with the attendees picked from the users."""
    may_record.require(actor, organizer)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "培训日期不能晚于今天。"})
    session = TrainingSession(organizer=organizer, topic=topic, title=title.strip(), held_on=held_on,
                              hours=hours, trainer=trainer.strip(), place=place.strip(), created_by=actor)
    session.full_clean()
    with transaction.atomic():
        session.save()
        audit_record(actor=actor, verb="training.session.create", target=session, organization=organizer,
                     changes=diff({}, snapshot(session, ["topic", "title", "held_on", "hours", "trainer"])))
        attendees = list(attendees)
        if attendees:
            _add(actor, session, [(u, _unit_of(u, organizer)) for u in attendees])
    return session


def _unit_of(user: User, organizer: Organization) -> Organization:
    """The unit a person attends for: the organiser when it is his own, else his unit."""
    memberships = list(Membership.objects.filter(user=user, organization__is_active=True)
                       .select_related("organization").order_by("pk"))
    for m in memberships:
        if m.organization_id == organizer.pk:
            return m.organization
    units = [m.organization for m in memberships if m.organization.kind in UNIT_KINDS]
    if units:
        return units[0]
    if memberships:
        return memberships[0].organization
    raise ValidationError({"attendees": f"{user.display_name}不属于任何单位。"})


def _add(actor, session: TrainingSession, rows: list[tuple[User, Organization]]) -> list[Attendance]:
    allowed = set(attendee_choices(actor, session.organizer).values_list("pk", flat=True))
    present = set(session.attendances.values_list("person_id", flat=True))
    errors = []
    for user, _org in rows:
        if user.pk not in allowed:
            errors.append(f"{user.display_name}不是{session.organizer.name}的工作人员。")
        elif user.pk in present:
            errors.append(f"{user.display_name}已在参训名单中。")
    if errors:
        raise ValidationError({"attendees": errors})
    created = Attendance.objects.bulk_create([
        Attendance(session=session, person=user, organization=org, added_by=actor) for user, org in rows])
    audit_record(actor=actor, verb="training.attendees.add", target=session, organization=session.organizer,
                 note=f"新增参训人员 {len(created)} 人")
    return created


def training_attendees_add(*, actor, session: TrainingSession, people: Iterable[User]) -> list[Attendance]:
    """Add attendees picked from the users."""
    may_record.require(actor, session.organizer)
    people = list(people)
    if not people:
        raise ValidationError({"attendees": "请选择参训人员。"})
    with transaction.atomic():
        return _add(actor, session, [(u, _unit_of(u, session.organizer)) for u in people])


def _read_rows(fileobj: BinaryIO) -> list[tuple]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(fileobj, read_only=True, data_only=True).worksheets[0]
    except Exception:  # noqa: BLE001 — any unreadable upload gets the same answer
        raise ValidationError({"file": "无法读取该文件，请上传 Excel（.xlsx）文件。"}) from None
    rows = [tuple("" if c is None else str(c).strip() for c in row)
            for row in sheet.iter_rows(values_only=True)]
    rows = [r for r in rows if any(r)]
    if not rows or tuple(rows[0][:2]) != IMPORT_HEADERS[:2]:
        raise ValidationError({"file": f"第一行须为表头：{'、'.join(IMPORT_HEADERS)}（单位可不填）。"})
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        raise ValidationError({"file": f"一次最多导入 {MAX_IMPORT_ROWS} 人。"})
    return rows[1:]


def training_attendees_import(*, actor, session: TrainingSession, fileobj: BinaryIO) -> list[Attendance]:
    """Import attendees from an Excel sheet (姓名, 执法证号或用户名, 单位): every row is
    checked — the person exists, the name matches, the unit is his, no row twice — and
    the report names each faulty row; one faulty row imports none."""
    may_record.require(actor, session.organizer)
    rows = _read_rows(fileobj)
    if not rows:
        raise ValidationError({"file": "表中没有参训人员。"})
    keys = [r[1] if len(r) > 1 else "" for r in rows]
    users = {u.username: u for u in User.objects.filter(username__in=keys, is_active=True)}
    users.update({u.certificate_no: u for u in User.objects.filter(certificate_no__in=[k for k in keys if k],
                                                                   is_active=True)})
    allowed = set(attendee_choices(actor, session.organizer).values_list("pk", flat=True))
    present = set(session.attendances.values_list("person_id", flat=True))
    errors, found, seen = [], [], set()
    for n, row in enumerate(rows, start=2):
        name, key, unit = (list(row) + ["", "", ""])[:3]
        user = users.get(key)
        if not name or not key:
            errors.append(f"第 {n} 行：请填写姓名和执法证号或用户名。")
        elif user is None:
            errors.append(f"第 {n} 行：找不到执法证号或用户名为“{key}”的人员。")
        elif user.real_name != name:
            errors.append(f"第 {n} 行：“{key}”的姓名是“{user.real_name}”，与“{name}”不符。")
        elif user.pk not in allowed:
            errors.append(f"第 {n} 行：{name}不是{session.organizer.name}的工作人员。")
        elif user.pk in present:
            errors.append(f"第 {n} 行：{name}已在参训名单中。")
        elif user.pk in seen:
            errors.append(f"第 {n} 行：{name}重复。")
        else:
            seen.add(user.pk)
            org = _unit_of(user, session.organizer)
            if unit:
                match = Membership.objects.filter(user=user, organization__name=unit).select_related(
                    "organization").first()
                if match is None:
                    errors.append(f"第 {n} 行：{name}不属于“{unit}”。")
                    continue
                org = match.organization
            found.append((user, org))
    if errors:
        raise ValidationError({"file": errors})
    with transaction.atomic():
        return _add(actor, session, found)


def training_attendee_remove(*, actor, attendance: Attendance) -> None:
    """Take a person off a session's list (entered by mistake)."""
    session = attendance.session
    may_record.require(actor, session.organizer)
    with transaction.atomic():
        audit_record(actor=actor, verb="training.attendees.remove", target=session,
                     organization=session.organizer, note=f"删除参训人员：{attendance.person.display_name}")
        attendance.delete()
