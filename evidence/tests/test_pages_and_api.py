"""Evidence pages and /api/v1/evidence/: through the services, scoped to the case's viewers."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from cases.models import CaseStatus
from core.models import Role
from core.testing import member, supervisor
from evidence.models import EvidenceItem, EvidenceKind

from .factories import COMPLETE, PNG, CaseFactory, EvidenceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return CaseFactory()


@pytest.fixture
def officer(case):
    return member(Role.OFFICER, case.department)


def test_add_form_shows_the_types_checklist_and_keeps_input_on_error(client, case, officer):
    """M13.4: the physical-evidence form asks its clause's questions; a bad date keeps
    what was typed and says why in Chinese."""
    client.force_login(officer)
    url = f"/evidence/case/{case.pk}/add/{EvidenceKind.PHYSICAL}/"
    page = client.get(url).content.decode()
    assert "已保存原物" in page and "其他佐证" in page and "涂改" not in page
    response = client.post(url, {"title": "过期奶粉 12 罐", "proves": "销售过期食品",
                                 "source": "现场扣押", "obtained_on": "不是日期"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "过期奶粉 12 罐" in body and "输入一个有效的日期" in body
    assert not EvidenceItem.objects.exists()


def test_add_then_upload_then_complete_confirms_the_item(client, case, officer):
    client.force_login(officer)
    response = client.post(f"/evidence/case/{case.pk}/add/{EvidenceKind.OTHER}/", {
        "title": "现场照片", "proves": "现场情况", "source": "现场拍摄", "obtained_on": "2026-11-01",
    })
    item = EvidenceItem.objects.get()
    assert response.status_code == 302 and response.url == f"/evidence/{item.pk}/"
    detail = client.get(response.url).content.decode()
    assert "未确认" in detail and "未经查证属实" in detail
    client.post(f"/evidence/{item.pk}/upload/",
                {"file": SimpleUploadedFile("照片.png", PNG, "image/png")})
    client.post(f"/evidence/{item.pk}/edit/", {
        "title": "现场照片", "proves": "现场情况", "source": "现场拍摄", "obtained_on": "2026-11-01",
        "verified": "on",
    })
    detail = client.get(f"/evidence/{item.pk}/").content.decode()
    assert 'id="confirmation">已确认' in detail and "照片.png" in detail


def test_a_rejected_upload_says_why(client, case, officer):
    item = EvidenceFactory(case=case)
    client.force_login(officer)
    response = client.post(f"/evidence/{item.pk}/upload/",
                           {"file": SimpleUploadedFile("a.exe", b"MZ\x90\x00" * 64)}, follow=True)
    assert "无法识别的文件类型" in response.content.decode() or "不允许上传" in response.content.decode()


def test_evidence_pages_are_hidden_from_other_departments(client, case):
    item = EvidenceFactory(case=case)
    client.force_login(member(Role.OFFICER))
    assert client.get(f"/evidence/{item.pk}/").status_code == 404
    assert client.get(f"/evidence/case/{case.pk}/").status_code == 404
    client.force_login(supervisor())
    page = client.get(f"/evidence/case/{case.pk}/").content.decode()
    assert item.title in page and "登记证据：" not in page  # the bureau reads, does not edit


def test_closed_case_shows_no_edit_controls(client, case, officer):
    EvidenceFactory(case=case)
    case.status = CaseStatus.CLOSED
    case.save()
    client.force_login(officer)
    assert "登记证据：" not in client.get(f"/evidence/case/{case.pk}/").content.decode()


def test_api_creates_through_the_service_and_reports_the_derived_state(case, officer):
    api = APIClient()
    api.force_authenticate(officer)
    response = api.post("/api/v1/evidence/", {
        "case": case.pk, "kind": EvidenceKind.COPY, "title": "营业执照复印件",
        "proves": "经营主体", "source": "当事人提供", "obtained_on": "2026-11-01",
        **{k: str(v) for k, v in COMPLETE[EvidenceKind.COPY].items()},
        "confirmed": True,  # ignored: the state is derived
    }, format="json")
    assert response.status_code == 201, response.content
    assert response.data["confirmed"] is False
    assert response.data["missing"] == ["未上传证据文件（扫描件、照片或音视频）"]
    pk = response.data["id"]
    upload = api.post(f"/api/v1/evidence/{pk}/files/",
                      {"file": SimpleUploadedFile("复印件.png", PNG, "image/png")},
                      format="multipart")
    assert upload.status_code == 201, upload.content
    data = api.get(f"/api/v1/evidence/{pk}/").data
    assert data["confirmed"] is True and data["file_count"] == 1
    patched = api.patch(f"/api/v1/evidence/{pk}/", {"provider_signed": False}, format="json")
    assert patched.data["missing"] == ["提供人未签名或盖章"]


def test_api_is_scoped_to_the_cases_viewers(case):
    EvidenceFactory(case=case)
    api = APIClient()
    outsider = member(Role.OFFICER)
    api.force_authenticate(outsider)
    assert api.get("/api/v1/evidence/").data["count"] == 0
    response = api.post("/api/v1/evidence/", {
        "case": case.pk, "kind": EvidenceKind.OTHER, "title": "x", "proves": "x", "source": "x",
        "obtained_on": "2026-11-01"}, format="json")
    assert response.status_code in (400, 404)
    assert EvidenceItem.objects.count() == 1
    api.force_authenticate(supervisor())
    assert api.get("/api/v1/evidence/").data["count"] == 1


def test_edit_form_keeps_the_stored_dates(client, case, officer):
    """The edit form shows the stored date in the picker's format, so saving it again does
    not lose it."""
    item = EvidenceFactory(case=case, kind=EvidenceKind.COPY,
                           marked_on=case.filed_on)
    client.force_login(officer)
    page = client.get(f"/evidence/{item.pk}/edit/").content.decode()
    assert f'value="{item.obtained_on.isoformat()}"' in page
    assert f'value="{case.filed_on.isoformat()}"' in page
