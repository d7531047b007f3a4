"""Reads of the M15 records and their visibility scopes: the organisations party to a
record see it (the justice bureau sees all)."""
from __future__ import annotations

from django.db import models
from django.db.models import Q

from core import policy
from core.models import OrgKind, Role

from .models import (
    AssistanceRequest,
    ComplaintNotice,
    Consultation,
    Dissuasion,
    InfoNotice,
    JurisdictionDispute,
)


@policy.register_scope(Dissuasion)
def _dissuasions(viewer: policy.Viewer) -> Q:
    return Q(township_id__in=viewer.org_ids) | Q(competent_id__in=viewer.org_ids)


@policy.register_scope(ComplaintNotice)
def _complaints(viewer: policy.Viewer) -> Q:
    return (Q(receiver_id__in=viewer.org_ids) | Q(handler_id__in=viewer.org_ids)
            | Q(department_id__in=viewer.org_ids))


@policy.register_scope(AssistanceRequest)
def _assistance(viewer: policy.Viewer) -> Q:
    return Q(requester_id__in=viewer.org_ids) | Q(addressee_id__in=viewer.org_ids)


@policy.register_scope(Consultation)
def _consultations(viewer: policy.Viewer) -> Q:
    return Q(initiator_id__in=viewer.org_ids) | Q(
        pk__in=Consultation.participants.through.objects
        .filter(organization_id__in=viewer.org_ids).values("consultation_id"))


@policy.register_scope(JurisdictionDispute)
def _disputes(viewer: policy.Viewer) -> Q:
    condition = Q(applicant_id__in=viewer.org_ids) | Q(respondent_id__in=viewer.org_ids)
    if any(role == Role.GOVERNMENT for _org, role in viewer.roles):
        # M15.6: the district government decides the disputes brought to it.
        condition |= ~Q(status="negotiating")
    return condition


@policy.register_scope(InfoNotice)
def _notices(viewer: policy.Viewer) -> Q:
    return Q(sender_id__in=viewer.org_ids) | Q(
        pk__in=InfoNotice.recipients.through.objects
        .filter(organization_id__in=viewer.org_ids).values("infonotice_id"))


def acting_organizations(user) -> models.QuerySet:
    """M15.1: the department or township governments the user acts for, never a unit."""
    return policy.organizations_with(user, "cooperation.handle").filter(
        kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP])


def listing(user, model: type[models.Model], q: str = "", search: tuple[str, ...] = ()) -> models.QuerySet:
    qs = policy.visible_to(user, model)
    if q and search:
        condition = Q()
        for name in search:
            condition |= Q(**{f"{name}__icontains": q})
        qs = qs.filter(condition)
    return qs
