"""The demo district's information sharing (infosharing/demo.py), made once through the services."""
from __future__ import annotations

import pytest

from core import demo
from deadlines.models import Deadline, DeadlineState
from infosharing.models import (Channel, InfoQuery, InspectionStatus, QueryStatus, RefusalGround,
                                ReportStatus, StatisticsRequest, WebInspection)
from infosharing.selectors import units_without_channels

pytestmark = pytest.mark.django_db


def test_demo_has_a_circulated_inspection_a_half_answered_request_and_a_refused_query():
    demo.seed()
    demo.seed()  # idempotent
    # M5.2: every unit's four channels but one website.
    assert [o.name for o in units_without_channels()] == ["北戴河区商务局"]
    assert Channel.objects.filter(unit__name="北戴河区市场监督管理局").count() == 4
    # M5.3: the quarter's inspection, circulated with its bulletin; the duty met.
    inspection = WebInspection.objects.get()
    assert inspection.status == InspectionStatus.CIRCULATED and inspection.bulletin.number
    assert inspection.review_remarks and not inspection.results.filter(checked=False).exists()
    with_problems = inspection.results.filter(problems__gt=0)
    assert with_problems.count() >= 3 and all(r.notice for r in with_problems)
    assert Deadline.objects.get(rule="web_inspection", period=inspection.period).state == DeadlineState.MET
    notices = [str(r.notice_id) for r in with_problems]
    assert Deadline.objects.filter(rule="rectification", imposed_by=inspection.bureau,
                                   target_id__in=notices).count() == len(notices)
    # M5.4: half answered.
    request = StatisticsRequest.objects.get()
    submitted = request.reports.filter(status=ReportStatus.SUBMITTED).count()
    assert 0 < submitted < request.reports.count()
    # M5.5: a refused query with its ground, one answered, one waiting.
    statuses = dict(InfoQuery.objects.values_list("status", "refusal_ground"))
    assert statuses[QueryStatus.REFUSED] == RefusalGround.COMMERCIAL_SECRET
    assert {QueryStatus.ANSWERED, QueryStatus.ASKED} <= set(statuses)
