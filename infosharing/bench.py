"""``make bench ARGS=statistics`` (issue 20): the statistics pre-fill for every unit for a
year (``selectors.statistics_prefill``: one GROUP BY over the cases) on 1,000,000 cases.

The cases are those of ``make bench ARGS=cases``: its database ``bdh_bench`` is read as it
is (nothing migrated or written there) when it exists; otherwise the cases benchmark's
loader fills a database of this benchmark's own, ``bdh_bench_info``
(``STATISTICS_BENCH_DB``). Target: under 5 s; measured 0.90 s on this 2-core machine
(1,000,000 cases, 146,781 filed in 2024, 20 units), with no index of its own: the
statement reads the year's rows of ``cases_enforcementcase`` once.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
from typing import Iterator

from django.conf import settings
from django.db import connection, connections

from core import bench

TARGET_SECONDS = 5.0


def _exists(name: str) -> bool:
    import psycopg2

    default = connections["default"].settings_dict
    server = psycopg2.connect(dbname="postgres", user=default["USER"], password=default["PASSWORD"],
                              host=default["HOST"] or None, port=default["PORT"] or None)
    with server.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cur.fetchone() is not None
    server.close()
    return found


@contextlib.contextmanager
def _cases_database(out) -> Iterator[str]:
    from cases import bench as cases_bench

    if connections["default"].settings_dict["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("统计基准需要 PostgreSQL（设置 DATABASE_URL）。")
    shared = os.environ.get("CASES_BENCH_DB", "bdh_bench")
    if _exists(shared):
        default = connections["default"].settings_dict
        original = default["NAME"]
        connections["default"].close()
        default["NAME"] = settings.DATABASES["default"]["NAME"] = shared
        try:
            yield shared
        finally:
            connections["default"].close()
            default["NAME"] = settings.DATABASES["default"]["NAME"] = original
        return
    os.environ["CASES_BENCH_DB"] = os.environ.get("STATISTICS_BENCH_DB", "bdh_bench_info")
    try:
        with cases_bench.bench_database() as name:
            cases_bench.load(out=out)
            yield name
    finally:
        os.environ.pop("CASES_BENCH_DB", None)


def _figures():
    from cases.models import EnforcementCase

    from .selectors import statistics_prefill

    with _cases_database(print) as name:
        total = EnforcementCase.objects.count()
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXTRACT(YEAR FROM filed_on)::int, count(*) FROM cases_enforcementcase "
                           "GROUP BY 1 ORDER BY 2 DESC LIMIT 1")
            year, in_year = cursor.fetchone()
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        seconds = bench.timed(lambda: statistics_prefill(first, last), repeat=5, warmup=1)
        units = len(statistics_prefill(first, last))
    yield bench.Figure(f"案件总数（{name}）", total, "件")
    yield bench.Figure(f"{year}年立案的案件", in_year, "件")
    yield bench.Figure("预填的单位数", units, "个")
    yield bench.Figure(f"全部单位 {year} 年统计预填（一条 GROUP BY）", round(seconds, 3), "秒",
                       target=f"< {TARGET_SECONDS:g} 秒", met=seconds < TARGET_SECONDS)


bench.register("statistics", _figures, "执法统计：100 万件案件下全部单位一年统计数的预填（issue 20）")
