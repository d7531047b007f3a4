"""The supervision dashboard (issue 7): figures equal the hand-counted fixtures, every
number links to its list, a department sees only itself, the number of SQL queries does
not depend on the data."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core import navigation, tallies
from core.models import Role
from core.testing import member

from . import fixtures as fx

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    with time_machine.travel(fx.NOW, tick=False):
        d = fx.build_district()
        fx.add_transfers(d)
        yield d


def _get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("dashboard:index"), params)


def _panel(response, key):
    return next(p for p in response.context["panels"] if p.key == key)


def _table(panel, key):
    return next(t for t in panel.tables if t.key == key)


def _rows(table):
    """label → ([cell texts], light)"""
    return {r.label: ([c.text for c in r.cells], r.light) for r in table.rows}


def _query(url):
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def test_deadline_figures_per_organisation_equal_hand_count(client, district):
    """Open, due within one working day, overdue and on-time rate per organisation, and
    the red/yellow/green light (red = overdue, yellow = due within one working day)."""
    response = _get(client, district.boss)
    assert response.status_code == 200
    rows = _rows(_table(_panel(response, "deadlines"), "deadline-orgs"))
    assert rows["甲局"] == (["2", "1", "2", "33.3%"], "red")
    assert rows["乙局"] == (["2", "1", "0", "100.0%"], "yellow")
    assert rows["丙镇"] == (["0", "0", "0", "—"], "green")


def test_deadline_figures_per_rule_and_matrix(client, district):
    response = _get(client, district.boss)
    panel = _panel(response, "deadlines")
    rules = _rows(_table(panel, "deadline-rules"))
    assert rules["乡镇与区直部门案件移送"][0] == ["2", "1", "1", "33.3%"]
    # 乙's met-on-time in March; 甲's overdue referral is due in February.
    assert rules["违纪线索移送"][0] == ["2", "1", "1", "100.0%"]
    matrix = _table(panel, "deadline-matrix")
    assert [g[0] for g in matrix.groups] == ["乡镇与区直部门案件移送", "违纪线索移送"]
    assert _rows(matrix)["甲局"][0] == ["2", "1", "33.3%", "0", "1", "—"]
    # The page draws the matrix from its data (dashboard.js): each drawn cell reads and
    # links as the server's figure does — text as shown, link = group URL & row & column.
    data = json.loads(re.search(r'<script id="grid-deadline-matrix" type="application/json">(.*?)</script>',
                                response.content.decode()).group(1))
    n = len(data["kinds"])
    for (label, url, light, param, values), row in zip(data["rows"], matrix.rows, strict=True):
        assert (label, url, light) == (row.label, row.url, row.light)
        for i, (value, figure) in enumerate(zip(values, row.cells, strict=True)):
            assert str(value) == figure.text
            drawn = f'{data["groups"][i // n]}&{param}&{data["kinds"][i % n]}' if value != "—" else ""
            assert drawn == (figure.url if figure.value is not None else "")
    metrics = {m.label: m.figure.text for m in panel.metrics}
    assert metrics["进行中的期限"] == "4"
    assert metrics["已逾期"] == "2"
    assert metrics["期间按期率"] == "50.0%"  # on time 2 of (2 + 1 late + 1 overdue)
    assert (metrics["红灯单位"], metrics["黄灯单位"]) == ("1", "1")


def test_every_deadline_number_links_to_its_filtered_list(client, district):
    response = _get(client, district.boss)
    row = next(r for r in _table(_panel(response, "deadlines"), "deadline-orgs").rows
               if r.label == "甲局")
    open_, soon, overdue, rate = row.cells
    assert urlparse(overdue.url).path == reverse("deadlines:list")
    assert _query(overdue.url) == {"state": "overdue", "organization": str(district.a.pk)}
    assert _query(soon.url) == {"bucket": "soon", "organization": str(district.a.pk)}
    assert _query(rate.url) == {"organization": str(district.a.pk), "due_from": "2026-03-01",
                                "due_to": "2026-03-31"}
    assert f'href="{overdue.url.replace("&", "&amp;")}"' in response.content.decode()
    # The organisation × mechanism cells link to the list narrowed to both.
    cell_open, cell_overdue, cell_rate = _table(_panel(response, "deadlines"), "deadline-matrix") \
        .rows[0].cells[:3]
    unit = _table(_panel(response, "deadlines"), "deadline-matrix").rows[0]
    org_pk = next(o.pk for o in (district.a, district.b, district.c) if o.name == unit.label)
    assert _query(cell_open.url) == {"rule": "township_transfer", "organization": str(org_pk),
                                     "state": "open"}
    assert _query(cell_overdue.url) == {"rule": "township_transfer", "organization": str(org_pk),
                                        "state": "overdue"}
    assert _query(cell_rate.url) == {"rule": "township_transfer", "organization": str(org_pk),
                                     "due_from": "2026-03-01", "due_to": "2026-03-31"}


def test_period_changes_the_rate_not_the_live_counts(client, district):
    """February: 甲's late-met and February-overdue rows are judged; open counts stay."""
    response = _get(client, district.boss, period="month", year=2026, month=2)
    rows = _rows(_table(_panel(response, "deadlines"), "deadline-orgs"))
    assert rows["甲局"] == (["2", "1", "2", "0.0%"], "red")
    assert response.context["scope"].period.label == "2026年2月"


def test_cases_per_month_by_act_type_and_field(client, district):
    response = _get(client, district.boss, period="quarter", year=2026, quarter=1)
    panel = _panel(response, "cases")
    by_act = _table(panel, "cases-act-type")
    assert list(by_act.columns) == ["行政许可", "行政处罚", "合计"]
    assert _rows(by_act) == {"2026年01月": (["0", "2", "2"], ""),
                             "2026年02月": (["1", "0", "1"], ""),
                             "2026年03月": (["0", "1", "1"], "")}
    by_field = _rows(_table(panel, "cases-field"))
    assert by_field["2026年01月"][0] == ["0", "0", "2", "2"]  # 食品药品, 生态环境, 市场监管, 合计
    depts = _rows(_table(panel, "cases-departments"))
    assert depts["甲局"][0] == ["3", "1", "0"]
    january_penalty = by_act.rows[0].cells[1]
    assert urlparse(january_penalty.url).path == reverse("cases:list")
    assert _query(january_penalty.url) == {"act_type": "penalty", "filed_from": "2026-01-01",
                                           "filed_to": "2026-01-31"}


def test_transfers_counts_and_outcomes(client, district):
    response = _get(client, district.boss)
    panel = _panel(response, "transfers")
    outcomes = _table(panel, "transfers-outcomes")
    assert list(outcomes.columns) == ["已移送", "已接收", "已退回", "合计"]
    rows = _rows(outcomes)
    assert rows["移送有管辖权的部门"][0] == ["1", "0", "1", "2"]
    assert rows["乡镇（街道）与区职能部门相互移送"][0] == ["0", "1", "0", "1"]
    orgs = _rows(_table(panel, "transfers-organizations"))
    assert orgs["甲局"][0] == ["2", "1", "1", "0"]
    assert orgs["乙局"][0] == ["0", "0", "2", "1"]
    total = {m.label: m.figure for m in panel.metrics}["移送总数"]
    assert total.text == "3"
    assert _query(total.url) == {"since": "2026-03-01", "until": "2026-03-31"}


def test_department_sees_only_itself(client, district):
    """Every other user sees the same page scoped to their own organisation."""
    response = _get(client, district.officer_a)
    assert response.status_code == 200
    assert [o.name for o in response.context["scope"].organizations] == ["甲局"]
    panel = _panel(response, "deadlines")
    assert set(_rows(_table(panel, "deadline-orgs"))) == {"甲局"}
    assert {m.label: m.figure.text for m in panel.metrics}["进行中的期限"] == "2"
    html = response.content.decode()
    assert "乙局" not in html and "丙镇" not in html
    # Choosing another organisation is refused by the filter, not obeyed.
    response = _get(client, district.officer_a, org=district.b.pk)
    assert [o.name for o in response.context["scope"].organizations] == ["甲局"]
    assert "乙局" not in response.content.decode()


def test_justice_bureau_filters_one_organisation(client, district):
    response = _get(client, district.boss, org=district.b.pk)
    panel = _panel(response, "deadlines")
    assert set(_rows(_table(panel, "deadline-orgs"))) == {"乙局"}
    overdue = {m.label: m.figure for m in panel.metrics}["已逾期"]
    assert overdue.text == "0"
    assert _query(overdue.url)["organization"] == str(district.b.pk)


def test_attention_lists(client, district):
    """需关注: overdue by lateness (oldest first), unread escalations, provisional deadlines
    while 2027's calendar is not loaded."""
    response = _get(client, district.boss)
    blocks = {b.title: b for b in response.context["attention"]}
    overdue = blocks["逾期未办"]
    assert overdue.total.value == 2
    assert [d.rule for d in overdue.items] == ["discipline_referral", "township_transfer"]
    # Due 12:00 on 10 February and 5 March; now 10:00 on 10 March.
    assert [d.late for d in overdue.items] == ["27天22小时", "4天22小时"]
    assert "已逾期 27天22小时" in response.content.decode()
    assert [d.pk for d in blocks["督办无人签收"].items] == [district.escalated.pk]
    assert blocks["暂定期限"].total.value == 1
    assert [d.organization for d in overdue.items] == ["甲局", "甲局"]
    # A unit deactivated since is no longer offered in the filter, but its overdue
    # deadlines stay listed under its name.
    district.a.is_active = False
    district.a.save(update_fields=["is_active"])
    response = _get(client, district.boss)
    blocks = {b.title: b for b in response.context["attention"]}
    assert [d.organization for d in blocks["逾期未办"].items] == ["甲局", "甲局"]
    assert "甲局" not in [o.name for o in response.context["scope"].organizations]
    district.a.is_active = True
    district.a.save(update_fields=["is_active"])
    # The responsible unit reading its own notice is no acknowledgement by the bureau.
    fx.read_notice(district, district.officer_a)
    response = _get(client, district.boss)
    blocks = {b.title: b for b in response.context["attention"]}
    assert blocks["督办无人签收"].total.value == 1
    fx.read_notice(district, district.boss)
    response = _get(client, district.boss)
    blocks = {b.title: b for b in response.context["attention"]}
    assert blocks["督办无人签收"].total.value == 0


def test_attention_rows_link_to_the_record_behind_and_read_24_hours(client, district, monkeypatch):
    """Issue 14 part 3: a 需关注 row opens the record the deadline is kept on (its page from
    the target's type and id, no query per row), and its 期限 link the deadline itself;
    a due at midnight reads "…日24时", never the next day's 00:00."""
    from core import links
    from core.models import Organization

    monkeypatch.setitem(links._BUILDERS, Organization, lambda pk: f"/units/{pk}/")
    with time_machine.travel(fx.NOW, tick=False):
        midnight = fx.deadline(district.a, "township_transfer",
                               dt.datetime(2026, 3, 7, tzinfo=fx.SH), fx.S.OVERDUE)
        on_a_deadline = fx.deadline(district.a, "rectification", fx.at(3, 8), fx.S.OVERDUE,
                                    target=midnight)
        tallies.rebuild_all()
    response = _get(client, district.boss)
    items = {d.pk: d for d in {b.title: b for b in response.context["attention"]}["逾期未办"].items}
    row = items[midnight.pk]
    assert row.target_url == f"/units/{district.a.pk}/" and row.due == "2026年3月6日24时"
    assert items[on_a_deadline.pk].target_url == f"/deadlines/{midnight.pk}/"
    page = response.content.decode()
    assert f'<a href="/units/{district.a.pk}/"><strong>甲局</strong>' in page
    assert f'<a class="text-muted" href="/deadlines/{midnight.pk}/">期限</a>' in page
    assert "届满 2026年3月6日24时" in page


def test_query_count_does_not_depend_on_the_data(client, district):
    client.force_login(district.boss)
    url = reverse("dashboard:index")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    with time_machine.travel(fx.NOW, tick=False):
        for i in range(5):
            fx.deadline(district.c, "rectification", fx.at(3, 1 + i), fx.S.OVERDUE)
            fx.case(district.c, district.boss, f"丙-{i}", fx.NOW.date(), "inspection", "urban")
        fx.add_transfers(district)
        tallies.rebuild_all()  # rows written straight to the tables, as a bulk load
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert _rows(_table(_panel(response, "deadlines"), "deadline-orgs"))["丙镇"][1] == "red"
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.parametrize("params, label", [
    ({"period": "year", "year": 2025}, "2025年"),
    ({"period": "quarter", "year": 2026, "quarter": 4}, "2026年第4季度"),
    ({"period": "custom", "start": "2026-02-15", "end": "2026-03-05"}, "2026-02-15 至 2026-03-05"),
])
def test_period_picker(client, district, params, label):
    response = _get(client, district.boss, **params)
    assert response.context["scope"].period.label == label


def test_bad_custom_period_says_why_and_shows_this_month(client, district):
    response = _get(client, district.boss, period="custom", start="2026-03-05", end="2026-03-01")
    assert "截止日期不能早于起始日期。" in response.content.decode()
    assert response.context["scope"].period.label == "2026年3月"


def test_excel_export_of_the_tables(client, district):
    client.force_login(district.boss)
    response = client.get(reverse("dashboard:index"), {"export": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["各单位红黄绿灯与时限情况"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("单位", "红黄绿灯", "进行中", "一个工作日内到期", "已逾期", "按期率")
    assert ("甲局", "红灯", 2, 1, 2, 33.3) in rows
    assert "各单位立案情况" in book.sheetnames and "各单位移送情况" in book.sheetnames


def test_charts_are_drawn_from_local_echarts_and_readable_as_tables(client, district):
    html = _get(client, district.boss).content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in html
    assert 'data-chart="cases-act-type-chart"' in html
    # Each chart's figures as a table: its own under it, or one the page already shows
    # (no table printed twice).
    assert 'id="table-transfers-monthly"' in html and 'id="table-transfers-status-chart"' in html
    assert 'id="table-cases-act-type-chart"' not in html
    assert '图中数据见表<a href="#table-cases-act-type">「每月立案数（按行为类别）」</a>' in html
    assert '<a href="#table-deadline-rate-trend">' in html and '<a href="#table-deadline-orgs">' in html
    assert "cdn" not in html.lower()


def test_nav_entry_needs_the_capability(district):
    assert any(i["label"] == "监督看板" for i in navigation.items_for(district.boss))
    expert = member(Role.EXPERT)
    assert not any(i["label"] == "监督看板" for i in navigation.items_for(expert))


def test_expert_may_not_open_the_dashboard(client, district):
    expert = member(Role.EXPERT)
    client.force_login(expert)
    assert client.get(reverse("dashboard:index")).status_code == 403


def test_page_data_cannot_end_its_script_element():
    """The matrix and chart data are JSON inside <script>: a unit name holding "</script>"
    must neither end the element nor change the data (dashboard.registry.json_script)."""
    from dashboard.registry import json_script

    value = {"name": "</script><script>alert(1)</script> & <!--", "n": [1, None, 0.5]}
    html = json_script(value, "data")
    assert html.count("</script>") == 1 and html.endswith("</script>")
    assert "<script>alert" not in html and "<!--" not in html
    body = re.fullmatch(r'<script id="data" type="application/json">(.*)</script>', html).group(1)
    assert json.loads(body) == value


def test_the_calendar_is_read_once_per_page(client, district):
    """From November the base layout warns when next year's schedule is missing and 需关注
    lists provisional deadlines: both ask whether the year is loaded, one query a page
    (core.middleware.per_request); outside a request each call reads afresh."""
    from deadlines import calendar

    with time_machine.travel(fx.NOW.replace(month=11, day=20), tick=False):
        with CaptureQueriesContext(connection) as queries:
            html = _get(client, district.boss).content.decode()
        reads = [q["sql"] for q in queries.captured_queries if "deadlines_calendarday" in q["sql"]]
        assert len(reads) == 1
        assert "暂定期限" in html
        with CaptureQueriesContext(connection) as queries:
            calendar.year_loaded(2099), calendar.year_loaded(2099)
        assert len(queries) == 2


def test_link_set_builds_what_list_url_builds():
    """A row's links (registry.LinkSet) are list_url's, parameters in the same order; a
    list that does not exist gives no link."""
    from dashboard.registry import LinkSet, list_url

    links = LinkSet("deadlines:list", {"open": {"state": "open"}, "all": {}})
    assert links.urls(rule="township_transfer", organization=7) == {
        "open": list_url("deadlines:list", rule="township_transfer", organization=7, state="open"),
        "all": list_url("deadlines:list", rule="township_transfer", organization=7)}
    assert links.urls(organization="") == {"open": list_url("deadlines:list", state="open"),
                                           "all": list_url("deadlines:list")}
    assert LinkSet("no-such:list", {"open": {"state": "open"}}).urls(organization=7) == {"open": ""}


def test_city_level_authorities_and_the_expert_pool_are_no_rows_of_the_district(client, district):
    """The city-level authorities a criminal transfer is reported to (M4.3) and the expert
    pool carry no district duties: no light, no row, not offered in the unit filter."""
    city = fx.OrganizationFactory(name="秦皇岛市市场监督管理局", short_name="秦市监",
                                  kind=fx.OrgKind.HIGHER_AUTHORITY)
    pool = fx.OrganizationFactory(name="专家库", short_name="专家库", kind=fx.OrgKind.EXPERT_POOL)
    response = _get(client, district.boss)
    shown = [o.name for o in response.context["scope"].organizations]
    assert "甲局" in shown and city.name not in shown and pool.name not in shown
    assert city.name not in _rows(_table(_panel(response, "deadlines"), "deadline-orgs"))
    assert f'value="{city.pk}"' not in str(response.context["form"]["org"])
