"""Indexes the dashboard's aggregate queries read on other apps' tables (issue 7: figures
from aggregate queries whose time must not grow with the history). Created only if
absent, and only on PostgreSQL (INCLUDE columns let each figure come from an index-only
scan); the owning apps may adopt them in their own Meta under the same names."""
from django.db import migrations

INDEXES = [
    # Live deadlines (open or overdue): the counts, the lights, and 需关注 (by due).
    ("dashboard_deadline_live", "deadlines_deadline",
     "(state, due) INCLUDE (responsible_id, rule, warn_at, escalation_level, provisional) "
     "WHERE state IN ('open', 'overdue')"),
    # Deadlines due in the period: the on-time rate and its monthly trend.
    ("dashboard_deadline_due", "deadlines_deadline",
     "(due) INCLUDE (responsible_id, rule, state, met_at)"),
    # Cases filed in the period, by month, act type, field and department.
    ("dashboard_case_filed", "cases_enforcementcase",
     "(filed_on) INCLUDE (department_id, act_type, field, status, is_major_decision)"),
    # Transfers created in the period.
    ("dashboard_transfer_created", "transfers_transfer",
     "(created_at) INCLUDE (sender_id, receiver_id, kind, status)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, spec in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {spec}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _spec in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0001_initial"),
        ("cases", "0001_initial"),
        ("transfers", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
