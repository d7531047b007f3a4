"""Pages: the list a user may see, the detail with its inline PDF, downloads; access
follows the object the document belongs to (issue 4.3)."""
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.models import Role
from core.testing import OrganizationFactory, justice_bureau, member
from documents import services
from documents.models import Document

pytestmark = pytest.mark.django_db

SAMPLE = {"addressee": "北戴河区市场监督管理局", "facts": "问题。", "legal_basis": "依据。",
          "rectification": "整改。", "deadline": "2030-01-31", "report_method": "书面报告。"}


def test_addressee_sees_the_notice_and_another_department_does_not(
        client, issue_notice, department_head):
    document = issue_notice()
    outsider = member(Role.DEPARTMENT_HEAD, OrganizationFactory())
    client.force_login(department_head)
    assert client.get(document.get_absolute_url()).status_code == 200
    assert document.number in client.get(reverse("documents:list")).content.decode()
    client.force_login(outsider)
    for name in ("documents:detail", "documents:pdf", "documents:docx"):
        assert client.get(reverse(name, args=[document.pk])).status_code == 404
    assert document.number not in client.get(reverse("documents:list")).content.decode()


def test_a_document_follows_the_visibility_of_its_target(client, bureau_supervisor):
    """Whoever sees the case sees the document about it; no one else does."""
    from cases.models import EnforcementCase
    from cases.testing import make_case

    case_department = OrganizationFactory()
    case = make_case(case_department)
    document = services.document_issue(kind="supervision_notice", issuer=justice_bureau(),
                                       data=SAMPLE, target=case, actor=bureau_supervisor)
    assert document.target_type == ContentType.objects.get_for_model(EnforcementCase)
    client.force_login(member(Role.OFFICER, case_department))
    assert client.get(document.get_absolute_url()).status_code == 200
    client.force_login(member(Role.OFFICER, OrganizationFactory()))
    assert client.get(document.get_absolute_url()).status_code == 404


def test_pdf_previews_inline_in_our_own_pages_and_downloads(client, issue_notice,
                                                           bureau_supervisor):
    document = issue_notice()
    client.force_login(bureau_supervisor)
    detail = client.get(document.get_absolute_url()).content.decode()
    assert f'src="{reverse("documents:pdf", args=[document.pk])}"' in detail
    inline = client.get(reverse("documents:pdf", args=[document.pk]))
    assert inline["Content-Type"] == "application/pdf"
    assert inline["Content-Disposition"].startswith("inline;")
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(inline.streaming_content) == document.file.open("rb").read()
    download = client.get(reverse("documents:pdf", args=[document.pk]) + "?download")
    assert download["Content-Disposition"].startswith("attachment;")


def test_docx_download_opens_in_word(client, issue_notice, department_head):
    from docx import Document as Docx

    document = issue_notice()
    client.force_login(department_head)
    response = client.get(reverse("documents:docx", args=[document.pk]))
    assert response.status_code == 200
    assert Docx(io.BytesIO(response.content)).paragraphs[1].text == document.number


def test_list_filters_by_kind_issuer_year_and_searches_number_and_title(
        client, issue_notice, bureau_supervisor):
    first = issue_notice(title="关于案卷评查问题的监督通知书")
    second = issue_notice(title="关于执法公示问题的监督通知书")
    client.force_login(bureau_supervisor)
    url = reverse("documents:list")

    def numbers(**params):
        page = client.get(url, params).content.decode()
        return {d.number for d in (first, second) if d.number in page}

    assert numbers() == {first.number, second.number}
    assert numbers(q="执法公示") == {second.number}
    assert numbers(q=first.number) == {first.number}
    assert numbers(kind="supervision_notice", issuer=justice_bureau().pk,
                   year=first.year) == {first.number, second.number}
    assert numbers(year=first.year - 1) == set()
    assert numbers(issuer=OrganizationFactory().pk) == set()


def test_void_from_the_detail_page_with_its_reason(client, issue_notice, bureau_supervisor,
                                                   department_head):
    """The issuer voids with a reason (a TransitionView); the addressee has no button."""
    document = issue_notice()
    client.force_login(department_head)
    assert "作废的理由" not in client.get(document.get_absolute_url()).content.decode()
    response = client.post(reverse("documents:void", args=[document.pk]),
                           {"target": "voided", "note": "发错单位"}, follow=True)
    assert "您没有“作废公文”的权限" in response.content.decode()
    assert Document.objects.get(pk=document.pk).status == "issued"
    client.force_login(bureau_supervisor)
    assert "作废的理由" in client.get(document.get_absolute_url()).content.decode()
    response = client.post(reverse("documents:void", args=[document.pk]),
                           {"target": "voided", "note": "发错单位"}, follow=True)
    body = response.content.decode()
    assert f"{document.number}已作废，该文号不再使用。" in body
    assert "理由：发错单位" in body
    assert Document.objects.get(pk=document.pk).void_reason == "发错单位"


def test_void_without_a_reason_is_refused(client, issue_notice, bureau_supervisor):
    document = issue_notice()
    client.force_login(bureau_supervisor)
    response = client.post(reverse("documents:void", args=[document.pk]),
                           {"target": "voided", "note": " "}, follow=True)
    assert "“作废”须填写理由。" in response.content.decode()
    assert Document.objects.get(pk=document.pk).status == "issued"


def test_notice_form_keeps_what_was_typed_on_bad_input(client, bureau_supervisor, department):
    client.force_login(bureau_supervisor)
    response = client.post(reverse("documents:supervision_notice_new"), {
        "issuer": justice_bureau().pk, "addressee": department.pk, "facts": "发现的问题文字",
        "legal_basis": "", "rectification": "整改", "deadline": "2000-01-01",
        "report_method": "报告"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "发现的问题文字" in page and "整改期限须晚于今天" in page and "该字段是必填项" in page
    assert not Document.objects.exists()


def test_a_department_head_cannot_open_the_notice_form(client, department_head):
    client.force_login(department_head)
    assert client.get(reverse("documents:supervision_notice_new")).status_code == 403
