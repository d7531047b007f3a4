"""The kinds of record (content type ids) that the rows of a table with a generic target
(``target_type``, ``target_id``) point at: deadlines, attachments. A visibility scope that
follows the target's own scope needs to follow only these — some twenty of the sixty
scoped models —, which keeps its statement a third of the size (an officer's 我的时限 took
over a second to compile and run at 50,000 deadlines, a file download two).

Read from the table at most ``settings.SCOPE_KINDS_SECONDS`` apart per process, skipping
through the (target_type, target_id) index on PostgreSQL (one probe a kind), and added to at
once when this process writes a row of a new kind (``note``): a kind first used by another
process is followed here within that time. 0 follows every kind (the test suite: its
query-count assertions must not meet the occasional read)."""
from __future__ import annotations

import time

from django.conf import settings
from django.db import connection, models


_ALL: list["TargetKinds"] = []


def signature() -> tuple:
    """Every table's kinds as the scopes follow them now: part of the key of a statement
    kept by ``core.prepared`` (a scope's statement holds the kinds it followed)."""
    return tuple(kinds.ids() for kinds in _ALL)


class TargetKinds:
    def __init__(self, model: type[models.Model]):
        self.model = model
        self._ids: frozenset[int] | None = None
        self._read = 0.0
        self._noted: set[int] = set()
        _ALL.append(self)

    def ids(self) -> frozenset[int] | None:
        """The content type ids the table's rows point at, or None: follow every kind."""
        seconds = settings.SCOPE_KINDS_SECONDS
        if not seconds:
            return None
        now = time.monotonic()
        if self._ids is None or now - self._read > seconds:
            self._ids = self._select() | frozenset(self._noted)
            self._read = now
        return self._ids

    def note(self, content_type_id: int) -> None:
        """A row pointing at this kind is being written (before the insert)."""
        self._noted.add(content_type_id)
        if self._ids is not None and content_type_id not in self._ids:
            self._ids = self._ids | {content_type_id}

    def forget(self) -> None:
        """Read the table afresh next time (tests)."""
        self._ids, self._read, self._noted = None, 0.0, set()

    def _select(self) -> frozenset[int]:
        table = connection.ops.quote_name(self.model._meta.db_table)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"WITH RECURSIVE t(id) AS ("
                    f" (SELECT target_type_id FROM {table} WHERE target_type_id IS NOT NULL"
                    f"  ORDER BY target_type_id LIMIT 1)"
                    f" UNION ALL SELECT (SELECT target_type_id FROM {table}"
                    f"  WHERE target_type_id > t.id ORDER BY target_type_id LIMIT 1) FROM t"
                    f"  WHERE t.id IS NOT NULL) SELECT id FROM t WHERE id IS NOT NULL")
                return frozenset(row[0] for row in cursor.fetchall())
        return frozenset(self.model._default_manager.exclude(target_type=None).order_by()
                         .values_list("target_type_id", flat=True).distinct())
