"""Reads of the supervision checks and their visibility: a check is seen by its organizer
and the units checked (an unannounced visit only by its organizer until its findings are
circulated); a case-file review and its files follow their check; monitoring leads are
the justice bureau's own (which sees everything). A 问题通报 is read by every unit, since it
is circulated to all (印发全市)."""
from __future__ import annotations

import random
from typing import Any, Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Avg, Count, Q

from cases.models import CaseStatus, EnforcementCase
from core import formats, policy
from core.models import Attachment, Organization, OrgKind
from documents.models import Document

from .documents import INSPECTION_BULLETIN
from .models import (CaseReview, Check, CheckMethod, CheckStatus, CheckUnit, Finding, Lead,
                     ReviewFile, ReviewStatus)

CHECKED_KINDS = (OrgKind.DEPARTMENT, OrgKind.TOWNSHIP, OrgKind.INTERNAL_UNIT)
CN_NUMBERS = "一二三四五六七八九十"


@policy.register_scope(Check)
def _checks(viewer: policy.Viewer) -> Q:
    # An unannounced visit is not shown to the unit visited before its results are out.
    shown = ~Q(method=CheckMethod.UNANNOUNCED) | Q(status__in=[CheckStatus.CIRCULATED,
                                                                 CheckStatus.CLOSED])
    units = CheckUnit.objects.filter(unit_id__in=viewer.org_ids).values("check_record_id")
    return Q(organizer_id__in=viewer.org_ids) | (shown & Q(pk__in=units)
                                                  & ~Q(status=CheckStatus.PLANNED))


def _visible_checks(viewer: policy.Viewer):
    return Check.objects.filter(_checks(viewer)).values("pk")


@policy.register_scope(CheckUnit)
def _check_units(viewer: policy.Viewer) -> Q:
    return Q(check_record_id__in=_visible_checks(viewer))


@policy.register_scope(Finding)
def _findings(viewer: policy.Viewer) -> Q:
    # The organizer sees every finding; a unit checked its own.
    return Q(check_record__organizer_id__in=viewer.org_ids) | Q(
        check_record_id__in=_visible_checks(viewer), unit_id__in=viewer.org_ids)


@policy.register_scope(CaseReview)
def _reviews(viewer: policy.Viewer) -> Q:
    return Q(check_record__organizer_id__in=viewer.org_ids) | Q(
        check_record_id__in=_visible_checks(viewer), department_id__in=viewer.org_ids)


@policy.register_scope(ReviewFile)
def _review_files(viewer: policy.Viewer) -> Q:
    return Q(review_id__in=CaseReview.objects.filter(_reviews(viewer)).values("pk"))


@policy.register_scope(Lead)
def _leads(viewer: policy.Viewer) -> Q:
    # M7.3: the bureau's own monitoring; only the justice bureau (which sees all) reads it.
    return Q(pk__in=[])


@policy.register_scope(Document)
def _bulletins(viewer: policy.Viewer) -> Q:
    # M7.5 印发全市: every unit reads a circulated bulletin.
    return Q(kind=INSPECTION_BULLETIN.code) if viewer.org_ids else Q(pk__in=[])


# --- checks -------------------------------------------------------------------------------
def check_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Check]:
    f = filters or {}
    qs = policy.visible_to(user, Check).select_related("organizer")
    for name in ("kind", "method", "status", "organizer"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("unit"):
        qs = qs.filter(pk__in=CheckUnit.objects.filter(unit=f["unit"]).values("check_record_id"))
    if f.get("since"):
        qs = qs.filter(ends_on__gte=f["since"])
    if f.get("until"):
        qs = qs.filter(starts_on__lte=f["until"])
    if f.get("q"):
        qs = qs.filter(Q(title__icontains=f["q"]) | Q(field_note__icontains=f["q"]))
    return qs.order_by("-starts_on", "-id")


def check_get(user, pk) -> Check:
    return policy.access(user, Check.objects.select_related("organizer", "bulletin", "created_by"), pk)


def unit_rows(user, check: Check) -> list[CheckUnit]:
    """The units checked the user may see, each with its findings and files."""
    rows = list(policy.visible_to(user, CheckUnit).filter(check_record=check)
                .select_related("unit", "instrument"))
    findings = list(policy.visible_to(user, Finding).filter(check_record=check).select_related("unit"))
    for row in rows:
        row.findings = [f for f in findings if f.unit_id == row.unit_id]
    return rows


def unit_row_get(user, pk) -> CheckUnit:
    return policy.access(user, CheckUnit.objects.select_related("check_record", "unit",
                                                                  "check_record__organizer"), pk)


def files_of(user, target: models.Model) -> models.QuerySet[Attachment]:
    return policy.visible_to(user, Attachment).filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk))


def checkable_units(organizer: Organization) -> models.QuerySet[Organization]:
    """M7.1: the justice bureau checks every department and township for the government; a
    department's legal unit checks its own department and its internal units."""
    active = Organization.objects.filter(is_active=True)
    if organizer.kind == OrgKind.JUSTICE_BUREAU:
        return active.filter(kind__in=CHECKED_KINDS).order_by("kind", "name")
    return active.filter(Q(pk=organizer.pk) | Q(parent=organizer)).order_by("kind", "name")


def plan_locked_text(check: Check) -> str:
    """Why a check's plan can no longer be changed (the service's refusal, the page's)."""
    return f"该检查当前为“{check.get_status_display()}”，检查方案只能在拟定阶段修改。"


def findings_for_accountability(user=None) -> models.QuerySet[Finding]:
    """The findings of circulated checks — the source an accountability proceeding
    (M8.1, accountability/) may be opened from: each with its unit, item and check."""
    qs = Finding.objects.all() if user is None else policy.visible_to(user, Finding)
    return (qs.filter(check_record__status__in=[CheckStatus.CIRCULATED, CheckStatus.CLOSED])
            .select_related("check_record", "unit"))


def instrument_facts(row: CheckUnit) -> str:
    """The findings of ``row``'s unit as the instrument's 检查发现的问题 (the form's default)."""
    lines = [f"（{CN_NUMBERS[n] if n < 10 else n + 1}）{f.get_item_display()}：{f.description}"
             for n, f in enumerate(row.check_record.findings.filter(unit_id=row.unit_id))]
    return f"{row.check_record.organizer.name}于{formats.date_text(row.check_record.starts_on)}起对你单位开展" \
           f"{row.check_record.title}，发现以下问题：\n" + "\n".join(lines)


# --- case-file review ---------------------------------------------------------------------
def sample_cases(*, department: Organization, closed_from, closed_to, size: int, seed: int) -> list[int]:
    """A random sample of ``department``'s cases closed in the period, stratified by act type
    (each type's share of the sample as its share of the cases, by largest remainder; every
    type present gets at least one file when the size allows) — the same ``seed`` gives the
    same sample, so the draw can be reproduced and checked."""
    pool = (EnforcementCase.objects.filter(department=department, status=CaseStatus.CLOSED,
                                           closed_on__gte=closed_from, closed_on__lte=closed_to)
            .order_by("act_type", "pk").values_list("act_type", "pk"))
    strata: dict[str, list[int]] = {}
    for act_type, pk in pool:
        strata.setdefault(act_type, []).append(pk)
    total = sum(len(v) for v in strata.values())
    size = min(size, total)
    if not size:
        return []
    quotas = {k: size * len(v) / total for k, v in strata.items()}
    taken = {k: int(q) for k, q in quotas.items()}
    if size >= len(strata):
        for k in taken:
            taken[k] = max(taken[k], 1)
    while sum(taken.values()) > size:  # the minimum of one pushed past the size
        k = max((k for k in taken if taken[k] > 1), key=lambda k: taken[k] - quotas[k])
        taken[k] -= 1
    for k in sorted(quotas, key=lambda k: (quotas[k] - taken[k], k), reverse=True):
        if sum(taken.values()) >= size:
            break
        if taken[k] < len(strata[k]):
            taken[k] += 1
    rng = random.Random(seed)
    chosen: list[int] = []
    for k in sorted(strata):
        chosen.extend(rng.sample(strata[k], min(taken[k], len(strata[k]))))
    return sorted(chosen)


def review_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[CaseReview]:
    f = filters or {}
    qs = policy.visible_to(user, CaseReview).select_related("department", "check_record", "standard")
    for name in ("department", "status"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("check"):
        qs = qs.filter(check_record_id=f["check"])
    if f.get("q"):
        qs = qs.filter(Q(department__name__icontains=f["q"]) | Q(check_record__title__icontains=f["q"]))
    return qs.annotate(file_count=Count("files"),
                       passed_count=Count("files", filter=Q(files__passed=True)),
                       mean_score=Avg("files__score")).order_by("-created_at", "-id")


def review_get(user, pk) -> CaseReview:
    return policy.access(user, CaseReview.objects.select_related(
        "department", "check_record", "check_record__organizer", "standard"), pk)


def review_file_get(user, pk) -> ReviewFile:
    return policy.access(user, ReviewFile.objects.select_related(
        "review", "review__standard", "review__check_record", "case", "reviewer"), pk)


def review_results(user) -> list[dict]:
    """Per department, over its completed reviews: files reviewed, passed, pass rate and mean
    score (M7: 案卷评查 results feed the findings)."""
    files = (policy.visible_to(user, ReviewFile).filter(review__status=ReviewStatus.DONE)
             .values("review__department_id", "review__department__name")
             .annotate(files=Count("pk"), passed=Count("pk", filter=Q(passed=True)),
                       mean=Avg("score")).order_by("review__department__name"))
    return [{"department_id": r["review__department_id"], "department": r["review__department__name"],
             "files": r["files"], "passed": r["passed"],
             "pass_rate": round(100 * r["passed"] / r["files"], 1) if r["files"] else None,
             "mean": round(r["mean"], 1) if r["mean"] is not None else None} for r in files]


# --- leads --------------------------------------------------------------------------------
def lead_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Lead]:
    f = filters or {}
    qs = policy.visible_to(user, Lead).select_related("organization")
    for name in ("rule", "status", "organization"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("since"):
        qs = qs.filter(observed_on__gte=f["since"])
    if f.get("until"):
        qs = qs.filter(observed_on__lte=f["until"])
    if f.get("q"):
        qs = qs.filter(Q(subject__icontains=f["q"]) | Q(organization__name__icontains=f["q"]))
    return qs.order_by("-observed_on", "-id")


def lead_rows(pks) -> models.QuerySet[Lead]:
    """The leads of one page by key, with what the list shows (``cases.selectors.CasePaginator``)."""
    return Lead.objects.filter(pk__in=pks).select_related("organization")


def lead_get(user, pk) -> Lead:
    return policy.access(user, Lead.objects.select_related("organization", "finding", "handled_by"), pk)
