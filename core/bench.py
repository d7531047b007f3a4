"""The benchmark registry behind ``manage.py bench`` (``make bench``).

Each app registers its benchmarks in its own ``bench.py`` module (found by
autodiscovery): ``register("documents", fn)``. A benchmark returns the figures it
measured; the command prints them, with the target and whether it is met, so
performance is measured by a command that prints figures, not by timed tests (STYLE).
"""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class Figure:
    label: str
    value: float
    unit: str = ""
    target: str = ""  # how the target reads, e.g. "≤ 1.5 × 底线"
    met: bool | None = None  # None: a figure with no target of its own


Benchmark = Callable[[], Iterable[Figure]]
_BENCHMARKS: dict[str, tuple[Benchmark, str]] = {}


def register(name: str, fn: Benchmark, description: str = "") -> None:
    if name in _BENCHMARKS and _BENCHMARKS[name][0] is not fn:
        raise ValueError(f"benchmark {name!r} registered twice")
    _BENCHMARKS[name] = (fn, description)


def benchmarks() -> dict[str, tuple[Benchmark, str]]:
    return dict(sorted(_BENCHMARKS.items()))


def paired(*fns: Callable[[], object], rounds: int = 21, warmup: int = 3) -> list[float]:
    """Median seconds of each function, the functions taking turns within every round,
    so a busy or drifting machine slows the floor and the pages alike."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for fn, times in zip(fns, samples):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
    return [statistics.median(times) for times in samples]


def timed(fn: Callable[[], object], *, repeat: int = 5, warmup: int = 1) -> float:
    """The median wall time of ``fn`` in seconds, after ``warmup`` untimed runs."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def signed_in_client(user):
    """A test client signed in as ``user`` with every step a real sign-in takes — the
    second factor included, for a user who needs one — so a page is measured through the
    same middleware a person's request passes."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    device, _ = StaticDevice.objects.get_or_create(user=user, name="基准测试",
                                                   defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _load_benchmark():
    from .bench_load import load_benchmark

    return load_benchmark()


register("load", _load_benchmark,
         "压力测试：gunicorn 4 个进程、1 万件案件，50 个用户浏览列表、详情、看板并登记案件")


def switch_database(suffix: str) -> tuple[str, str]:
    """Point the default connection at ``<configured name>_<suffix>``, created on the
    server the first time (from its maintenance database: the configured one need not
    exist), with PostgreSQL's JIT off — it compiles every aggregate over ~100,000 rows
    and costs more (≈ 250 ms) than it saves on these index-only scans, as recommended for
    the application's database too. Returns (the benchmark database, the configured
    one); the caller puts the configured one back."""
    import psycopg2
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    conn = connections["default"]
    original = conn.settings_dict["NAME"]
    name = f"{original}_{suffix}"
    params = {**conn.get_connection_params(), "dbname": "postgres"}
    params.pop("cursor_factory", None)
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
            cursor.execute(f'ALTER DATABASE "{name}" SET jit = off')
    finally:
        admin.close()
    conn.close()
    conn.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()
    return name, original
