"""M15.6 moved: the township jurisdiction disputes become disputes of kind 管辖
(disputes 0002), and the township model is removed (townships 0003)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# Migrating is the owner's work (conftest.py: the tests otherwise connect as the
# application's role, which may create and alter no table).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.db_owner]

BEFORE = [("disputes", "0001_initial"), ("townships", "0002_text_lengths_and_recorded")]
AFTER = [("disputes", "0002_jurisdiction_disputes_from_townships"),
         ("townships", "0003_jurisdiction_dispute_moved")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    """Leave the database as every other test expects it: all migrations applied (the
    complaints move, townships 0004, comes after the state this test stops at)."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_m15_6_township_jurisdiction_disputes_are_migrated_into_disputes():
    old_apps = _migrate(BEFORE)
    Organization = old_apps.get_model("core", "Organization")
    User = old_apps.get_model("core", "User")
    Old = old_apps.get_model("townships", "JurisdictionDispute")
    Organization.objects.create(name="北戴河区司法局", short_name="北司", kind="justice_bureau")
    government = Organization.objects.create(name="北戴河区人民政府", short_name="北政", kind="government")
    town = Organization.objects.create(name="海滨镇人民政府", short_name="北海滨", kind="township")
    dept = Organization.objects.create(name="区住建局", short_name="北住建", kind="department")
    user = User.objects.create(username="migrator")
    when = timezone.now() - dt.timedelta(days=3)
    Old.objects.create(applicant=town, respondent=dept, subject="违建拆除管辖", description="均认为不属本单位",
                       created_by=user)
    Old.objects.create(applicant=town, respondent=dept, subject="绿地管护管辖", description="职责交叉",
                       negotiation="3月2日协商未果", negotiated_at=when, status="decided", competent=town,
                       decision="由镇政府负责", decided_at=when, created_by=user)
    new_apps = _migrate(AFTER)
    Dispute = new_apps.get_model("disputes", "Dispute")
    rows = {d.subject: d for d in Dispute.objects.all()}
    negotiating, decided = rows["违建拆除管辖"], rows["绿地管护管辖"]
    assert negotiating.kind == decided.kind == "jurisdiction"
    assert negotiating.status == "draft" and negotiating.negotiations.count() == 0
    assert decided.status == "ruled" and decided.ruling == "由镇政府负责"
    assert decided.competent_id == town.pk and decided.government_id == government.pk
    assert {(p.organization_id, p.is_applicant) for p in decided.parties.all()} == {(town.pk, True), (dept.pk, False)}
    assert [n.position for n in decided.negotiations.all()] == ["3月2日协商未果"] * 2
    assert "townships_jurisdictiondispute" not in connection.introspection.table_names()
