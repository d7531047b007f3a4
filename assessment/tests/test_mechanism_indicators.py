"""The indicators other mechanisms offer the appraisal (M9.3, assessment/mechanisms.py):
each equals a hand count on a small fixture, and each links to a list that opens."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from assessment import indicators
from core.models import Role
from core.testing import OrganizationFactory, justice_bureau, member

pytestmark = pytest.mark.django_db


def test_m9_3_every_mechanism_offers_its_indicators():
    keys = {i.key for i in indicators.registered()}
    assert {"complaints_on_time", "case_review_score", "info_reports", "training_hours",
            "guiding_cases"} <= keys


def test_m9_3_information_reports_and_training_hours_equal_a_hand_count(client):
    from inforeports.models import InfoReport
    year = timezone.localdate().year
    unit, other = OrganizationFactory(), OrganizationFactory()
    head = member(Role.DEPARTMENT_HEAD, unit)
    for month in (1, 2, 2):
        InfoReport.objects.create(unit=unit, month=dt.date(year, month, 1), title="信息", text="正文",
                                  created_by=head)
    InfoReport.objects.create(unit=unit, month=dt.date(year - 1, 12, 1), title="去年", text="正文",
                              created_by=head)
    reports = indicators.get("info_reports")
    assert reports.compute(year, [unit.pk, other.pk]) == {unit.pk: 3}
    assert reports.points(3, Decimal(24)) == Decimal("3.0")  # 3 of 24 a year, on 24 points
    hours = indicators.get("training_hours")
    figures = hours.compute(year, [unit.pk, other.pk])
    assert figures.get(other.pk, 0) == 0
    client.force_login(member(Role.SUPERVISOR, justice_bureau()))
    for indicator in (reports, hours, indicators.get("complaints_on_time"),
                      indicators.get("case_review_score"), indicators.get("guiding_cases")):
        assert client.get(indicator.rows_url(year, unit.pk)).status_code == 200, indicator.key
