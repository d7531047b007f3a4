"""Reads of the shared pieces, and their visibility scopes."""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from . import policy
from .kinds import TargetKinds
from .models import Attachment, Event, Membership, Organization, User


@policy.register_scope(Organization)
def _organizations(viewer: policy.Viewer) -> Q:
    # The directory of units is not confidential: every signed-in user picks receivers
    # and addressees from it.
    return Q(pk__isnull=False)


@policy.register_scope(User)
def _users(viewer: policy.Viewer) -> Q:
    return Q(pk__in=Membership.objects.filter(organization_id__in=viewer.org_ids)
             .values("user_id"))


@policy.register_scope(Membership)
def _memberships(viewer: policy.Viewer) -> Q:
    return Q(organization_id__in=viewer.org_ids)


@policy.register_scope(Event)
def _events(viewer: policy.Viewer) -> Q:
    return Q(organization_id__in=viewer.org_ids)


# The kinds of record files are on (core/kinds.py): the scope follows only those.
ATTACHMENT_KINDS = TargetKinds(Attachment)


@policy.register_scope(Attachment)
def _attachments(viewer: policy.Viewer) -> Q:
    """Own uploads, and files on any object the viewer may see. The files of a model that
    says ``attachments_follow_target = True`` (an interference record, M12.2: exemption/)
    are seen only as the record is, not by everyone in the uploading unit."""
    confidential = [ContentType.objects.get_for_model(model) for model in policy.scoped_models()
                    if getattr(model, "attachments_follow_target", False)]
    condition = Q(organization_id__in=viewer.org_ids)
    if confidential:
        condition &= ~Q(target_type__in=confidential)
    used = ATTACHMENT_KINDS.ids()
    for model in policy.scoped_models():
        if model is Attachment:
            continue
        if used is not None and ContentType.objects.get_for_model(model).pk not in used:
            continue  # no file is on this kind of record: nothing to follow
        condition |= Q(
            target_type=ContentType.objects.get_for_model(model),
            target_id__in=policy.visible_pks(viewer, model, as_text=True),
        )
    return condition


def attachments_of(user, target: models.Model) -> models.QuerySet[Attachment]:
    return policy.visible_to(user, Attachment).filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    )


def memberships_of(user) -> models.QuerySet[Membership]:
    return Membership.objects.filter(user=user, organization__is_active=True).select_related(
        "organization"
    )
