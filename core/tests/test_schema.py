"""The schema as migrated: no table keeps two identical indexes (same columns in the same
order, operator classes, expressions, predicate and included columns) — each costs every
write and serves no read the other does not."""
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

DUPLICATES = """
SELECT t.relname, string_agg(i.relname, '、' ORDER BY i.relname)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema()
GROUP BY t.relname, x.indkey::text, x.indclass::text, x.indnkeyatts,
         coalesce(pg_get_expr(x.indexprs, x.indrelid), ''),
         coalesce(pg_get_expr(x.indpred, x.indrelid), '')
HAVING count(*) > 1
"""


def test_no_table_keeps_two_identical_indexes():
    with connection.cursor() as cursor:
        cursor.execute(DUPLICATES)
        assert cursor.fetchall() == []
