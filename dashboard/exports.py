"""Excel export of the dashboard's tables (the figures on the page, one sheet per table),
written with openpyxl's write-only workbook like core.exports."""
from __future__ import annotations

import re
import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.audit import audit_record
from core.exports import XLSX, cell_value
from core.models import User

from .deadline_figures import LIGHT_LABELS
from .registry import Panel, Scope, Table

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(caption: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("-", caption)[:28] or "表"
    title, n = base, 2
    while title in used:
        title, n = f"{base[:26]}{n}", n + 1
    used.add(title)
    return title


def _write_table(workbook: Workbook, table: Table, used: set[str], heading: str) -> None:
    sheet = workbook.create_sheet(title=_sheet_title(table.caption, used))
    bold = Font(bold=True)

    def header(values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=cell_value(value))
            cell.font = bold
            cells.append(cell)
        return cells

    sheet.append([cell_value(heading)])
    if table.groups:
        sheet.append(header([""] + [label for label, span in table.groups
                                    for _ in range(span)]))
    with_light = any(row.light for row in table.rows)
    sheet.append(header([table.row_header] + (["红黄绿灯"] if with_light else [])
                        + list(table.columns)))
    for row in table.rows:
        values = [row.label] + ([LIGHT_LABELS.get(row.light, "")] if with_light else [])
        for figure in row.cells:
            if figure.value is None:
                values.append("")
            elif figure.percent:
                values.append(round(figure.value * 100, 1))
            else:
                values.append(figure.value)
        sheet.append([cell_value(v) for v in values])


def dashboard_xlsx_response(user: User, scope: Scope, panels: list[Panel]) -> FileResponse:
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    where = "全区" if scope.org_ids is None else "、".join(o.name for o in scope.organizations)
    heading = f"{where} · {scope.period.label}（按期率单位：%）"
    for panel in panels:
        for table in panel.tables:
            _write_table(workbook, table, used, f"{panel.title} · {table.caption} · {heading}")
    audit_record(actor=user, verb="export.download",
                 note=f"监督看板：{where}，{scope.period.label}")
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(buffer)
    buffer.seek(0)
    response = FileResponse(buffer, content_type=XLSX)
    name = f"监督看板-{scope.period.label}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(name)}"
    return response
