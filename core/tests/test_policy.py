"""Visibility scopes and capabilities: one department cannot see or change another's
records, by page or by API; the justice bureau sees everything."""
import io

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from core import policy, services
from core.models import Attachment, Event, Role
from core.testing import OrganizationFactory, member, supervisor

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(user, org, name="决定书.pdf"):
    return services.attachment_store(actor=user, organization=org, fileobj=io.BytesIO(PDF),
                                     name=name, size=len(PDF))


@pytest.fixture
def two_departments():
    a, b = OrganizationFactory(), OrganizationFactory()
    return a, member(Role.OFFICER, a), b, member(Role.OFFICER, b)


def test_other_department_cannot_see_attachment_by_page(client, two_departments):
    org_a, user_a, _org_b, user_b = two_departments
    attachment = upload(user_a, org_a)
    client.force_login(user_b)
    assert client.get(f"/files/{attachment.pk}/").status_code == 404
    client.force_login(user_a)
    response = client.get(f"/files/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_other_department_cannot_see_or_list_attachment_by_api(two_departments):
    org_a, user_a, _org_b, user_b = two_departments
    attachment = upload(user_a, org_a)
    api = APIClient()
    api.force_authenticate(user_b)
    assert api.get(f"/api/v1/attachments/{attachment.pk}/").status_code == 404
    assert api.get("/api/v1/attachments/").json()["count"] == 0


def test_cannot_upload_in_another_departments_name(two_departments):
    org_a, _user_a, _org_b, user_b = two_departments
    api = APIClient()
    api.force_authenticate(user_b)
    f = io.BytesIO(PDF)
    f.name = "a.pdf"
    response = api.post("/api/v1/attachments/", {"file": f, "organization": org_a.pk},
                        format="multipart")
    assert response.status_code == 400
    assert "本单位" in str(response.json())
    assert not Attachment.objects.exists()


def test_justice_bureau_sees_every_department(two_departments):
    org_a, user_a, _org_b, _user_b = two_departments
    attachment = upload(user_a, org_a)
    api = APIClient()
    api.force_authenticate(supervisor())
    assert api.get(f"/api/v1/attachments/{attachment.pk}/").status_code == 200


def test_audit_events_are_scoped_to_the_organisation(client, two_departments):
    org_a, user_a, _org_b, user_b = two_departments
    upload(user_a, org_a, name="甲单位机密文件.pdf")
    assert policy.visible_to(user_b, Event).filter(note="甲单位机密文件.pdf").count() == 0
    assert policy.visible_to(user_a, Event).filter(note="甲单位机密文件.pdf").count() == 1
    head_b = member(Role.DEPARTMENT_HEAD, _org_b)
    client.force_login(head_b)
    page = client.get("/audit/")
    assert page.status_code == 200
    assert "甲单位机密文件" not in page.content.decode()


def test_deny_by_default_for_unscoped_model_and_users_without_membership():
    lonely = member(Role.OFFICER)
    lonely.memberships.all().delete()
    policy.forget(lonely)
    assert policy.visible_to(lonely, Attachment).count() == 0
    assert not policy.has_capability(lonely, "case.register")
    from django.contrib.sessions.models import Session  # a model no app scoped
    assert policy.visible_to(supervisor(), Session).count() == 0


def test_capability_is_checked_for_the_organisation():
    org_a, org_b = OrganizationFactory(), OrganizationFactory()
    head_a = member(Role.DEPARTMENT_HEAD, org_a)
    assert policy.has_capability(head_a, "case.decide", org_a)
    assert not policy.has_capability(head_a, "case.decide", org_b)
    with pytest.raises(PermissionDenied, match="作出决定"):
        policy.require(head_a, "case.decide", org_b)


def test_officer_cannot_open_audit_page(client):
    client.force_login(member(Role.OFFICER))
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "审计记录" in response.content.decode()
