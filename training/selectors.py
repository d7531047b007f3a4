"""Reads of the training records and their visibility: a session for its organiser and
the units whose staff attended; the hours per unit and per officer (W1)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from django.conf import settings
from django.db import models
from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core import policy
from core.models import Membership, Organization, OrgKind, Role, User

from .models import Attendance, TrainingSession

# The staff held to the yearly hours: those who enforce (W1 行政执法人员).
OFFICER_ROLES = (Role.OFFICER, Role.LEGAL_OFFICER, Role.DEPARTMENT_HEAD)
UNIT_KINDS = (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP)


@policy.register_scope(TrainingSession)
def _sessions(viewer: policy.Viewer) -> Q:
    return Q(organizer_id__in=viewer.org_ids) | Q(
        pk__in=Attendance.objects.filter(organization_id__in=viewer.org_ids).values("session_id"))


@policy.register_scope(Attendance)
def _attendances(viewer: policy.Viewer) -> Q:
    return Q(organization_id__in=viewer.org_ids) | Q(session__organizer_id__in=viewer.org_ids)


def session_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[TrainingSession]:
    """Visible sessions filtered by organiser, topic, year, since/until and q (title or
    trainer), each with its number of attendees."""
    f = filters or {}
    qs = policy.visible_to(user, TrainingSession).select_related("organizer")
    for name in ("organizer", "topic"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("year"):
        qs = qs.filter(held_on__year=f["year"])
    if f.get("since"):
        qs = qs.filter(held_on__gte=f["since"])
    if f.get("until"):
        qs = qs.filter(held_on__lte=f["until"])
    if f.get("q"):
        qs = qs.filter(Q(title__icontains=f["q"]) | Q(trainer__icontains=f["q"]))
    return qs.annotate(attendee_count=Count("attendances")).order_by("-held_on", "-id")


def session_get(user, pk) -> TrainingSession:
    return policy.access(user, TrainingSession.objects.select_related("organizer", "created_by"), pk)


def attendees_of(user, session: TrainingSession) -> models.QuerySet[Attendance]:
    return (policy.visible_to(user, Attendance).filter(session=session)
            .select_related("person", "organization").order_by("organization__name", "person__real_name"))


def units() -> models.QuerySet[Organization]:
    return Organization.objects.filter(kind__in=UNIT_KINDS, is_active=True)


def hours_by_unit(year: int) -> dict[int, Decimal]:
    """Unit id → training hours of its attendees in ``year`` (one GROUP BY)."""
    rows = (Attendance.objects.filter(session__held_on__year=year).order_by()
            .values("organization_id").annotate(h=Sum("session__hours")))
    return {r["organization_id"]: r["h"] for r in rows}


def target_hours() -> Decimal:
    return Decimal(settings.TRAINING_HOURS_PER_YEAR)


def officer_hours(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Membership]:
    """Each officer's membership in the units the user sees (all for the bureau), with
    ``hours``: his training hours in the year (``year``, default this year), filtered by
    unit, q (name or user name) and ``short`` (below ``settings.TRAINING_HOURS_PER_YEAR``).
    One statement."""
    f = filters or {}
    year = f.get("year") or timezone.localdate().year
    members = Membership.objects.filter(role__in=OFFICER_ROLES, user__is_active=True,
                                        organization__kind__in=UNIT_KINDS, organization__is_active=True)
    if not policy.sees_all(user):
        members = members.filter(organization_id__in=policy.viewer(user).org_ids)
    if f.get("organization"):
        members = members.filter(organization=f["organization"])
    if f.get("q"):
        members = members.filter(Q(user__real_name__icontains=f["q"]) | Q(user__username__icontains=f["q"]))
    hours = (Attendance.objects.filter(person_id=OuterRef("user_id"), session__held_on__year=year)
             .order_by().values("person_id").annotate(h=Sum("session__hours")).values("h")[:1])
    members = members.annotate(hours=Coalesce(Subquery(hours, output_field=DecimalField(max_digits=8, decimal_places=1)),
                                              Value(Decimal("0")), output_field=DecimalField(max_digits=8, decimal_places=1)))
    if f.get("short"):
        members = members.filter(hours__lt=target_hours())
    return members.select_related("user", "organization").order_by("organization__name", "user__real_name", "pk")


def unit_hours(user, year: int) -> list[dict]:
    """Per unit: its officers, their hours and how many are below the target (one
    statement over the officers)."""
    rows: dict[int, dict] = {}
    target = target_hours()
    for m in officer_hours(user, {"year": year}):
        row = rows.setdefault(m.organization_id, {"organization": m.organization, "officers": 0,
                                                  "hours": Decimal("0"), "short": 0})
        row["officers"] += 1
        row["hours"] += m.hours
        row["short"] += 1 if m.hours < target else 0
    return sorted(rows.values(), key=lambda r: r["organization"].name)


def attendee_choices(user, organizer: Organization) -> models.QuerySet[User]:
    """Whom the organiser may list: anyone for the justice bureau, else its own staff."""
    qs = User.objects.filter(is_active=True, memberships__organization__is_active=True)
    if organizer.kind != OrgKind.JUSTICE_BUREAU:
        qs = qs.filter(memberships__organization=organizer)
    return qs.distinct().order_by("real_name", "username")
