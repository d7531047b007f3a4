"""The complaint pages: the ledger (filters, keyword, Excel, import), an entry's steps,
the channels, the assistance requests, the API and the dashboard panel."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from complaints import services
from complaints.models import (AssistanceKind, AssistanceRequest, AssistanceStatus, Channel,
                               Complaint, ComplaintKind, ComplaintStatus as S)
from core.testing import assert_audited
from deadlines.models import Deadline, DeadlineState

from .conftest import COMPLAINANT, PHONE, PNG

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def xlsx_rows(response) -> list[tuple]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(io.BytesIO(body)).active.values)


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_m3_2_the_ledger_filters_searches_and_exports_what_it_shows(district, client):
    hotline = district.register(channel=Channel.HOTLINE, hotline_order="BDH2026-77", matter="烧烤油烟扰民")
    report = district.register(kind=ComplaintKind.REPORT, matter="加油站计量作弊")
    district.register(unit=district.urban, actor=district.urban_officer, matter="渣土车遗撒")
    client.force_login(district.supervisor)
    url = reverse("complaints:list")
    page = text(client.get(url))
    assert hotline.number in page and report.number in page
    for params, shown, hidden in (
            ({"channel": Channel.HOTLINE}, hotline.number, report.number),
            ({"kind": ComplaintKind.REPORT}, report.number, hotline.number),
            ({"q": "BDH2026-77"}, hotline.number, report.number),
            ({"q": "计量"}, report.number, hotline.number),
            ({"unit": district.urban.pk}, "北城管投", hotline.number),
            ({"status": S.ACCEPTED}, "没有符合条件的记录", hotline.number),
            ({"since": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}, "没有符合条件", report.number)):
        body = text(client.get(url, params))
        assert shown in body and hidden not in body, params
    rows = xlsx_rows(client.get(url, {"channel": Channel.HOTLINE, "export": "xlsx"}))
    assert len(rows) == 2 and rows[1][0] == hotline.number and rows[1][3] == "BDH2026-77"
    assert rows[1][6] == COMPLAINANT and rows[1][8] == PHONE  # the bureau sees who
    assert all(isinstance(rows[1][i], str) for i in (0, 3, 8))  # numbers and phones stay text
    unreadable = client.get(url, {"since": "not-a-date"})
    assert hotline.number not in text(unreadable)
    assert len(xlsx_rows(client.get(url, {"since": "not-a-date", "export": "xlsx"}))) == 1
    # A unit sees its own ledger only.
    client.force_login(district.urban_officer)
    assert hotline.number not in text(client.get(url)) and "北城管投" in text(client.get(url))


def test_m3_2_the_ledger_pages_by_key_in_its_order_with_the_overdue_mark(district, client, monkeypatch):
    """The ledger reads one window of keys and the page's rows by key (issue 17,
    Performance): newest first, every entry once, the overdue ones marked, past the window
    the count reads 超过, and the queries do not depend on the page size."""
    from cases.selectors import CasePaginator
    from complaints import views

    entries = [district.register(received_at=timezone.now() - dt.timedelta(hours=n + 1), matter=f"事项{n}")
               for n in range(7)]
    late = entries[4]
    Deadline.objects.filter(target_id=str(late.pk), rule="complaint_acceptance").update(state=DeadlineState.OVERDUE)
    monkeypatch.setattr(views.ComplaintList, "page_size", 3)
    monkeypatch.setattr(CasePaginator, "LOOK_AHEAD_PAGES", 2)
    client.force_login(district.officer)
    url = reverse("complaints:list")
    listed, marks = [], {}
    for number in (1, 2, 3):
        response = client.get(url, {"page": number})
        listed += [row["cells"][0] for row in response.context["rows"]]
        marks |= {row["cells"][0]: row["cells"][-1] for row in response.context["rows"]}
    assert listed == [e.number for e in entries]
    assert marks[late.number] == "已登记（已逾期）" and marks[entries[3].number] == "已登记"
    assert "超过 6 条" in text(client.get(url)) and "第 3 / 3 页，共 7 条" in text(client.get(url, {"page": 3}))
    assert [row["cells"][0] for row in client.get(url, {"page": 9}).context["rows"]] == [entries[6].number]

    def queries(size: int) -> int:
        monkeypatch.setattr(views.ComplaintList, "page_size", size)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url, {"page": 2})
        return len(ctx.captured_queries)

    assert queries(2) == queries(3)


def test_m3_2_the_registration_form_keeps_what_was_typed_on_error(district, client):
    client.force_login(district.officer)
    data = {"unit": district.market.pk, "kind": ComplaintKind.COMPLAINT, "channel": Channel.HOTLINE,
            "received_at": local(timezone.now()), "complainant_name": "韩立",
            "complainant_phone": "13700001111", "matter": "商户占道经营"}
    refused = client.post(reverse("complaints:new"), data)
    assert refused.status_code == 200 and "工单号" in text(refused) and "商户占道经营" in text(refused)
    done = client.post(reverse("complaints:new"), {**data, "hotline_order": "BDH-1",
                                                   "files": SimpleUploadedFile("照片.png", PNG, "image/png")})
    complaint = Complaint.objects.get()
    assert done.status_code == 302 and done["Location"] == complaint.get_absolute_url()
    assert complaint.files.count() == 1 and complaint.hotline_order == "BDH-1"
    client.force_login(district.stranger)  # another unit's officer: not in its choices
    assert "有效" in text(client.post(reverse("complaints:new"), {**data, "hotline_order": "x"}))
    assert Complaint.objects.count() == 1


def test_m3_2_the_entry_page_says_who_acts_next_and_takes_each_step(district, client):
    complaint = district.register()
    client.force_login(district.supervisor)
    page = text(client.get(complaint.get_absolute_url()))
    assert "待本单位" not in page and "待北戴河区市场监督管理局" in page and "决定是否受理投诉举报" in page
    client.force_login(district.officer)
    page = text(client.get(complaint.get_absolute_url()))
    assert 'value="accepted"' in page and "转办" in page and COMPLAINANT in page
    step = reverse("complaints:transition", args=[complaint.pk])
    assert client.get(step).status_code == 405
    client.post(step, {"target": S.ACCEPTED})
    client.post(step, {"target": S.INVESTIGATING})
    client.post(step, {"target": S.CONCLUDED, "note": "已责令整改。"})
    answer = reverse("complaints:answer", args=[complaint.pk])
    assert "已责令整改" in text(client.get(answer))  # the result offered as the answer
    refused = client.post(answer, {"method": "phone", "answered_at": local(timezone.now() + dt.timedelta(days=2)),
                                   "answer": "已整改"})
    assert "不能晚于现在" in text(refused)
    client.post(answer, {"method": "phone", "answered_at": local(timezone.now()), "answer": "已整改完毕。"})
    client.post(reverse("complaints:archive", args=[complaint.pk]), {"satisfaction": "basic"})
    complaint.refresh_from_db()
    assert complaint.status == S.ARCHIVED and complaint.answer == "已整改完毕。"
    page = text(client.get(complaint.get_absolute_url()))
    assert "基本满意" in page and "答复投诉举报人" in page  # its deadlines box


def test_m15_2_transfer_form_hands_it_on_and_the_pages_link_both_ways(district, client):
    complaint = district.register(unit=district.urban, actor=district.urban_officer)
    client.force_login(district.urban_officer)
    url = reverse("complaints:transfer", args=[complaint.pk])
    assert client.post(url, {"to": district.urban.pk, "told_at": local(timezone.now())}).status_code == 200
    client.post(url, {"to": district.township.pk, "told_at": local(timezone.now()), "note": "属乡镇管辖"})
    complaint.refresh_from_db()
    successor = complaint.successor
    page = text(client.get(complaint.get_absolute_url()))
    assert successor.number in page and COMPLAINANT not in page  # handed on: no longer theirs to see
    client.force_login(district.town_officer)
    page = text(client.get(successor.get_absolute_url()))
    assert complaint.number in page and COMPLAINANT in page


def test_m3_2_the_head_extends_the_handling_period_once_on_its_form(district, client):
    complaint = district.register()
    services.complaint_transition(actor=district.officer, complaint=complaint, target=S.ACCEPTED)
    url = reverse("complaints:extend", args=[complaint.pk])
    client.force_login(district.officer)
    assert client.get(url).status_code == 403
    client.force_login(district.head)
    new_due = (timezone.localdate() + dt.timedelta(days=80)).isoformat()
    assert client.post(url, {"new_due": new_due, "reason": "需检定"}).status_code == 302
    assert client.get(url).status_code == 403  # once only


def _sheet(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["类别", "来源渠道", "12345工单号", "收到时间", "投诉举报人", "联系电话", "投诉举报事项",
                  "状态", "办理结果", "办结时间", "答复方式", "答复时间", "被投诉举报单位"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("台账.xlsx", out.getvalue())


def test_m3_2_import_takes_all_rows_or_none_and_names_row_column_and_why(district, client):
    client.force_login(district.head)
    url = reverse("complaints:import")
    good = ["投诉", "电话", "", "2026-01-05 09:30", "甲", "139", "占道", "已登记", "", "", "", "", ""]
    bad = [["举报", "12345热线", "", "2026-01-06", "乙", "138", "油烟", "已登记", "", "", "", "", ""],
           ["投诉", "传真", "", "某天", "丙", "137", "", "已答复", "", "", "", "", "不存在的局"]]
    refused = client.post(url, {"unit": district.market.pk, "file": _sheet([good, *bad])})
    body = text(refused)
    assert Complaint.objects.count() == 0
    for expected in ("第3行", "12345工单号", "第4行", "来源渠道", "“传真”不是可选的值", "收到时间",
                     "投诉举报事项", "不能为空", "办结时间", "被投诉举报单位", "没有名为“不存在的局”的单位"):
        assert expected in body, expected
    done_row = ["举报", "信函", "", "2026-02-01", "丁", "136", "虚假宣传", "已答复", "已立案", "2026-02-20",
                "电话告知", "2026-02-21", "北戴河区城市管理综合行政执法局"]
    with assert_audited("complaints.complaint.import"):
        done = client.post(url, {"unit": district.market.pk, "file": _sheet([good, done_row])})
    assert done.status_code == 302 and "已导入 2 行" in text(client.get(done["Location"]))
    first, second = Complaint.objects.order_by("sequence")
    assert (first.sequence, second.sequence) == (1, 2) and second.status == S.ANSWERED
    assert second.subject_org == district.urban
    assert Deadline.objects.filter(target_id=str(first.pk), rule="complaint_acceptance").exists()
    assert not Deadline.objects.filter(target_id=str(second.pk)).exists()
    not_xlsx = client.post(url, {"unit": district.market.pk, "file": SimpleUploadedFile("a.xlsx", b"nope")})
    assert "无法读取该文件" in text(not_xlsx)


def test_m3_2_a_wrong_row_after_written_batches_rolls_the_whole_import_back(district, monkeypatch):
    """The sheet is read once and written in batches while it is checked: a wrong row
    after batches were written leaves no entry, time limit, event or number behind; a
    right sheet then numbers from 1, each open entry's time limit from its own date."""
    from complaints import imports
    from core.models import Event
    from deadlines.services import deadline_open
    from documents.models import DocumentCounter

    monkeypatch.setattr(imports, "BATCH", 1)
    rows = [["投诉", "电话", "", f"2026-01-0{n} 09:30", f"甲{n}", "139", f"占道{n}", "已登记", "", "", "", "", ""]
            for n in (5, 6, 7)]
    wrong = ["投诉", "传真", "", "2026-01-08", "乙", "138", "油烟", "已登记", "", "", "", "", ""]
    events = Event.objects.count()
    with pytest.raises(imports.ImportRefused) as refused:
        imports.complaint_import(actor=district.head, unit=district.market, fileobj=_sheet([*rows, wrong]))
    assert [str(p) for p in refused.value.problems] == ["第5行“来源渠道”列：“传真”不是可选的值（电话、信函、来访、投诉举报信箱、单位网站、12345热线、12345）"]
    assert not Complaint.objects.exists() and not Deadline.objects.exists()
    assert Event.objects.count() == events and not DocumentCounter.objects.filter(last_sequence__gt=0).exists()
    assert imports.complaint_import(actor=district.head, unit=district.market, fileobj=_sheet(rows)) == 3
    entries = list(Complaint.objects.order_by("sequence"))
    assert [(c.sequence, c.matter) for c in entries] == [(1, "占道5"), (2, "占道6"), (3, "占道7")]
    opened = {d.target_id: d for d in Deadline.objects.filter(rule="complaint_acceptance")}
    for entry in entries:
        alone = deadline_open(target=entry, rule="complaint_acceptance", responsible=district.market,
                              start=entry.received_at, actor=district.head)
        assert (opened[str(entry.pk)].start, opened[str(entry.pk)].due) == (alone.start, alone.due)


def test_m3_1_channels_list_shows_the_bureau_the_units_without_one(district, client):
    client.force_login(district.head)
    assert client.post(reverse("complaints:channel_edit"), {
        "organization": district.market.pk, "handling_office": "法制科"}).status_code == 200
    client.post(reverse("complaints:channel_edit"), {
        "organization": district.market.pk, "handling_office": "法制科", "phone": "0335-4041234"})
    page = text(client.get(reverse("complaints:channels")))
    assert "0335-4041234" in page and "尚未公布" not in page
    client.force_login(district.supervisor)
    page = text(client.get(reverse("complaints:channels")))
    missing = page.split('id="missing-channels"', 1)[1].split("</div></div>", 1)[0]
    assert district.urban.name in missing and district.market.name not in missing


def test_m15_5_assistance_pages_request_and_reply(district, client):
    client.force_login(district.town_head)
    url = reverse("complaints:assistance_new")
    data = {"requester": district.township.pk, "addressee": district.market.pk, "kind": AssistanceKind.TECHNICAL,
            "subject": "危房鉴定", "content": "请派员鉴定", "reply_due": timezone.localdate().isoformat()}
    refused = client.post(url, data)
    assert "书面函件" in text(refused) and "危房鉴定" in text(refused)
    client.post(url, {**data, "letter": SimpleUploadedFile("函.png", PNG, "image/png")})
    request = AssistanceRequest.objects.get()
    assert client.get(reverse("complaints:assistance_reply", args=[request.pk])).status_code == 403
    client.force_login(district.officer)
    assert "危房鉴定" in text(client.get(reverse("complaints:assistance_list"), {"direction": "received"}))
    client.post(reverse("complaints:assistance_reply", args=[request.pk]), {
        "reply": "已派员鉴定。", "files": SimpleUploadedFile("鉴定.png", PNG, "image/png")})
    request.refresh_from_db()
    assert request.status == AssistanceStatus.REPLIED
    assert Deadline.objects.get(rule="assistance_reply").state == DeadlineState.MET
    rows = xlsx_rows(client.get(reverse("complaints:assistance_list"), {"export": "xlsx"}))
    assert rows[1][0] == "危房鉴定" and rows[1][7] == "已派员鉴定。"


def test_m3_api_is_scoped_like_the_pages_and_hides_the_complainant(district):
    mine = district.register()
    district.register(unit=district.urban, actor=district.urban_officer)
    api = APIClient()
    api.force_authenticate(district.officer)
    rows = api.get("/api/v1/complaints/").json()["results"]
    assert [r["number"] for r in rows] == [mine.number] and rows[0]["complainant_phone"] == PHONE
    assert api.get("/api/v1/complaints/", {"search": COMPLAINANT}).json()["results"] == []
    api.force_authenticate(district.stranger)
    assert api.get("/api/v1/complaints/").json()["results"] == []
    services.channel_save(actor=district.head, organization=district.market, handling_office="法制科",
                          phone="0335-1")
    assert api.get("/api/v1/complaint-channels/").json()["results"][0]["phone"] == "0335-1"


def test_m3_3_dashboard_panel_in_two_statements_each_figure_linking_to_its_rows(district, client):
    from dashboard.registry import providers

    for _ in range(3):
        district.register()
    district.register(unit=district.urban, actor=district.urban_officer, channel=Channel.VISIT)
    client.force_login(district.supervisor)
    provider = next(p for p in providers() if p.key == "complaints")
    response = client.get(reverse("dashboard:index"))
    assert 'id="panel-complaints"' in text(response)
    scope = response.context["scope"]
    with CaptureQueriesContext(connection) as queries:
        panel = provider.build(scope)
    assert len(queries) <= 2
    assert panel.metrics[0].figure.value == 4
    link = panel.metrics[0].figure.url
    assert link.startswith(reverse("complaints:list"))
    listed = client.get(link)
    assert text(listed).count("投〔") == 4
