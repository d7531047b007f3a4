"""The document pages on the shared layer: list filters and export, the notice form's
one-time key and its limits, headings kept with their text, no 号号 in letters."""
from __future__ import annotations

import io
import re
import subprocess
import uuid

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import pages
from core.models import Role
from core.testing import OrganizationFactory, justice_bureau, member
from deadlines.models import Notification
from documents import services
from documents.models import Document
from documents.supervision import NOTICE_LIMITS
from documents.templatetags.documents_tags import numbered

pytestmark = pytest.mark.django_db


def _form_data(department, **overrides):
    data = {"issuer": justice_bureau().pk, "addressee": department.pk, "title": "",
            "facts": "案卷评查发现的问题。", "legal_basis": "《行政执法监督条例》。",
            "rectification": "逐件复查。", "deadline": "2030-06-30",
            "report_method": "书面报告。", "contact": "", "attachments": ""}
    return {**data, **overrides}


def test_a_retried_notice_submit_issues_one_notice_under_one_number(client, bureau_supervisor,
                                                                    department):
    """M7.5: the same one-time key posted twice (a retried slow submit) issues once."""
    client.force_login(bureau_supervisor)
    key = str(uuid.uuid4())
    url = reverse("documents:supervision_notice_new")
    first = client.post(url, {**_form_data(department), pages.SUBMISSION_FIELD: key})
    document = Document.objects.get()
    assert first["Location"] == document.get_absolute_url()
    again = client.post(url, {**_form_data(department), pages.SUBMISSION_FIELD: key}, follow=True)
    assert Document.objects.count() == 1
    assert "该表单已经提交过，未重复办理。" in again.content.decode()
    assert again.redirect_chain[-1][0] == document.get_absolute_url()


def test_the_notice_form_page_carries_a_one_time_key(client, bureau_supervisor):
    client.force_login(bureau_supervisor)
    body = client.get(reverse("documents:supervision_notice_new")).content.decode()
    assert f'name="{pages.SUBMISSION_FIELD}"' in body


def test_notice_text_is_capped_in_form_service_and_api(client, bureau_supervisor, department,
                                                       issue_notice):
    """A notice is a few pages: 330,000 characters are refused everywhere, not rendered."""
    too_long = "问" * (NOTICE_LIMITS["facts"] + 1)
    client.force_login(bureau_supervisor)
    page = client.post(reverse("documents:supervision_notice_new"),
                       _form_data(department, facts=too_long)).content.decode()
    assert f"不超过 {NOTICE_LIMITS['facts']} 字符" in page
    with pytest.raises(services.ValidationError) as refused:
        issue_notice(facts=too_long)
    assert "检查发现的问题不能超过5000字" in str(refused.value)
    response = client.post("/api/v1/documents/supervision-notice/", {
        **_form_data(department, facts=too_long)}, content_type="application/json")
    assert response.status_code == 400 and "facts" in response.json()
    assert not Document.objects.exists()


def test_list_shows_an_unreadable_filter_and_no_rows(client, issue_notice, bureau_supervisor):
    document = issue_notice()
    client.force_login(bureau_supervisor)
    page = client.get(reverse("documents:list"), {"year": "今年"}).content.decode()
    assert "筛选条件有误" in page and document.number not in page
    voided = client.get(reverse("documents:list"), {"status": "voided"}).content.decode()
    assert document.number not in voided
    assert document.number in client.get(reverse("documents:list"),
                                         {"status": "issued"}).content.decode()


def test_list_exports_its_filtered_rows_at_its_own_address(client, issue_notice, department_head):
    first = issue_notice(title="关于案卷评查问题的监督通知书")
    issue_notice(title="关于执法公示问题的监督通知书")
    issue_notice(addressee=OrganizationFactory())  # not the head's unit: not in the export
    client.force_login(department_head)
    page = client.get(reverse("documents:list"), {"q": "案卷"}).content.decode()
    assert 'href="?q=%E6%A1%88%E5%8D%B7&amp;export=xlsx"' in page
    response = client.get(reverse("documents:list"), {"q": "案卷", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("发文字号", "版本", "标题")
    assert [r[0] for r in rows[1:]] == [first.number]


def test_the_notification_of_a_notice_gives_the_due_as_24_of_the_day(issue_notice, notice_fields,
                                                                     department_head):
    document = issue_notice()
    day = notice_fields["deadline"]
    body = Notification.objects.get(recipient=department_head, target_id=str(document.pk)).body
    assert f"{day.year}年{day.month}月{day.day}日24时前完成整改" in body


def test_a_number_already_ending_in_hao_gets_no_second_hao():
    assert numbered("北市监罚〔2026〕15号") == "北市监罚〔2026〕15号"
    assert numbered("2026-015") == "2026-015号"


def test_no_document_template_appends_hao_to_a_number():
    """No "〔2026〕1号号": every document kind cites a number through ``numbered``."""
    from django.template.loader import get_template

    from documents import kinds

    for kind in kinds.all_kinds():
        source = get_template(kind.template).template.source
        assert not re.search(r"number\s*}}号", source), kind.template


_CN = "一二三四五六七八九十"


def _cn(i: int) -> str:
    return _CN[i - 1] if i <= 10 else f"十{_CN[i - 11]}" if i < 20 else f"二十{_CN[i - 21] if i > 20 else ''}"


def test_a_heading_is_never_the_last_line_of_a_page(issue_notice, tmp_path):
    """GB/T 9704 layout: a heading keeps with its paragraph (break-after: avoid). These
    facts — headings of level （一） over paragraphs of one to three lines — put three
    headings on a page's last line without the rule; every page is checked."""
    facts = []
    for i in range(1, 25):
        facts += [f"（{_cn(i)}）第{i}类问题", "案卷中的调查询问笔录仅有一名执法人员签名，" * (1 + i % 3)]
    path = tmp_path / "long.pdf"
    path.write_bytes(issue_notice(facts="\n".join(facts)).file.open("rb").read())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    last_lines = []
    for page_text in text.split("\f"):
        lines = [re.sub(r"\s+", "", line) for line in page_text.splitlines()]
        lines = [line for line in lines if line and not re.fullmatch(r"—\d+—", line)]
        if lines:
            last_lines.append(lines[-1])
    assert len(last_lines) >= 5
    headings = [line for line in last_lines
                if re.fullmatch(r"([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)[^。，]*", line)]
    assert headings == []
