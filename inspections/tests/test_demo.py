"""The demo district's supervision checks (inspections/demo.py), made once through the services."""
from __future__ import annotations

import pytest

from core import demo
from documents.models import Document, RectificationStatus
from inspections.models import CaseReview, Check, CheckMethod, CheckStatus, Lead

pytestmark = pytest.mark.django_db


def test_demo_has_a_circulated_special_check_a_ten_file_review_and_leads():
    demo.seed()
    demo.seed()  # idempotent
    special = Check.objects.get(kind="special")
    assert special.status == CheckStatus.CIRCULATED and special.bulletin.kind == "inspection_bulletin"
    assert special.findings.count() == 3
    review = CaseReview.objects.get()
    assert review.files.count() == 10 and review.finding is not None
    assert review.files.filter(passed=False, vetoed=True).count() == 1
    notice = special.unit_rows.get().instrument
    assert notice.kind == "supervision_notice"
    assert notice.rectification_reports.get().status == RectificationStatus.SUBMITTED
    assert Check.objects.filter(method=CheckMethod.UNANNOUNCED, status=CheckStatus.UNDERWAY).exists()
    assert Check.objects.filter(organizer__kind="department").exists()
    rules = set(Lead.objects.values_list("rule", flat=True))
    assert {"publicity_late", "penalty_not_transferred"} <= rules
    assert Document.objects.filter(kind="inspection_bulletin").count() == 1
