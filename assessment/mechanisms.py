"""The indicators the other mechanisms' apps offer (M9.3), each registered only when its
app is installed — a missing app leaves its indicators out: complaints handled on time
(M3), the case-file review score (M7), information reports (W3), training hours (W1) and
guiding cases submitted (M11). Each figure is computed by the app's own function, in one
statement for all units."""
from __future__ import annotations

from typing import Sequence

from django.apps import apps
from django.conf import settings
from django.db.models import Avg
from django.urls import reverse
from django.utils.http import urlencode

from . import indicators
from .indicators import COUNT, HOURS, POINTS, Indicator
from .models import Area


def _only(figures: dict, unit_ids: Sequence[int]) -> dict:
    wanted = set(unit_ids)
    return {k: v for k, v in figures.items() if k in wanted}


def _complaints_on_time(year: int, unit_ids: Sequence[int]) -> dict[int, float]:
    from complaints.selectors import handled_on_time_by_unit

    return {unit: on_time / done for unit, (done, on_time) in
            _only(handled_on_time_by_unit(year), unit_ids).items() if done}


def _review_score(year: int, unit_ids: Sequence[int]) -> dict[int, float]:
    from inspections.models import ReviewFile, ReviewStatus

    rows = (ReviewFile.objects.filter(review__status=ReviewStatus.DONE, review__department_id__in=list(unit_ids),
                                      review__created_at__year=year)
            .order_by().values("review__department_id").annotate(mean=Avg("score")))
    return {r["review__department_id"]: round(float(r["mean"]), 1) for r in rows if r["mean"] is not None}


def _reports(year: int, unit_ids: Sequence[int]) -> dict[int, int]:
    from inforeports.indicators import reports_by_unit

    return {unit: submitted for unit, (submitted, _adopted) in _only(reports_by_unit(year), unit_ids).items()}


def _hours(year: int, unit_ids: Sequence[int]) -> dict[int, float]:
    from training.indicators import hours_by_unit

    return {unit: float(hours) for unit, hours in _only(hours_by_unit(year), unit_ids).items()}


def _guiding(year: int, unit_ids: Sequence[int]) -> dict[int, int]:
    from guidingcases.indicators import submitted_by_unit

    return _only(submitted_by_unit(year), unit_ids)


def _list(url_name: str, **params):
    def url(year: int, org_id: int) -> str:
        query = {k: (v(year, org_id) if callable(v) else v) for k, v in params.items()}
        return reverse(url_name) + "?" + urlencode(query)
    return url


def register_mechanisms() -> None:
    if apps.is_installed("complaints"):
        indicators.register(Indicator(
            key="complaints_on_time", label="投诉举报按期办结率", area=Area.DISPUTES,
            compute=_complaints_on_time,
            rows_url=_list("complaints:list", unit=lambda y, o: o, since=lambda y, o: f"{y}-01-01",
                           until=lambda y, o: f"{y}-12-31"),
            description="年度内办结的投诉举报中在办理期限内办结的比例。"))
    if apps.is_installed("inspections"):
        indicators.register(Indicator(
            key="case_review_score", label="行政执法案卷评查平均分", area=Area.ENFORCEMENT,
            compute=_review_score, unit=POINTS, points=indicators.out_of(100),
            rows_url=_list("inspections:reviews", department=lambda y, o: o),
            description="年度内完成的案卷评查中本单位案卷的平均得分（百分制）。"))
    if apps.is_installed("inforeports"):
        per_year = settings.INFO_REPORTS_PER_MONTH * 12
        indicators.register(Indicator(
            key="info_reports", label="执法信息报送数量", area=Area.RESULTS, compute=_reports, unit=COUNT,
            points=indicators.towards(per_year),
            rows_url=_list("inforeports:list", unit=lambda y, o: o, since=lambda y, o: f"{y}-01-01",
                           until=lambda y, o: f"{y}-12-31"),
            description=f"年度内报送的执法信息条数，达到每月{settings.INFO_REPORTS_PER_MONTH}条得满分。"))
    if apps.is_installed("training"):
        indicators.register(Indicator(
            key="training_hours", label="执法培训学时", area=Area.AWARENESS, compute=_hours, unit=HOURS,
            points=indicators.towards(settings.TRAINING_HOURS_PER_YEAR),
            rows_url=_list("training:hours", organization=lambda y, o: o, year=lambda y, o: y),
            description=f"年度内本单位人员参加执法培训的学时，达到{settings.TRAINING_HOURS_PER_YEAR}学时得满分。"))
    if apps.is_installed("guidingcases"):
        indicators.register(Indicator(
            key="guiding_cases", label="报送行政执法指导案例", area=Area.ENFORCEMENT, compute=_guiding,
            unit=COUNT, points=indicators.towards(settings.GUIDING_CASES_PER_YEAR),
            rows_url=_list("guidingcases:list", department=lambda y, o: o, year=lambda y, o: y),
            description=f"年度内报送的指导案例件数，达到{settings.GUIDING_CASES_PER_YEAR}件得满分。"))
