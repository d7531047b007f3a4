"""Reads of the M15 records and their visibility scopes: the organisations party to a
record see it (the justice bureau sees all)."""
from __future__ import annotations

import operator
from functools import reduce

from django.db import models
from django.db.models import Q

from core import policy
from core.models import OrgKind
from deadlines import calendar
from transfers import selectors as transfer_selectors
from transfers.models import TransferKind

from .models import (
    Consultation,
    Dissuasion,
    InfoNotice,
)


# The organisations party to a record (涉及单位), among ``ids``: either side of a dissuasion,
# the initiator or a participant of a consultation, the sender or a recipient of a notice.
# The visibility scopes, the lists' filter and the dashboard panel read the same rule.
PARTIES = {
    Dissuasion: lambda ids: Q(township_id__in=ids) | Q(competent_id__in=ids),
    Consultation: lambda ids: Q(initiator_id__in=ids) | Q(pk__in=Consultation.participants.through.objects
                                                          .filter(organization_id__in=ids).values("consultation_id")),
    InfoNotice: lambda ids: Q(sender_id__in=ids) | Q(pk__in=InfoNotice.recipients.through.objects
                                                     .filter(organization_id__in=ids).values("infonotice_id")),
}


@policy.register_scope(Dissuasion)
def _dissuasions(viewer: policy.Viewer) -> Q:
    return PARTIES[Dissuasion](viewer.org_ids)


@policy.register_scope(Consultation)
def _consultations(viewer: policy.Viewer) -> Q:
    return PARTIES[Consultation](viewer.org_ids)


@policy.register_scope(InfoNotice)
def _notices(viewer: policy.Viewer) -> Q:
    return PARTIES[InfoNotice](viewer.org_ids)


def acting_organizations(user, capability: str = "cooperation.handle") -> models.QuerySet:
    """M15.1: the department or township governments the user acts for, never a unit."""
    return policy.organizations_with(user, capability).filter(
        kind__in=[OrgKind.DEPARTMENT, OrgKind.TOWNSHIP])


def township_transfers(user, filters: dict | None = None) -> models.QuerySet:
    """M15.1: the township ↔ district transfers the user sees, through transfers' own
    selector; ``direction`` narrows them to those the user's units sent or received."""
    filters = dict(filters or {})
    direction = filters.pop("direction", "")
    qs = transfer_selectors.transfer_list(user, {**filters, "kind": TransferKind.TOWNSHIP})
    org_ids = policy.viewer(user).org_ids
    if direction == "sent":
        qs = qs.filter(sender_id__in=org_ids)
    elif direction == "received":
        qs = qs.filter(receiver_id__in=org_ids)
    return qs


# What each list's 关键词 searches, the date its 起止日期 filter reads, and what its
# rows show.
SEARCH: dict[type[models.Model], tuple[str, ...]] = {
    Dissuasion: ("location", "violation", "measures"),
    Consultation: ("subject", "content", "conclusion"),
    InfoNotice: ("title", "body"),
}
DATED: dict[type[models.Model], str] = {
    Dissuasion: "dissuaded_at", Consultation: "meeting_at", InfoNotice: "created_at",
}
RELATED: dict[type[models.Model], tuple[str, ...]] = {
    Dissuasion: ("township", "competent"),
    Consultation: ("initiator", "case"),
    InfoNotice: ("sender",),
}


def records(user, model: type[models.Model], filters: dict | None = None) -> models.QuerySet:
    """The M15 records of ``model`` that ``user`` sees, narrowed by a list's filters:
    ``q`` (keyword), ``since``/``until`` (local dates, both included) and exact values of
    the model's own fields. No filter widens the visibility scope."""
    filters = dict(filters or {})
    qs = policy.visible_to(user, model).select_related(*RELATED[model])
    q = filters.pop("q", "")
    if q:
        qs = qs.filter(reduce(operator.or_, (Q(**{f"{name}__icontains": q})
                                             for name in SEARCH[model])))
    organization = filters.pop("organization", None)  # 涉及单位
    if organization is not None:
        qs = qs.filter(PARTIES[model]([getattr(organization, "pk", organization)]))
    transferred = filters.pop("transferred", "")
    if transferred:
        qs = qs.filter(transfer__isnull=transferred == "no")
    state = filters.pop("state", "")
    if state:
        qs = qs.filter(concluded_at__isnull=state == "open")
    dated = DATED[model]
    if filters.get("since"):
        qs = qs.filter(**{f"{dated}__gte": calendar.start_of_day(filters.pop("since"))})
    if filters.get("until"):
        qs = qs.filter(**{f"{dated}__lt": calendar.end_of_day(filters.pop("until"))})
    return qs.filter(**filters)
