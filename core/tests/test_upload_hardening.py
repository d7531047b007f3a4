"""Issue 16 item 12: upload names with bidi or control characters are refused; the type
read from the bytes must match the name's extension; an office document's declared
unpacked size is checked; stored files are served as downloads that no browser runs; a
request-size cap applies before the body is read."""
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from core import services
from core.models import Attachment, Role
from core.testing import OrganizationFactory, member

from .test_attachments import PNG, docx_bytes

pytestmark = pytest.mark.django_db

GIF_HTML = b"GIF89a<html><script>alert(document.cookie)</script></html>" + b"\x00" * 64
PDF_JS = (b"%PDF-1.7\n1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n"
          b"trailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture
def uploader():
    org = OrganizationFactory()
    return member(Role.OFFICER, org), org


def store(uploader, data: bytes, name: str) -> Attachment:
    user, org = uploader
    return services.attachment_store(actor=user, organization=org, fileobj=io.BytesIO(data),
                                     name=name, size=len(data))


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("word/media/fill.bin", b"\x00" * (3 * 1024 * 1024))
    return buf.getvalue()


@pytest.mark.parametrize("name", ["报告\u202efdp.exe", "照片\u2066.png", "a\u200b.png",
                                  "b\u2028.png", "c\x1b.png"])
def test_names_with_bidi_or_control_characters_are_refused(uploader, name):
    with pytest.raises(ValidationError, match="不可见的格式字符"):
        store(uploader, PNG, name)


@pytest.mark.parametrize("data,name", [(GIF_HTML, "通知.html"), (b"%PDF-1.4\n%%EOF", "笔录.docx"),
                                       (docx_bytes(), "决定书.pdf"), (PNG, "照片")])
def test_the_type_must_match_the_extension(uploader, data, name):
    with pytest.raises(ValidationError, match="与文件的实际类型"):
        store(uploader, data, name)
    assert not Attachment.objects.exists()


def test_an_image_with_another_image_extension_passes(uploader):
    assert store(uploader, PNG, "现场照片.jpg").content_type == "image/png"


def test_a_zip_bomb_named_docx_is_refused_by_its_declared_size(uploader, settings):
    settings.ATTACHMENT_MAX_UNPACKED_BYTES = 1024 * 1024
    data = zip_bomb()
    assert len(data) < 64 * 1024  # small on the wire
    with pytest.raises(ValidationError, match="解压后超过"):
        store(uploader, data, "询问笔录.docx")
    assert store(uploader, docx_bytes(), "询问笔录.docx").content_type.endswith("document")


def test_stored_files_download_and_never_run_on_our_origin(client, uploader):
    pdf = store(uploader, PDF_JS, "决定书.pdf")
    image = store(uploader, PNG, "照片.png")
    client.force_login(uploader[0])
    response = client.get(f"/files/{pdf.pk}/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    shown = client.get(f"/files/{image.pk}/")
    assert shown["Content-Disposition"].startswith("inline;")
    assert "sandbox" in shown["Content-Security-Policy"]
    assert shown["X-Frame-Options"] == "DENY"


def test_a_request_over_the_cap_is_refused_before_its_body_is_read(client, uploader, settings):
    settings.REQUEST_MAX_BYTES = 1024
    client.force_login(uploader[0])

    class Unreadable(io.BytesIO):
        def read(self, *args):
            raise AssertionError("the body was read")

    response = client.generic("POST", "/api/v1/attachments/", data=b"",
                              CONTENT_LENGTH="5000000", content_type="multipart/form-data; boundary=x",
                              **{"wsgi.input": Unreadable()})  # replaces the client's payload
    assert response.status_code == 413 and "上限" in response.json()["detail"]
