"""Attachment validation: the type comes from the bytes, and a rejected upload stores
nothing and says why in Chinese."""
import io
import os
import zipfile

import pytest
from django.core.exceptions import ValidationError

from core import services
from core.models import Attachment, Role
from core.testing import OrganizationFactory, assert_audited, member

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.fixture
def officer_and_org():
    org = OrganizationFactory()
    return member(Role.OFFICER, org), org


def store(user, org, data: bytes, name: str):
    return services.attachment_store(actor=user, organization=org, fileobj=io.BytesIO(data),
                                     name=name, size=len(data))


def stored_files(media_root) -> list[str]:
    return [f for _dirs, _sub, files in os.walk(media_root) for f in files]


def test_image_is_stored_with_sniffed_type_and_random_path(officer_and_org, _media_root):
    user, org = officer_and_org
    with assert_audited("attachment.upload"):  # the name lies; the bytes do not
        attachment = services.attachment_store(actor=user, organization=org, fileobj=io.BytesIO(PNG),
                                               name="现场照片.jpg", size=len(PNG))
    assert attachment.content_type == "image/png"
    assert attachment.file.name.endswith(".png")
    assert "现场照片" not in attachment.file.name
    assert attachment.original_name == "现场照片.jpg"
    assert len(attachment.sha256) == 64 and attachment.size == len(PNG)


@pytest.mark.parametrize("data,name,kind", [
    (docx_bytes(), "询问笔录.docx", "application/vnd.openxmlformats-officedocument"),
    (OLE2, "执法文书.wps", "application/x-ole-storage"),
    (b"%PDF-1.7\n%%EOF", "决定书.pdf", "application/pdf"),
])
def test_office_wps_and_pdf_are_accepted(officer_and_org, data, name, kind):
    user, org = officer_and_org
    assert store(user, org, data, name).content_type.startswith(kind)


@pytest.mark.parametrize("data,name,message", [
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100, "报告.pdf", "不允许上传此类文件"),
    (b"just some text that is not a document", "说明.txt", "无法识别的文件类型"),
    (PNG, "../../etc/passwd.png", "路径"),
    (PNG, "..\\windows\\a.png", "路径"),
    (PNG, "a\x00.png", "控制字符"),
    (b"", "空.pdf", "空文件"),
])
def test_rejected_uploads_store_nothing(officer_and_org, _media_root, data, name, message):
    user, org = officer_and_org
    with pytest.raises(ValidationError, match=message):
        store(user, org, data, name)
    assert not Attachment.objects.exists()
    assert stored_files(_media_root) == []


def test_too_large_is_rejected_with_the_limit_named(officer_and_org, _media_root, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    user, org = officer_and_org
    with pytest.raises(ValidationError) as rejected:
        store(user, org, PNG + b"\x00" * 2000, "大图.png")
    assert "超过 1.0\xa0KB 的上限" in rejected.value.messages[0]
    assert not Attachment.objects.exists()
    assert stored_files(_media_root) == []


def test_api_upload_rejection_is_a_chinese_400(officer_and_org, _media_root):
    from rest_framework.test import APIClient

    user, org = officer_and_org
    api = APIClient()
    api.force_authenticate(user)
    f = io.BytesIO(b"#!/bin/sh\nrm -rf /\n")
    f.name = "run.sh"
    response = api.post("/api/v1/attachments/", {"file": f, "organization": org.pk},
                        format="multipart")
    assert response.status_code == 400
    assert "无法识别的文件类型" in str(response.json())
    assert stored_files(_media_root) == []


def test_an_upload_rolled_back_leaves_no_file_for_long(officer_and_org, _media_root):
    """The file is written inside the upload's transaction; when the operation around it
    fails afterwards, the row goes and the file stays. The daily prune removes it once a
    day old, and never a stored attachment's file."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from core import tasks

    user, org = officer_and_org
    kept = store(user, org, PNG, "现场照片.png")
    with pytest.raises(RuntimeError), transaction.atomic():
        store(user, org, PNG, "另一张照片.png")
        raise RuntimeError("the evidence item stored with it failed")
    assert len(stored_files(_media_root)) == 2 and Attachment.objects.count() == 1
    assert tasks.attachment_orphans_prune() == 0  # not a day old yet: perhaps uncommitted
    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    with assert_audited("files.prune"):  # by the system: the names stay in the trail
        (left,) = services.attachment_orphans_prune(now=later)
    assert left != kept.file.name and left.startswith("attachments/")
    assert stored_files(_media_root) == [kept.file.name.split("/")[-1]]
