"""The audit trail's hash chain (PostgreSQL; core/migrations/0009_event_chain.py).

``seal`` asks the database to chain the committed events not yet sealed; ``verify``
recomputes every link in the database and names each break: a row whose content no
longer matches its hash (changed), a number missing from the chain (removed), a row whose
predecessor's hash is not the one before it (inserted or removed), and a row left
unsealed for long (written past the seal). Only reads here: ``audit_chain_check`` in
core/services.py records and reports a break."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from django.db import connection
from django.utils import timezone

# An event is sealed within a minute (beat); one older than this and still unsealed was
# written in a way that bypassed the chain.
UNSEALED_GRACE = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Break:
    event_id: int | None  # the row's id (an event's, or another chained table's)
    seq: int | None
    problem: str
    noun: str = "事件"  # what the row is, as the report names it

    def __str__(self) -> str:
        where = f"{self.noun} #{self.event_id}" if self.event_id is not None else f"链序号 {self.seq}"
        return f"{where}：{self.problem}"


GENESIS = "0" * 64


def walk(rows: Iterable[tuple[int, int, str, str, bool]], noun: str = "事件") -> list[Break]:
    """The breaks of a hash chain, from its rows in chain order — each (id, seq,
    prev_hash, hash, intact: whether the content still gives the stored hash): a number
    missing (removed), a predecessor's hash that is not the one before it (inserted or
    removed), content that no longer matches (changed). Shared by every chained table
    (the audit trail here, the interference records of exemption/)."""
    breaks: list[Break] = []
    expected_seq, previous_hash = 1, GENESIS
    for row_id, seq, prev_hash, digest, intact in rows:
        if seq != expected_seq:
            breaks.append(Break(None, expected_seq,
                                f"链序号 {expected_seq} 至 {seq - 1} 的{noun}缺失（已被删除）", noun))
        elif prev_hash != previous_hash:
            breaks.append(Break(row_id, seq, f"前一{noun}的哈希不符（其前有{noun}被删除或插入）", noun))
        if not intact:
            breaks.append(Break(row_id, seq, f"内容与哈希不符（{noun}被修改）", noun))
        expected_seq, previous_hash = seq + 1, digest
    return breaks


def supported() -> bool:
    return connection.vendor == "postgresql"


def seal() -> int:
    """Chain the committed, unsealed events; how many were sealed."""
    if not supported():
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT core_event_seal()")
        return cursor.fetchone()[0]


def verify() -> list[Break]:
    """Every break in the chain, in chain order (empty: the trail is intact)."""
    if not supported():
        return []
    breaks: list[Break] = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, seq, prev_hash, hash, core_event_digest(e, e.prev_hash) = hash "
            "FROM core_event e WHERE seq IS NOT NULL ORDER BY seq")
        breaks += walk(cursor)
        cursor.execute("SELECT id FROM core_event WHERE seq IS NULL AND created_at < %s ORDER BY id",
                       [timezone.now() - UNSEALED_GRACE])
        breaks += [Break(row[0], None, "长时间未纳入哈希链（绕过封存写入）") for row in cursor]
    return breaks
