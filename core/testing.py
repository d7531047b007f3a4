"""Test helpers shared by every app's tests: factories and the audit assertion."""
from __future__ import annotations

import contextlib
from typing import Iterator

import factory
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Event, Membership, Organization, OrgKind, Role, User


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试执法部门{n}")
    short_name = factory.Sequence(lambda n: f"测{n}")
    kind = OrgKind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "Test-password-2026")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member(role: str = Role.OFFICER, organization: Organization | None = None, **user_fields) -> User:
    """A user holding ``role`` in ``organization`` (a new department if none is given)."""
    organization = organization or OrganizationFactory()
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, organization=organization, role=role)
    return user


def justice_bureau() -> Organization:
    org, _ = Organization.objects.get_or_create(
        name="北戴河区司法局", defaults={"short_name": "北司", "kind": OrgKind.JUSTICE_BUREAU}
    )
    return org


def supervisor() -> User:
    return member(Role.SUPERVISOR, justice_bureau())


@contextlib.contextmanager
def assert_audited(verb: str, target: models.Model | None = None) -> Iterator[None]:
    """The block must write at least one audit event with ``verb`` (on ``target`` if given).

    Every service write is tested inside this block; core/tests/test_audit.py fails when a
    public service function has no such test.
    """
    last = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    yield
    events = Event.objects.filter(id__gt=last, verb=verb)
    if target is not None:
        events = events.filter(target_type=ContentType.objects.get_for_model(target),
                               target_id=str(target.pk))
    assert events.exists(), f"no audit event {verb!r} was written" + (
        f" for {target!r}" if target is not None else "")
