"""The demo district's guiding cases (guidingcases/demo.py), made once through the services."""
from __future__ import annotations

import pytest

from core import demo
from documents.models import Document
from guidingcases.models import GuidingCase, GuidingStatus
from guidingcases.selectors import shortfall

pytestmark = pytest.mark.django_db


def test_demo_has_three_published_guiding_cases_a_compilation_and_shortfalls():
    demo.seed()
    demo.seed()  # idempotent
    published = GuidingCase.objects.filter(status=GuidingStatus.PUBLISHED)
    assert published.count() == 3
    assert GuidingCase.objects.filter(status=GuidingStatus.SUBMITTED).count() == 1
    assert Document.objects.filter(kind="guiding_case_compilation").count() == 1
    for gc in published:
        assert "王建国" not in gc.facts and "130304197803121235" not in gc.facts
    year = published.first().year
    short = {org.name for org, _n in shortfall(year)}
    assert "北戴河区市场监督管理局" not in short and "北戴河区城市管理综合行政执法局" in short
