"""Reads of the shared pieces, and their visibility scopes."""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from . import policy
from .models import Attachment, Event, Membership, Organization, User


@policy.register_scope(Organization)
def _organizations(qs: models.QuerySet, viewer: policy.Viewer) -> models.QuerySet:
    # The directory of units is not confidential: every signed-in user picks receivers
    # and addressees from it.
    return qs


@policy.register_scope(User)
def _users(qs: models.QuerySet, viewer: policy.Viewer) -> models.QuerySet:
    return qs.filter(memberships__organization_id__in=viewer.org_ids).distinct()


@policy.register_scope(Membership)
def _memberships(qs: models.QuerySet, viewer: policy.Viewer) -> models.QuerySet:
    return qs.filter(organization_id__in=viewer.org_ids)


@policy.register_scope(Event)
def _events(qs: models.QuerySet, viewer: policy.Viewer) -> models.QuerySet:
    return qs.filter(organization_id__in=viewer.org_ids)


@policy.register_scope(Attachment)
def _attachments(qs: models.QuerySet, viewer: policy.Viewer) -> models.QuerySet:
    """Own uploads, and files on any object the viewer may see."""
    condition = Q(organization_id__in=viewer.org_ids)
    user = User(pk=viewer.user_id)
    user._policy_viewer = viewer
    for model in policy.scoped_models():
        if model is Attachment:
            continue
        condition |= Q(
            target_type=ContentType.objects.get_for_model(model),
            target_id__in=policy.visible_ids_subquery(user, model),
        )
    return qs.filter(condition)


def attachments_of(user, target: models.Model) -> models.QuerySet[Attachment]:
    return policy.visible_to(user, Attachment).filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    )


def memberships_of(user) -> models.QuerySet[Membership]:
    return Membership.objects.filter(user=user, organization__is_active=True).select_related(
        "organization"
    )
