"""The case list as its users read it (issue 5, part 1: a list with filters, search and
pagination), after the page was made cheap enough for part 5's target: rows rendered
from values prepared by ``selectors.case_rows``, the filter bar rendered in Python and
the department choices read with one plain query."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.exports import case_export_queryset
from cases.models import CaseStatus, EnforcementCase
from cases.selectors import case_rows
from cases.testing import make_case, party_data
from core.testing import OrganizationFactory, justice_bureau, supervisor

pytestmark = pytest.mark.django_db


def _row(body: str, number: str) -> str:
    """The table line that links to the case numbered ``number``."""
    match = re.search(r"<tr><td><a href=\"[^\"]*\">" + re.escape(number) + r"</a>.*?</tr>", body)
    assert match, f"{number} is not in the list"
    return match.group(0)


def test_row_shows_every_cell_as_before(client):
    dept = OrganizationFactory(short_name="北市监")
    case = make_case(dept, act_type="inspection", field="food_drug", is_major_decision=True,
                     filed_on=dt.date(2026, 3, 2),
                     discovered_at=timezone.make_aware(dt.datetime(2026, 3, 1, 9)),
                     parties=[party_data(name="赵六"), party_data(name="钱七")])
    EnforcementCase.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED,
                                                      closed_on=dt.date(2026, 4, 1))
    bare = make_case(dept, parties=[], number="北市监罚〔2026〕2号")
    client.force_login(supervisor())
    body = client.get(reverse("cases:list")).content.decode()

    row = _row(body, case.number)
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' in row
    assert "重大" in row
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)[1:]
    assert cells == ["北市监", "行政检查", "食品药品", "赵六、钱七", "2026-03-02", "结案", "2026-04-01"]

    row = _row(body, bare.number)
    assert "重大" not in row
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)[1:]
    assert cells[3] == "—"  # no party
    assert cells[5] == "立案" and cells[6] == "—"  # not closed


def test_row_text_is_escaped(client):
    case = make_case(parties=[party_data(name="<b>某公司</b>")], number="测<i>1</i>号")
    client.force_login(supervisor())
    body = client.get(reverse("cases:list")).content.decode()
    assert "&lt;b&gt;某公司&lt;/b&gt;" in body and "<b>某公司</b>" not in body
    assert "测&lt;i&gt;1&lt;/i&gt;号" in body
    assert case_rows([case.pk])[0].parties == "<b>某公司</b>"  # escaped on the page, not in the data


def test_rows_are_read_in_one_query_with_every_party():
    dept = OrganizationFactory()
    cases = [make_case(dept, parties=[party_data(), party_data()]) for _ in range(4)]
    pks = [c.pk for c in reversed(cases)]
    with CaptureQueriesContext(connection) as ctx:
        rows = case_rows(pks)
    assert len(ctx.captured_queries) == 1
    assert sorted(r.pk for r in rows) == sorted(pks)
    assert all(r.parties.count("、") == 1 for r in rows)


def test_department_filter_offers_active_departments_and_filters_by_id(client):
    dept = OrganizationFactory(name="甲执法局")
    other = OrganizationFactory(name="乙执法局")
    closed = OrganizationFactory(name="丙执法局", is_active=False)
    bureau = justice_bureau()
    mine, theirs = make_case(dept), make_case(other)
    client.force_login(supervisor())
    body = client.get(reverse("cases:list"), {"department": dept.pk}).content.decode()
    assert f'<option value="{dept.pk}" selected>甲执法局</option>' in body
    assert f'<option value="{other.pk}">乙执法局</option>' in body
    assert closed.name not in body
    assert '<option value="">全部</option>' in body
    assert f'<option value="{bureau.pk}">' not in body
    assert mine.number in body and theirs.number not in body


def test_unknown_department_is_an_error_on_the_field_and_shows_no_rows(client):
    case = make_case()
    client.force_login(supervisor())
    body = client.get(reverse("cases:list"), {"department": "999999"}).content.decode()
    assert '<div class="text-danger small">选择一个有效的选项： 该选择不在可用的选项中。</div>' in body
    assert case.number not in body  # never more rows than the filter asked for


def test_filter_bar_keeps_what_was_typed(client):
    client.force_login(supervisor())
    body = client.get(reverse("cases:list"), {
        "q": '"<赵>', "status": "closed", "filed_from": "2026-01-05", "overdue": "on"}).content.decode()
    assert 'value="&quot;&lt;赵&gt;"' in body
    assert '<option value="closed" selected>结案</option>' in body
    assert 'name="filed_from" value="2026-01-05"' in body
    assert re.search(r'<input type="checkbox" name="overdue" [^>]*checked', body)
    assert '<label class="form-check-label small" for="id_overdue">仅看有逾期期限的案件</label>' in body


def test_export_filters_by_the_same_department_id():
    dept, other = OrganizationFactory(), OrganizationFactory()
    mine, theirs = make_case(dept), make_case(other)
    cases = list(case_export_queryset(supervisor(), {"department": str(dept.pk)}))
    assert mine in cases and theirs not in cases
    assert not case_export_queryset(supervisor(), {"department": "999999"}).exists()
