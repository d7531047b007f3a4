"""The page of a record known only by its type and id — a deadline's target, a
notification's, an audit event's —, built without loading the record, so a list of such
rows (需关注, the audit trail) links every row to the object behind it at no query per row.

A model's page is its ``get_absolute_url``; for the common case, an address made of the
primary key alone (``reverse("cases:detail", args=[self.pk])``), it is read from an unsaved
instance holding only that key. A model whose address needs more registers its own
builder in its app's ``ready()``: ``links.register(Model, lambda pk: …)``.
"""
from __future__ import annotations

from typing import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.urls import NoReverseMatch

_BUILDERS: dict[type[models.Model], Callable[[str], str]] = {}


def register(model: type[models.Model], build: Callable[[str], str]) -> None:
    _BUILDERS[model] = build


def url_for_model(model: type[models.Model] | None, pk) -> str:
    """The page of the ``model`` row ``pk``; "" when it has none."""
    if model is None or pk in (None, ""):
        return ""
    build = _BUILDERS.get(model)
    if build is not None:
        return build(str(pk))
    if not hasattr(model, "get_absolute_url"):
        return ""
    try:
        return model(pk=model._meta.pk.to_python(pk)).get_absolute_url()
    except (NoReverseMatch, ObjectDoesNotExist, AttributeError, TypeError, ValueError,
            ValidationError):
        # A key that is no key, or an address that needs more than the key (and no
        # builder was registered).
        return ""


def url_for(content_type_id: int | None, pk) -> str:
    """The page of a generic relation's target (``target_type_id``, ``target_id``);
    content types are cached by Django, so a list pays at most one query per type the
    process has never met."""
    if not content_type_id:
        return ""
    return url_for_model(ContentType.objects.get_for_id(content_type_id).model_class(), pk)
