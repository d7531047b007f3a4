"""``make bench ARGS=complaints`` (issue 17, Performance): the ledger with 100,000 entries —
its page 1 and page 500 for the unit holding most of them, next to the floor of a bare
authenticated page (the password-change form), and the queries per page for 25 and 100
rows — and the import of a 10,000-row Excel ledger: its time, and its peak memory next
to a 1,000-row import's (flat: the sheet is read once, streamed, and written in batches).

The data lives in its own database, ``bdh_bench_compl`` (``COMPLAINTS_BENCH_DB``),
loaded on the first run and reused; each import's rows are removed afterwards."""
from __future__ import annotations

import datetime as dt
import functools
import io
import os
import random
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from cases.bench import PeakRSS, bench_database
from core import bench
from core.models import Membership, Organization, OrgKind, Role, User

from . import views
from .imports import complaint_import
from .models import Complaint
from .services import LEDGER_CODE, _number

RATIO_TARGET = 3.0
ENTRIES = 100_000
UNITS = 5
IMPORT_ROWS = 10_000
IMPORT_SECONDS = 60


def _unit(i: int) -> Organization:
    return Organization.objects.get_or_create(
        name=f"基准投诉办理单位{i}", defaults={"short_name": f"基投{i}", "kind": OrgKind.DEPARTMENT})[0]


def _user(username: str, org: Organization, role: str) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"real_name": username})
    if created:
        user.set_password("Bench-password-2026")
        user.save()
    Membership.objects.get_or_create(user=user, organization=org, role=role)
    return user


def load() -> tuple[list[Organization], User]:
    """The units, an officer of the first, and 100,000 entries (60% of them the first
    unit's) in the states a ledger has, once."""
    from documents.models import DocumentCounter

    units = [_unit(i) for i in range(UNITS)]
    officer = _user("bench_complaints", units[0], Role.OFFICER)
    _user("bench_complaints", units[1], Role.LEGAL_OFFICER)
    if Complaint.objects.count() >= ENTRIES:
        _settle()
        return units, officer
    Complaint.objects.all().delete()
    rng = random.Random(2026)
    now = timezone.now()
    statuses = ["archived"] * 6 + ["answered", "concluded", "investigating", "accepted", "registered", "rejected"]
    sequences: dict[tuple[int, int], int] = {}
    batch = []
    for n in range(ENTRIES):
        unit = units[0] if n % 10 < 6 else units[1 + n % (UNITS - 1)]
        received = now - dt.timedelta(days=rng.randint(1, 900), minutes=rng.randint(0, 1440))
        year = timezone.localtime(received).year
        sequence = sequences[(unit.pk, year)] = sequences.get((unit.pk, year), 0) + 1
        status = rng.choice(statuses)
        batch.append(Complaint(
            unit=unit, year=year, sequence=sequence, number=_number(unit, year, sequence),
            kind=rng.choice(["complaint", "report"]), channel=rng.choice(["phone", "letter", "visit", "website"]),
            received_at=received, complainant_name=f"投诉人{n}", complainant_phone=f"139{n:08d}",
            matter=f"基准投诉事项第{n}号：占道经营、油烟扰民。", status=status,
            reject_reason="不属于本单位职责。" if status == "rejected" else "",
            tracking_code=f"{n:012d}"))
        if len(batch) == 5_000:
            Complaint.objects.bulk_create(batch)
            batch.clear()
    Complaint.objects.bulk_create(batch)
    for (unit_id, year), last in sequences.items():
        DocumentCounter.objects.update_or_create(issuer_id=unit_id, number_code=LEDGER_CODE, year=year,
                                                 defaults={"last_sequence": last})
    _settle()
    return units, officer


def _settle() -> None:
    """The table as autovacuum leaves a loaded one: statistics current and the visibility
    map set (index-only scans read no heap)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE complaints_complaint")


def _sheet(rows: int) -> io.BytesIO:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["类别", "来源渠道", "收到时间", "投诉举报人", "联系电话", "投诉举报事项", "状态", "办理结果",
                  "办结时间", "答复方式", "答复时间", "满意度"])
    base = dt.datetime(2025, 3, 1, 9, 0)
    for n in range(rows):
        received = base + dt.timedelta(hours=n % 5000)
        live = n % 20 == 0  # one in twenty still to be decided: its deadline is opened
        sheet.append(["投诉" if n % 2 else "举报", "电话", received, f"导入人{n}", f"137{n:08d}",
                      f"导入台账事项第{n}号", "已登记" if live else "已归档", "" if live else "已处理",
                      "" if live else received + dt.timedelta(days=10), "" if live else "电话告知",
                      "" if live else received + dt.timedelta(days=11), "" if live else "满意"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _import(actor: User, unit: Organization, rows: int) -> tuple[float, PeakRSS]:
    from deadlines.models import Deadline

    sheet = _sheet(rows)
    before = Complaint.objects.filter(unit=unit).values_list("pk", flat=True).order_by("-pk").first() or 0
    with PeakRSS() as rss:
        started = time.perf_counter()
        imported = complaint_import(actor=actor, unit=unit, fileobj=sheet)
        elapsed = time.perf_counter() - started
    assert imported == rows, (imported, rows)
    added = Complaint.objects.filter(unit=unit, pk__gt=before)
    Deadline.objects.filter(target_type__app_label="complaints", target_type__model="complaint",
                            target_id__in=[str(pk) for pk in added.values_list("pk", flat=True)]).delete()
    added.delete()
    return elapsed, rss


def _ok(client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return response


def _figures():
    with bench_database(os.environ.get("COMPLAINTS_BENCH_DB", "bdh_bench_compl")):
        units, officer = load()
        client = bench.signed_in_client(officer)
        ledger = reverse("complaints:list")

        urls = {"floor": reverse("password_change"), "first": ledger, "page500": f"{ledger}?page=500"}
        floor_s, page1_s, page500_s = bench.paired(*(functools.partial(_ok, client, url)
                                                      for url in urls.values()))

        def queries(page_size: int) -> int:
            original, views.ComplaintList.page_size = views.ComplaintList.page_size, page_size
            try:
                with CaptureQueriesContext(connection) as ctx:
                    _ok(client, f"{ledger}?page=3")
                return len(ctx.captured_queries)
            finally:
                views.ComplaintList.page_size = original

        q25, q100 = queries(25), queries(100)
        importer = User.objects.get(username="bench_complaints")
        small_s, small = _import(importer, units[1], IMPORT_ROWS // 10)
        big_s, big = _import(importer, units[1], IMPORT_ROWS)
    return [
        bench.Figure("底线：已登录的空白页面", floor_s * 1000, "ms"),
        bench.Figure(f"投诉举报台账第 1 页（共 {ENTRIES:,} 条）", page1_s * 1000, "ms"),
        bench.Figure("第 1 页 / 底线", page1_s / floor_s, "倍", f"≤ {RATIO_TARGET}", page1_s / floor_s <= RATIO_TARGET),
        bench.Figure("台账第 500 页", page500_s * 1000, "ms"),
        bench.Figure("第 500 页 / 底线", page500_s / floor_s, "倍", f"≤ {RATIO_TARGET}",
                     page500_s / floor_s <= RATIO_TARGET),
        bench.Figure("每页查询数（每页 25 条）", q25, "条"),
        bench.Figure("每页查询数（每页 100 条）", q100, "条", "与每页条数无关", q25 == q100),
        bench.Figure(f"导入 {IMPORT_ROWS // 10:,} 行用时", small_s, "s"),
        bench.Figure(f"导入 {IMPORT_ROWS // 10:,} 行峰值内存增长", small.growth_mb, "MB"),
        bench.Figure(f"导入 {IMPORT_ROWS:,} 行用时", big_s, "s", f"< {IMPORT_SECONDS} s", big_s < IMPORT_SECONDS),
        bench.Figure(f"导入 {IMPORT_ROWS:,} 行峰值内存增长", big.growth_mb, "MB",
                     "≤ 1 千行导入的 2 倍 + 30 MB（平稳）", big.growth_mb <= 2 * small.growth_mb + 30),
    ]


bench.register("complaints", _figures,
               "投诉举报：10 万条台账的分页与 1 万行台账的导入（issue 17）")
