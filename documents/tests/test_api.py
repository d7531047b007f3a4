"""/api/v1/documents/ agrees with the pages: the same documents, the same files, and voiding
and issuing through the same services, checks and messages."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import Role
from core.testing import OrganizationFactory, assert_audited, justice_bureau, member
from deadlines.models import Deadline, DeadlineState
from documents import services
from documents.models import Document, DocumentStatus

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def api_numbers(user, **params) -> set[str]:
    return {d["number"] for d in api_for(user).get("/api/v1/documents/", params).json()["results"]}


def notice_payload(department, **overrides) -> dict:
    return {"issuer": justice_bureau().pk, "addressee": department.pk,
            "facts": "3件案件未告知当事人陈述、申辩的权利。",
            "legal_basis": "《中华人民共和国行政处罚法》第四十四条。", "rectification": "逐件复查，依法纠正。",
            "deadline": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
            "report_method": "书面报告区司法局。", "attachments": ["案卷评查问题清单"], **overrides}


def test_list_and_detail_show_what_the_list_page_shows(client, issue_notice, bureau_supervisor,
                                                       department_head):
    ours = issue_notice()
    theirs = issue_notice(addressee=OrganizationFactory())
    outsider = member(Role.DEPARTMENT_HEAD, OrganizationFactory())
    for user, expected in [(bureau_supervisor, {ours.number, theirs.number}),
                           (department_head, {ours.number}), (outsider, set())]:
        client.force_login(user)
        page = client.get(reverse("documents:list")).content.decode()
        assert {d.number for d in (ours, theirs) if d.number in page} == expected
        assert api_numbers(user) == expected
    detail = api_for(department_head).get(f"/api/v1/documents/{ours.pk}/").json()
    assert detail["issuer_name"] == "北戴河区司法局"
    assert detail["addressee_name"] == "北戴河区市场监督管理局"
    assert detail["status"] == DocumentStatus.ISSUED and detail["sha256"] == ours.sha256
    for path in ("", "pdf/", "docx/"):
        assert api_for(department_head).get(f"/api/v1/documents/{theirs.pk}/{path}").status_code == 404
        assert api_for(outsider).get(f"/api/v1/documents/{ours.pk}/{path}").status_code == 404


def test_filters_by_kind_issuer_year_and_status_and_searches_number_and_title(
        issue_notice, bureau_supervisor):
    first = issue_notice(title="关于案卷评查问题的监督通知书")
    second = issue_notice(title="关于执法公示问题的监督通知书")
    services.document_void(document=first, actor=bureau_supervisor, reason="发错单位")
    both = {first.number, second.number}
    assert api_numbers(bureau_supervisor, kind="supervision_notice", issuer=justice_bureau().pk,
                       year=first.year) == both
    assert api_numbers(bureau_supervisor, year=first.year - 1) == set()
    assert api_numbers(bureau_supervisor, issuer=OrganizationFactory().pk) == set()
    assert api_numbers(bureau_supervisor, status=DocumentStatus.VOIDED) == {first.number}
    assert api_numbers(bureau_supervisor, search="执法公示") == {second.number}
    assert api_numbers(bureau_supervisor, search=first.number) == {first.number}
    unknown_kind = api_for(bureau_supervisor).get("/api/v1/documents/", {"kind": "no_such_kind"})
    assert unknown_kind.status_code == 400


def test_pdf_and_docx_are_what_the_page_download_buttons_serve(client, issue_notice,
                                                              department_head):
    document = issue_notice()
    client.force_login(department_head)
    page = client.get(reverse("documents:pdf", args=[document.pk]) + "?download")
    api = api_for(department_head).get(f"/api/v1/documents/{document.pk}/pdf/",
                                       HTTP_ACCEPT="application/pdf")
    assert api.status_code == 200 and api["Content-Type"] == "application/pdf"
    assert api["Content-Disposition"] == page["Content-Disposition"]
    assert b"".join(api.streaming_content) == b"".join(page.streaming_content)
    page_docx = client.get(reverse("documents:docx", args=[document.pk]))
    api_docx = api_for(department_head).get(f"/api/v1/documents/{document.pk}/docx/")
    assert api_docx.status_code == 200 and api_docx.content[:2] == b"PK"
    assert api_docx["Content-Type"] == page_docx["Content-Type"]
    assert api_docx["Content-Disposition"] == page_docx["Content-Disposition"]


def test_void_goes_through_the_service_and_needs_a_reason(issue_notice, bureau_supervisor,
                                                          department_head):
    document = issue_notice()
    api = api_for(bureau_supervisor)
    url = f"/api/v1/documents/{document.pk}/void/"
    for body in ({}, {"reason": "  "}):
        response = api.post(url, body, format="json")
        assert response.status_code == 400 and response.json() == {"reason": ["请填写作废理由。"]}
    assert api_for(department_head).post(url, {"reason": "发错单位"}).status_code == 403
    assert Document.objects.get(pk=document.pk).status == DocumentStatus.ISSUED
    with assert_audited("documents.document.transition", document):
        response = api.post(url, {"reason": "发错单位"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["void_reason"]) == ("voided", "发错单位")
    voided = Document.objects.get(pk=document.pk)
    assert (voided.status, voided.voided_by) == (DocumentStatus.VOIDED, bureau_supervisor)
    assert Deadline.objects.get(rule="rectification").state == DeadlineState.CANCELLED
    again = api.post(url, {"reason": "重复作废"}, format="json")
    assert again.status_code == 400 and "已作废" in again.json()[0]


def test_supervisor_issues_a_numbered_supervision_notice(bureau_supervisor, department):
    with assert_audited("document.issue"):
        response = api_for(bureau_supervisor).post("/api/v1/documents/supervision-notice/",
                                                   notice_payload(department), format="json")
    assert response.status_code == 201
    body = response.json()
    document = Document.objects.get(pk=body["id"])
    assert body["number"] == document.number == f"北司监〔{document.year}〕1号"
    assert body["title"] == "行政执法监督通知书" and body["addressee"] == department.pk
    assert document.data["attachments"] == ["案卷评查问题清单"]
    assert Deadline.objects.get(rule="rectification").responsible == department


def test_notice_refusals_carry_the_pages_messages(bureau_supervisor, department,
                                                  department_head):
    url = "/api/v1/documents/supervision-notice/"
    refused = api_for(department_head).post(url, notice_payload(department), format="json")
    assert refused.status_code == 403 and "签发行政执法监督通知书" in refused.json()["detail"]
    api = api_for(bureau_supervisor)
    past = api.post(url, notice_payload(department, deadline=timezone.localdate().isoformat()),
                    format="json")
    assert past.status_code == 400 and past.json() == {"deadline": ["整改期限须晚于今天。"]}
    missing = api.post(url, notice_payload(department, legal_basis=" "), format="json")
    assert missing.status_code == 400 and set(missing.json()) == {"legal_basis"}
    other_issuer = api.post(url, notice_payload(department, issuer=department.pk), format="json")
    assert other_issuer.status_code == 400 and set(other_issuer.json()) == {"issuer"}
    assert not Document.objects.exists()


def test_schema_describes_the_documents_api(client):
    client.force_login(member(Role.OFFICER))
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    for path in ("/api/v1/documents/{id}/pdf/", "/api/v1/documents/{id}/void/",
                 "/api/v1/documents/supervision-notice/"):
        assert path.encode() in schema.content
