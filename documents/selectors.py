"""Reads of documents, and their visibility: a document is seen by its issuer, its
addressee and whoever sees the object it belongs to (SPEC: "a user sees what their
organisation is a party to")."""
from __future__ import annotations

from typing import Any, Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from core import policy
from core.models import Attachment, Event, Organization

from .models import Document, RectificationReport

# Targets whose visibility a document never follows: the directory of units is public to
# members (a document "about" a unit is seen through its issuer and addressee instead),
# and attachments and events follow other objects themselves.
_NOT_FOLLOWED = (Organization, Attachment, Event, Document)


@policy.register_scope(Document)
def _documents(viewer: policy.Viewer) -> Q:
    """The issuer always. A document about an object (a transfer's 案件移送书, a referral's
    移送函) follows that object's visibility and state: its addressee reads it once the
    object is shown to them (a draft transfer's letter stays with the sender). A document
    about nothing followed (a notice to a unit) is read by its addressee."""
    condition = Q(issuer_id__in=viewer.org_ids)
    unfollowed = Q(target_type=None)
    target_types = (Document.objects.exclude(target_type=None)
                    .values_list("target_type", flat=True).distinct())
    for type_id in target_types:
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or model in _NOT_FOLLOWED:
            unfollowed |= Q(target_type_id=type_id)
            continue
        condition |= Q(target_type_id=type_id,
                       target_id__in=policy.visible_pks(viewer, model, as_text=True))
    return condition | (unfollowed & Q(addressee_id__in=viewer.org_ids))


def documents_for(user, target: models.Model) -> models.QuerySet[Document]:
    """The documents of ``target`` the user may see, newest first (for a detail page)."""
    return policy.visible_to(user, Document).filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("issuer", "addressee")


def document_list(user, filters: Mapping[str, Any] | None = None) -> models.QuerySet[Document]:
    """Visible documents, filtered by kind, issuer, year, status and q (number or title)."""
    filters = filters or {}
    documents = policy.visible_to(user, Document).select_related("issuer", "addressee")
    for name in ("kind", "issuer", "year", "status"):
        if filters.get(name):
            documents = documents.filter(**{name: filters[name]})
    q = (filters.get("q") or "").strip()
    if q:
        documents = documents.filter(Q(number__icontains=q) | Q(title__icontains=q))
    return documents


def document_versions(document: Document) -> list[Document]:
    """Every version of the document's number, oldest first."""
    return list(Document.objects.filter(
        issuer_id=document.issuer_id, number_code=document.number_code, year=document.year,
        sequence=document.sequence).order_by("version"))


@policy.register_scope(RectificationReport)
def _rectification_reports(viewer: policy.Viewer) -> Q:
    # A report follows its notice: the issuer, the addressee, whoever sees the notice.
    return Q(notice_id__in=policy.visible_pks(viewer, Document))


@policy.register_scope(Attachment)
def _rectification_files(viewer: policy.Viewer) -> Q:
    return Q(target_type=ContentType.objects.get_for_model(RectificationReport),
             target_id__in=policy.visible_pks(viewer, RectificationReport, as_text=True))


def rectification_reports(user, notice: Document) -> list[RectificationReport]:
    """The notice's reports and objections the user may see, each with its ``files``."""
    reports = list(policy.visible_to(user, RectificationReport).filter(notice=notice)
                   .select_related("created_by", "replied_by"))
    files = policy.visible_to(user, Attachment).filter(
        target_type=ContentType.objects.get_for_model(RectificationReport),
        target_id__in=[str(r.pk) for r in reports])
    by_report: dict[str, list[Attachment]] = {}
    for f in files:
        by_report.setdefault(f.target_id, []).append(f)
    for r in reports:
        r.files = by_report.get(str(r.pk), [])
    return reports
