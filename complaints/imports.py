"""Import of a unit's existing Excel ledger (M3.2): all rows or none.

The sheet is read once with openpyxl's read-only reader: each row is checked and, while
no row is wrong, written in batches of ``BATCH`` inside one transaction; the problems
(row, column, why) are collected to the last row and any of them rolls the import back.
Memory stays flat whatever the row count (``make bench ARGS=complaints``: 10,000 rows).
The organisations the rows name are read in one query. Each row gets the unit's next
台账编号 from the document counter, allocated per batch under its row lock (held to the
end of the import, so the numbers run on without a gap); the entries still open get
their time limits in bulk (``deadlines_open_many``)."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any, BinaryIO, Iterator

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from core.audit import audit_record
from core.models import Organization
from deadlines import services as deadline_services
from documents.services import sequence_allocate

from . import services
from .models import (AnswerMethod, Channel, Complaint, ComplaintKind, ComplaintStatus,
                     Satisfaction)

BATCH = 1_000

# Column header → (field, required, what it says). The header row names them; order is free.
COLUMNS: dict[str, tuple[str, bool, str]] = {
    "类别": ("kind", True, "投诉或举报"),
    "来源渠道": ("channel", True, "电话、信函、来访、投诉举报信箱、单位网站、12345热线"),
    "12345工单号": ("hotline_order", False, "12345热线转来的必填"),
    "收到时间": ("received_at", True, "如 2026-03-01 或 2026-03-01 09:30"),
    "投诉举报人": ("complainant_name", False, "匿名的不填"),
    "身份证件号码": ("complainant_id_number", False, ""),
    "联系电话": ("complainant_phone", False, ""),
    "联系地址": ("complainant_address", False, ""),
    "匿名": ("anonymous", False, "是或否"),
    "要求保密": ("confidential", False, "是或否"),
    "被投诉举报单位": ("subject_org", False, "单位全称"),
    "被投诉举报人员": ("subject_officer_name", False, ""),
    "投诉举报事项": ("matter", True, ""),
    "状态": ("status", False, "已登记、已受理、调查处理中、不予受理、已办结、已答复、已归档；不填为已登记"),
    "不予受理理由": ("reject_reason", False, "不予受理的必填"),
    "受理时间": ("accepted_at", False, "不填按收到时间"),
    "办理结果": ("result", False, "已办结、已答复、已归档的必填"),
    "办结时间": ("concluded_at", False, "已办结、已答复、已归档的必填"),
    "答复方式": ("answer_method", False, "电话告知、短信告知、书面答复、当面告知、网上答复"),
    "答复内容": ("answer", False, ""),
    "答复时间": ("answered_at", False, "已答复、已归档的必填"),
    "满意度": ("satisfaction", False, "满意、基本满意、不满意、未评价"),
}
IMPORTABLE = [ComplaintStatus.REGISTERED, ComplaintStatus.ACCEPTED, ComplaintStatus.INVESTIGATING,
              ComplaintStatus.REJECTED, ComplaintStatus.CONCLUDED, ComplaintStatus.ANSWERED,
              ComplaintStatus.ARCHIVED]
_LABELS = {
    "kind": {str(label): value for value, label in ComplaintKind.choices},
    "channel": {str(label): value for value, label in Channel.choices
                if value not in (Channel.PORTAL, Channel.TRANSFER)} | {"12345": Channel.HOTLINE},
    "status": {str(ComplaintStatus(v).label): v for v in IMPORTABLE} | {"登记": ComplaintStatus.REGISTERED,
                                                                        "受理": ComplaintStatus.ACCEPTED,
                                                                        "办结": ComplaintStatus.CONCLUDED,
                                                                        "答复": ComplaintStatus.ANSWERED,
                                                                        "归档": ComplaintStatus.ARCHIVED},
    "answer_method": {str(label): value for value, label in AnswerMethod.choices},
    "satisfaction": {str(label): value for value, label in Satisfaction.choices},
}
_LIMITS = {"hotline_order": 40, "complainant_name": 100, "complainant_id_number": 30,
           "complainant_phone": 30, "complainant_address": 200, "subject_officer_name": 100,
           "matter": 5000, "reject_reason": 2000, "result": 5000, "answer": 5000}
_MOMENTS = ("received_at", "accepted_at", "concluded_at", "answered_at")
_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y/%m/%d %H:%M", "%Y/%m/%d",
            "%Y年%m月%d日")


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    why: str

    def __str__(self) -> str:
        return f"第{self.row}行“{self.column}”列：{self.why}"


class ImportRefused(ValidationError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__([str(p) for p in problems[:50]])


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _moment(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time(9, 0))
    else:
        text = _text(value)
        for fmt in _FORMATS:
            try:
                moment = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            raise ValueError("不是有效的日期或时间，请写成 2026-03-01 或 2026-03-01 09:30")
        if "%H" not in fmt:
            moment = moment.replace(hour=9)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _rows(fileobj: BinaryIO) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {header: value}) of each non-empty row; the header row first checked."""
    fileobj.seek(0)
    try:
        book = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a file that is not xlsx
        raise ValidationError({"file": "无法读取该文件，请上传 Excel（.xlsx）格式的台账。"}) from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [_text(h) for h in next(rows, ())]
        missing = [name for name, (_f, required, _w) in COLUMNS.items() if required and name not in header]
        if missing:
            raise ImportRefused([Problem(1, name, "缺少该列") for name in missing])
        for number, values in enumerate(rows, start=2):
            if not any(v not in (None, "") for v in values):
                continue
            yield number, {h: v for h, v in zip(header, values) if h in COLUMNS}
    finally:
        book.close()


def _parse(number: int, raw: dict[str, Any], orgs: dict[str, int]) -> tuple[dict, list[Problem]]:
    """One sheet row as Complaint fields, or what is wrong with it."""
    problems: list[Problem] = []
    data: dict[str, Any] = {}

    def wrong(column: str, why: str) -> None:
        problems.append(Problem(number, column, why))

    for column, (field, required, _what) in COLUMNS.items():
        value = raw.get(column)
        text = _text(value)
        if not text:
            if required:
                wrong(column, "不能为空")
            continue
        if field in _LABELS:
            if text not in _LABELS[field]:
                wrong(column, f"“{text}”不是可选的值（{'、'.join(_LABELS[field])}）")
            else:
                data[field] = _LABELS[field][text]
        elif field in _MOMENTS:
            try:
                data[field] = _moment(value)
            except ValueError as error:
                wrong(column, str(error))
        elif field in ("anonymous", "confidential"):
            if text not in ("是", "否"):
                wrong(column, "请填写“是”或“否”")
            data[field] = text == "是"
        elif field == "subject_org":
            if text not in orgs:
                wrong(column, f"没有名为“{text}”的单位")
            else:
                data["subject_org_id"] = orgs[text]
        else:
            if len(text) > _LIMITS[field]:
                wrong(column, f"超过 {_LIMITS[field]} 字")
            data[field] = text
    status = data.setdefault("status", ComplaintStatus.REGISTERED)
    if data.get("channel") == Channel.HOTLINE and not data.get("hotline_order"):
        wrong("12345工单号", "12345热线转来的须填写工单号")
    if not data.get("anonymous") and not data.get("complainant_name") and "投诉举报人" not in {p.column for p in problems}:
        wrong("投诉举报人", "须填写姓名，或在“匿名”列填“是”")
    if data.get("anonymous"):
        data["complainant_name"] = data["complainant_id_number"] = ""
    received = data.get("received_at")
    if received and received > timezone.now():
        wrong("收到时间", "不能晚于现在")
    if status == ComplaintStatus.REJECTED and not data.get("reject_reason"):
        wrong("不予受理理由", "不予受理的须填写理由")
    done = status in (ComplaintStatus.CONCLUDED, ComplaintStatus.ANSWERED, ComplaintStatus.ARCHIVED)
    if done:
        for column, field in (("办理结果", "result"), ("办结时间", "concluded_at")):
            if not data.get(field):
                wrong(column, f"状态为{ComplaintStatus(status).label}的须填写")
    if status in (ComplaintStatus.ANSWERED, ComplaintStatus.ARCHIVED):
        for column, field in (("答复时间", "answered_at"), ("答复方式", "answer_method")):
            if not data.get(field):
                wrong(column, f"状态为{ComplaintStatus(status).label}的须填写")
    for earlier, later, column in (("received_at", "concluded_at", "办结时间"),
                                   ("concluded_at", "answered_at", "答复时间")):
        if data.get(earlier) and data.get(later) and data[later] < data[earlier]:
            wrong(column, "不能早于前一环节的时间")
    return data, problems


def complaint_import(*, actor, unit: Organization, fileobj: BinaryIO) -> int:
    """Import ``unit``'s existing ledger: every row or none (``ImportRefused`` lists each
    problem by row and column). Returns the number of rows imported."""
    services.may_import.require(actor, unit)
    if unit.kind not in services.ACTING_KINDS:
        raise ValidationError({"unit": "请选择行政执法部门、乡镇人民政府（街道办事处）或区司法局。"})
    orgs = dict(Organization.objects.filter(is_active=True).values_list("name", "pk"))
    problems: list[Problem] = []
    batch: list[dict] = []
    total = 0
    now = timezone.now()

    def flush() -> None:
        """The batch's 台账编号 — per year, consecutive under the counter's row lock, which
        this transaction keeps to its end —, its rows and its open entries' time limits."""
        per_year: dict[int, int] = {}
        for data in batch:
            per_year[data["year"]] = per_year.get(data["year"], 0) + 1
        next_sequence = {year: sequence_allocate(issuer=unit, number_code=services.LEDGER_CODE,
                                                 year=year, count=count)
                         for year, count in sorted(per_year.items())}
        entries = []
        for data in batch:
            sequence = next_sequence[data["year"]]
            next_sequence[data["year"]] += 1
            entries.append(Complaint(
                unit=unit, sequence=sequence, number=services._number(unit, data["year"], sequence),
                created_by=actor, tracking_code=f"{secrets.randbelow(10 ** 12):012d}", **data))
        _open_deadlines(actor, unit, [c for c in Complaint.objects.bulk_create(entries)
                                      if c.status in _LIVE_RULE])
        batch.clear()

    # One pass over the sheet: the rows are written in batches while they are checked, and
    # the first problem stops the writing (the rest is only checked, for the report); any
    # problem rolls the whole import back.
    with transaction.atomic():
        for number, raw in _rows(fileobj):
            data, found = _parse(number, raw, orgs)
            problems += found
            if problems:
                continue
            data["year"] = timezone.localtime(data["received_at"]).year
            if data["status"] in (ComplaintStatus.ACCEPTED, ComplaintStatus.INVESTIGATING,
                                  ComplaintStatus.CONCLUDED, ComplaintStatus.ANSWERED,
                                  ComplaintStatus.ARCHIVED):
                data.setdefault("accepted_at", data["received_at"])
            if data["status"] == ComplaintStatus.ARCHIVED:
                data["archived_at"] = now
                data.setdefault("satisfaction", "unknown")
            batch.append(data)
            total += 1
            if len(batch) >= BATCH:
                flush()
        if problems:
            raise ImportRefused(problems)
        if not total:
            raise ValidationError({"file": "台账中没有可导入的行。"})
        if batch:
            flush()
        audit_record(actor=actor, verb="complaints.complaint.import", organization=unit,
                     changes={"rows": [None, total]}, note=f"导入{total}条")
    return total


_LIVE_RULE = {ComplaintStatus.REGISTERED: ("complaint_acceptance", "received_at"),
              ComplaintStatus.ACCEPTED: ("complaint_handling", "accepted_at"),
              ComplaintStatus.INVESTIGATING: ("complaint_handling", "accepted_at"),
              ComplaintStatus.CONCLUDED: ("complaint_answer", "concluded_at")}


def _open_deadlines(actor, unit: Organization, entries: list[Complaint]) -> None:
    """An imported entry still open runs its current time limit from its own dates: one
    bulk open per rule for a batch of entries (``deadlines_open_many``, each its own start;
    the same dues, rows and events as opening them one by one)."""
    per_rule: dict[str, list[tuple[Complaint, Organization, dt.datetime]]] = {}
    for complaint in entries:
        rule, field = _LIVE_RULE[complaint.status]
        per_rule.setdefault(rule, []).append((complaint, unit, getattr(complaint, field)))
    for rule, targets in per_rule.items():
        deadline_services.deadlines_open_many(targets=targets, rule=rule, actor=actor)
