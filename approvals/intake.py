"""How an approval decision is read, from the approval system's API body or one row of an
import file (M14.2): the fields, their Chinese names (the import's column headers and the
400's words), and one validation both paths share, so a malformed decision is refused in
the same words wherever it comes from."""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from django.core.exceptions import ValidationError

from .models import Decision


@dataclass(frozen=True)
class Column:
    key: str  # the API's field name
    label: str  # the import's header and the refusal's word
    required: bool
    kind: str = "text"  # text / date
    max_length: int = 0


COLUMNS: tuple[Column, ...] = (
    Column("number", "审批决定文号", True, max_length=60),
    Column("item_type", "审批事项类型", True, max_length=100),
    Column("item_name", "审批事项名称", True, max_length=200),
    Column("applicant", "申请人", True, max_length=200),
    Column("credit_code", "统一社会信用代码", False, max_length=18),
    Column("address", "经营（项目）地址", False, max_length=200),
    Column("decided_on", "决定日期", True, kind="date"),
    Column("valid_until", "有效期至", False, kind="date"),
    Column("content", "决定内容", False, max_length=2000),
)
BY_LABEL = {c.label: c for c in COLUMNS}
FIELDS = tuple(c.key for c in COLUMNS)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        try:  # 2026-04-09, the usual way, without strptime's cost over 100,000 rows
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def clean_decision(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The decision's fields from ``raw`` (keyed by API field name), or ValidationError
    naming each wrong field by its Chinese name and saying why."""
    if not isinstance(raw, Mapping):
        raise ValidationError({"__all__": "每条审批决定须是一个对象（字段名和值）。"})
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for c in COLUMNS:
        value = raw.get(c.key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if c.required:
                errors[c.key] = f"{c.label}不能为空。"
            data[c.key] = None if c.kind == "date" else ""
            continue
        if c.kind == "date":
            try:
                data[c.key] = _date(value)
            except (ValueError, TypeError):
                errors[c.key] = f"{c.label}“{value}”不是有效日期，应写作 2026-04-09。"
            continue
        text = str(value).strip()
        if c.max_length and len(text) > c.max_length:
            errors[c.key] = f"{c.label}不能超过 {c.max_length} 个字符（现有 {len(text)} 个）。"
        data[c.key] = text
    code = data.get("credit_code")
    if code and "credit_code" not in errors and (len(code) != 18 or not code.isalnum()):
        errors["credit_code"] = "统一社会信用代码应为 18 位数字或大写字母。"
    if (data.get("valid_until") and data.get("decided_on")
            and data["valid_until"] < data["decided_on"]):
        errors["valid_until"] = "有效期至不能早于决定日期。"
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        errors["__all__"] = f"无法识别的字段：{'、'.join(unknown)}。"
    if errors:
        raise ValidationError(errors)
    return data


def label_of(key: str) -> str:
    return next((c.label for c in COLUMNS if c.key == key), "")


# --- import files ----------------------------------------------------------------------
class FileUnreadable(ValueError):
    """The file is not a table the import reads (its message says why, in Chinese)."""


def _xlsx_rows(fileobj) -> Iterator[tuple]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is no workbook
        raise FileUnreadable("无法读取该 Excel 文件，请使用 .xlsx 格式。") from error
    try:
        yield from book.worksheets[0].iter_rows(values_only=True)
    finally:
        book.close()


def _csv_rows(fileobj) -> Iterator[tuple]:
    """Rows read line by line (memory stays flat however long the file): UTF-8 (with or
    without its mark) or GB18030 — Excel's "CSV" on a Chinese Windows —, told apart by
    the first 64 KB."""
    head = fileobj.read(65536)
    fileobj.seek(0)
    encoding = "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        encoding = "gb18030"
    text = io.TextIOWrapper(getattr(fileobj, "file", fileobj), encoding=encoding, newline="")
    try:
        yield from (tuple(row) for row in csv.reader(text))
    except UnicodeDecodeError:
        raise FileUnreadable("无法识别该 CSV 文件的编码，请以 UTF-8 保存。") from None
    finally:
        text.detach()  # the upload is closed by its owner, not by this reader


def read_table(fileobj, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number as the spreadsheet shows it, {field: value}) for each data row; the
    first row holds the headers (``COLUMNS`` labels, in any order)."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        rows = _xlsx_rows(fileobj)
    elif lower.endswith(".csv"):
        rows = _csv_rows(fileobj)
    else:
        raise FileUnreadable("请上传 .xlsx 或 .csv 文件。")
    header = next(rows, None)
    if header is None:
        raise FileUnreadable("文件是空的。")
    names = [str(h).strip() if h is not None else "" for h in header]
    missing = [c.label for c in COLUMNS if c.required and c.label not in names]
    if missing:
        raise FileUnreadable(f"第 1 行缺少列：{'、'.join(missing)}（表头须与模板一致）。")
    keys = [BY_LABEL[n].key if n in BY_LABEL else None for n in names]
    for number, row in enumerate(rows, start=2):
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        yield number, {k: v for k, v in zip(keys, row) if k is not None}


def template_headers() -> list[str]:
    return [c.label for c in COLUMNS]


def decision_numbers_existing(numbers) -> set[str]:
    return set(Decision.objects.filter(number__in=list(numbers)).values_list("number", flat=True))
