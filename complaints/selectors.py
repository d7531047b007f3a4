"""Reads of the complaint ledger and its assistance requests, and their visibility.

A ledger entry is seen by its handling unit, by the unit that handed it on (M15.2, to be
told the result) and — only once asked to assist (M3.4) — by the unit complained about;
the justice bureau sees every unit's ledger (M3.3). The keyword never searches the
complainant's identity or contact (a search would tell the unit complained about who
complained)."""
from __future__ import annotations

from typing import Any, Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast

from core import policy
from core.models import Attachment
from deadlines import calendar
from deadlines.models import Deadline, DeadlineState

from .models import (AssistanceRequest, Complaint, ComplaintChannel, ComplaintFile,
                     ComplaintStatus)

RULES = ("complaint_acceptance", "complaint_handling", "report_verification", "complaint_answer")


@policy.register_scope(Complaint)
def _complaints(viewer: policy.Viewer) -> Q:
    # The handed-on and the assisted entries as key subqueries, not a join: the ledger's
    # keys are then read from its index alone (``complaint_received`` carries unit_id),
    # in the list's order, however many entries there are (make bench ARGS=complaints).
    ids = sorted(viewer.org_ids)
    return (Q(unit_id__in=ids)
            | Q(pk__in=Complaint.objects.filter(referred_from__isnull=False,
                                                referred_from__unit_id__in=ids).values("pk"))
            | Q(pk__in=AssistanceRequest.objects.filter(addressee_id__in=ids, complaint__isnull=False)
                .values("complaint_id")))


@policy.register_scope(ComplaintChannel)
def _channels(viewer: policy.Viewer) -> Q:
    # Published to the public: every signed-in member reads every unit's channels.
    return Q()


@policy.register_scope(AssistanceRequest)
def _assistance(viewer: policy.Viewer) -> Q:
    return Q(requester_id__in=viewer.org_ids) | Q(addressee_id__in=viewer.org_ids)


# --- deadlines of the ledger -------------------------------------------------------------
def _deadlines(rules=RULES) -> models.QuerySet[Deadline]:
    return Deadline.objects.filter(
        target_type=ContentType.objects.get_for_model(Complaint),
        target_id=Cast(OuterRef("pk"), CharField()), rule__in=rules)


def overdue_q() -> Q:
    """An entry one of whose time limits has run out (the sweep marks them overdue)."""
    return Q(Exists(_deadlines().filter(state=DeadlineState.OVERDUE)))


def on_time_q(rule: str) -> Q:
    """The step ``rule`` asks for was done by its due."""
    return Q(Exists(_deadlines((rule,)).filter(state=DeadlineState.MET, met_at__lte=models.F("due"))))


# --- the ledger ------------------------------------------------------------------------
STATE_LABELS = {"live": "办理中", "overdue": "已逾期", "closed": "已办结或归档"}


def state_q(state: str) -> Q:
    live = ~Q(status__in=[ComplaintStatus.REJECTED, ComplaintStatus.TRANSFERRED,
                          ComplaintStatus.ANSWERED, ComplaintStatus.ARCHIVED])
    return {
        "live": live,
        "overdue": overdue_q(),
        "closed": Q(status__in=[ComplaintStatus.ANSWERED, ComplaintStatus.ARCHIVED]),
        "accepted_on_time": on_time_q("complaint_acceptance"),
        "handled_on_time": on_time_q("complaint_handling"),
    }[state]


def complaint_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Complaint]:
    """The ledger the user sees, filtered by unit, channel, kind, status, state (办理中 /
    已逾期 / 已办结), since/until (the date received, local days, both included), direct
    (accepted by the justice bureau itself) and q — number, 12345 order, matter, the unit
    or officer complained about; never the complainant."""
    f = filters or {}
    qs = policy.visible_to(user, Complaint).select_related("unit", "subject_org")
    for name in ("unit", "channel", "kind", "status", "subject_org"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("state"):
        qs = qs.filter(state_q(f["state"]))
    if f.get("overdue"):
        qs = qs.filter(overdue_q())
    if f.get("satisfaction"):
        qs = qs.filter(satisfaction=f["satisfaction"])
    if f.get("since"):
        qs = qs.filter(received_at__gte=calendar.start_of_day(f["since"]))
    if f.get("until"):
        qs = qs.filter(received_at__lt=calendar.end_of_day(f["until"]))
    if f.get("direct"):
        qs = qs.filter(unit__kind="justice_bureau", subject_org__isnull=False)
    if f.get("q"):
        text = f["q"]
        qs = qs.filter(Q(number__icontains=text) | Q(hotline_order__icontains=text)
                       | Q(matter__icontains=text) | Q(subject_officer_name__icontains=text)
                       | Q(subject_org__name__icontains=text))
    return qs.order_by("-received_at", "-id")


def ledger_rows(pks: list[int]) -> models.QuerySet[Complaint]:
    """A ledger page's entries for keys already taken from a visible, filtered list: one
    query whatever the page size, with their units and whether a time limit ran out."""
    return (Complaint.objects.filter(pk__in=pks).select_related("unit", "subject_org")
            .annotate(is_overdue=Exists(_deadlines().filter(state=DeadlineState.OVERDUE))))


def complaint_get(user, pk) -> Complaint:
    return policy.access(user, Complaint.objects.select_related(
        "unit", "subject_org", "subject_officer", "transferred_to", "referred_from",
        "referred_from__unit", "created_by"), pk)


def successor_of(complaint: Complaint) -> Complaint | None:
    return Complaint.objects.filter(referred_from=complaint).select_related("unit").first()


def files_of(complaint: Complaint) -> models.QuerySet[ComplaintFile]:
    return complaint.files.all()


def file_get(user, pk) -> ComplaintFile:
    """A material, for those who may see the complainant only (the same 404 otherwise)."""
    from django.http import Http404

    from .services import may_see_complainant

    row = ComplaintFile.objects.select_related("complaint").filter(pk=pk).first()
    if row is None or not policy.visible_to(user, Complaint).filter(pk=row.complaint_id).exists() \
            or not may_see_complainant(user, row.complaint):
        raise Http404(policy.NOT_FOUND)
    return row


# --- channels --------------------------------------------------------------------------
def channel_list(filters: Mapping[str, Any] | None = None) -> models.QuerySet[ComplaintChannel]:
    """Every unit's published channels (public), filtered by q (unit or office)."""
    f = filters or {}
    qs = ComplaintChannel.objects.select_related("organization").filter(organization__is_active=True)
    if f.get("q"):
        qs = qs.filter(Q(organization__name__icontains=f["q"]) | Q(handling_office__icontains=f["q"]))
    return qs.order_by("organization__kind", "organization__name")


def units_without_channel() -> models.QuerySet:
    """M3.1: the enforcement departments and townships that have published no channel."""
    from core.models import Organization, OrgKind

    return (Organization.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP],
                                        is_active=True, complaint_channel__isnull=True)
            .order_by("kind", "name"))


# --- assistance ------------------------------------------------------------------------
def assistance_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[AssistanceRequest]:
    f = filters or {}
    qs = policy.visible_to(user, AssistanceRequest).select_related("requester", "addressee", "complaint")
    for name in ("kind", "status"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("direction") == "sent":
        qs = qs.filter(requester_id__in=policy.viewer(user).org_ids)
    elif f.get("direction") == "received":
        qs = qs.filter(addressee_id__in=policy.viewer(user).org_ids)
    if f.get("since"):
        qs = qs.filter(created_at__gte=calendar.start_of_day(f["since"]))
    if f.get("until"):
        qs = qs.filter(created_at__lt=calendar.end_of_day(f["until"]))
    if f.get("q"):
        qs = qs.filter(Q(subject__icontains=f["q"]) | Q(content__icontains=f["q"])
                       | Q(reply__icontains=f["q"]))
    return qs.order_by("-created_at", "-id")


def assistance_get(user, pk) -> AssistanceRequest:
    return policy.access(user, AssistanceRequest.objects.select_related(
        "requester", "addressee", "complaint", "letter", "created_by"), pk)


def assistance_files(user, request: AssistanceRequest) -> models.QuerySet[Attachment]:
    return policy.visible_to(user, Attachment).filter(
        target_type=ContentType.objects.get_for_model(request), target_id=str(request.pk))


# --- hooks for other apps (registered by the lead at merge) ------------------------------
def overdue_complaints() -> models.QuerySet[Complaint]:
    """The ledger's entries with a time limit run out (inspections: a complaint overdue)."""
    return Complaint.objects.filter(overdue_q())


def handled_on_time_by_unit(year: int) -> dict[int, tuple[int, int]]:
    """{unit id: (entries concluded in ``year``, of which within the handling period)} —
    one GROUP BY (assessment: complaints handled on time)."""
    rows = (Complaint.objects.filter(concluded_at__year=year).order_by().values("unit_id")
            .annotate(handled=Count("pk"), on_time=Count("pk", filter=on_time_q("complaint_handling"))))
    return {r["unit_id"]: (r["handled"], r["on_time"]) for r in rows}
