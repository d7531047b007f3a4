"""The case-file review (案卷评查): a reproducible stratified sample, scoring against the
standard kept as data (veto items fail a file whatever its score), results per department
and their use as a finding."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases.models import ActType, CaseStatus
from cases.testing import CaseFactory
from core.testing import assert_audited
from inspections import services
from inspections.models import CheckItem, FindingSource, ReviewStandard, ReviewStatus
from inspections.selectors import review_results, sample_cases

pytestmark = pytest.mark.django_db


def _closed(department, n: int, act_type=ActType.PENALTY, days_ago=10):
    closed_on = timezone.localdate() - dt.timedelta(days=days_ago)
    return CaseFactory(department=department, number=f"北市监〔2026〕{n}号", act_type=act_type,
                       status=CaseStatus.CLOSED, closed_on=closed_on, filed_on=closed_on - dt.timedelta(days=5),
                       discovered_at=timezone.now() - dt.timedelta(days=days_ago + 6))


@pytest.fixture
def pool(district):
    cases = [_closed(district.market, n) for n in range(1, 13)]
    cases += [_closed(district.market, n, ActType.INSPECTION) for n in range(13, 19)]
    cases += [_closed(district.market, n, ActType.LICENSING) for n in range(19, 21)]
    cases.append(_closed(district.market, 99, days_ago=400))  # outside the period
    CaseFactory(department=district.market, number="北市监〔2026〕98号", status=CaseStatus.INVESTIGATING)
    return cases


def _period():
    today = timezone.localdate()
    return {"closed_from": today - dt.timedelta(days=60), "closed_to": today}


def test_default_standard_is_one_hundred_points_with_veto_items():
    standard = ReviewStandard.objects.get(is_default=True)
    assert standard.total == 100
    assert {c.get_section_display() for c in standard.criteria.all()} == {
        "执法主体", "事实与证据", "法律适用", "执法程序", "裁量权行使", "文书制作与立卷归档"}
    assert standard.criteria.filter(is_veto=True).count() >= 4


def test_the_sample_is_reproducible_from_its_seed_and_stratified_by_act_type(district, pool):
    args = {"department": district.market, "size": 10, **_period()}
    first = sample_cases(seed=7, **args)
    assert first == sample_cases(seed=7, **args)
    assert first != sample_cases(seed=8, **args)
    chosen = [c for c in pool if c.pk in first]
    by_type = {t: sum(1 for c in chosen if c.act_type == t) for t in (ActType.PENALTY, ActType.INSPECTION,
                                                                     ActType.LICENSING)}
    # 12 : 6 : 2 of 20 → 6 : 3 : 1 of 10; nothing outside the period or not closed.
    assert by_type == {ActType.PENALTY: 6, ActType.INSPECTION: 3, ActType.LICENSING: 1}
    assert pool[-1].pk not in first


def test_drawing_records_the_seed_and_refuses_a_department_not_checked(district, pool):
    check = district.check()
    with pytest.raises(ValidationError, match="须是本次检查的被检查单位"):
        services.review_draw(actor=district.supervisor, check=check, department=district.urban,
                             sample_size=5, **_period())
    with assert_audited("inspections.review.draw"):
        review = services.review_draw(actor=district.supervisor, check=check, department=district.market,
                                      sample_size=10, **_period())
    again = sample_cases(department=district.market, size=10, seed=review.seed, **_period())
    assert sorted(review.files.values_list("case_id", flat=True)) == again


def _full(review):
    return {c.pk: (c.points, False, "") for c in review.standard.criteria.all()}


def test_scores_per_item_and_a_veto_item_fails_the_file_whatever_its_score(district, pool):
    check = district.check()
    review = services.review_draw(actor=district.supervisor, check=check, department=district.market,
                                  sample_size=3, seed=1, **_period())
    first, second, third = review.files.order_by("id")
    criteria = list(review.standard.criteria.all())
    scored = next(c for c in criteria if not c.is_veto)
    veto = next(c for c in criteria if c.is_veto)
    with pytest.raises(ValidationError, match="扣分须写明理由"):
        services.review_file_score(actor=district.supervisor, file=first,
                                   scores={**_full(review), scored.pk: (0, False, "")})
    with pytest.raises(ValidationError, match="得分须在"):
        services.review_file_score(actor=district.supervisor, file=first,
                                   scores={**_full(review), scored.pk: (scored.points + 1, False, "")})
    with pytest.raises(PermissionDenied):
        services.review_file_score(actor=district.market_legal, file=first, scores=_full(review))
    with assert_audited("inspections.review.score", first):
        services.review_file_score(actor=district.supervisor, file=first,
                                   scores={**_full(review), veto.pk: (0, True, "未告知陈述申辩权利。")})
    first.refresh_from_db()
    assert (first.score, first.vetoed, first.passed) == (100, True, False)
    services.review_file_score(actor=district.supervisor, file=second, scores=_full(review), comment="规范。")
    low = {c.pk: (0, False, "缺失。") for c in criteria if not c.is_veto}
    services.review_file_score(actor=district.supervisor, file=third, scores=low)
    second.refresh_from_db(), third.refresh_from_db()
    assert second.passed and second.reviewer == district.supervisor
    assert (third.score, third.passed) == (0, False)

    with assert_audited("inspections.casereview.transition", review):
        services.review_complete(actor=district.supervisor, review=review)
    [result] = review_results(district.supervisor)
    assert result == {"department_id": district.market.pk, "department": "区市场监督管理局", "files": 3,
                      "passed": 1, "pass_rate": 33.3, "mean": 66.7}

    with assert_audited("inspections.review.to_finding", review):
        finding = services.review_to_finding(actor=district.supervisor, review=review)
    assert finding.item == CheckItem.CASE_FILES and finding.source == FindingSource.REVIEW
    assert "合格率 33.3%" in finding.description and "触及否决项" in finding.description
    review.refresh_from_db()
    assert review.status == ReviewStatus.DONE and review.finding == finding


def test_a_review_is_completed_only_when_every_file_is_scored(district, pool):
    review = services.review_draw(actor=district.supervisor, check=district.check(), department=district.market,
                                  sample_size=2, seed=3, **_period())
    with pytest.raises(ValidationError, match="尚有 2 件案卷未评分"):
        services.review_complete(actor=district.supervisor, review=review)
