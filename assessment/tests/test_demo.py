"""The demo district's appraisal (assessment/demo.py), made once through the services."""
from __future__ import annotations

import pytest

from assessment import selectors
from assessment.models import Appraisal, AppraisalStatus, Honour, Method, OfficerEvaluation, ReportStatus, SelfAssessment
from core import demo, tallies
from core.models import Organization
from deadlines.models import Deadline, DeadlineState

pytestmark = pytest.mark.django_db


def test_m9_demo_has_last_years_published_appraisal_and_this_years_open_one():
    demo.seed()
    demo.seed()  # idempotent
    last, current = Appraisal.objects.order_by("year")
    assert last.status == AppraisalStatus.PUBLISHED and last.report.number.startswith("北司考〔")
    assert last.results.filter(honour=Honour.COMMENDED).exists()
    assert set(last.results.values_list("grade", flat=True)) >= {"excellent", "good"}
    assert current.status == AppraisalStatus.OPEN and current.units.count() == last.units.count()
    tallies.rebuild_all()  # as after the seed's commit
    market = Organization.objects.get(name="北戴河区市场监督管理局")
    cells = selectors.sheets(current, [market.pk])[market.pk]
    computed = [c for c in cells if c.item.method == Method.COMPUTED]
    assert any(c.value is not None and c.url for c in computed)
    assert SelfAssessment.objects.get(appraisal=last, department=market).status == ReportStatus.PUBLISHED
    assert SelfAssessment.objects.get(appraisal=current, department=market).status == ReportStatus.FILED
    evaluation = OfficerEvaluation.objects.get(department=market)
    assert evaluation.status == ReportStatus.PUBLISHED
    assert Deadline.objects.get(rule="officer_evaluation", responsible=market,
                                period=evaluation.period).state == DeadlineState.MET
