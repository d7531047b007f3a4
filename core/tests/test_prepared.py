"""Statements built once and sent again (core/prepared.py, issue 17: the dashboard within
its budget with fifteen panels): what they return is what the ORM returns, on data written
after they were kept; an input goes into the kept statement; a builder that derives a
value from an input, reads the clock or reads the database is not kept."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from core import prepared
from core.models import Organization, OrgKind, User

pytestmark = pytest.mark.django_db


def _departments():
    return (Organization.objects.filter(kind=OrgKind.DEPARTMENT).order_by("name")
            .values("name", "is_active"))


def test_values_are_what_the_orm_gives_and_follow_later_writes():
    Organization.objects.create(name="测试甲局", short_name="甲", kind=OrgKind.DEPARTMENT)
    first = prepared.values(("departments",), _departments)
    assert first == list(_departments())
    Organization.objects.create(name="测试乙局", short_name="乙", kind=OrgKind.DEPARTMENT, is_active=False)
    again = prepared.values(("departments",), _departments)
    assert again == list(_departments())
    assert {"name": "测试乙局", "is_active": False} in again
    assert prepared.stats()["built"] >= 1 and len(again) == len(first) + 1


def test_an_input_is_a_parameter_of_the_kept_statement():
    now = timezone.now()
    User.objects.create_user("prep_old", date_joined=now - dt.timedelta(days=10))
    User.objects.create_user("prep_new", date_joined=now - dt.timedelta(days=1))

    def joined_since(since):
        return (User.objects.filter(username__startswith="prep_", date_joined__gte=since)
                .order_by("username").values("username"))

    built = prepared.stats()["built"]
    assert prepared.values(("joined",), joined_since, since=now - dt.timedelta(days=5)) == [
        {"username": "prep_new"}]
    assert prepared.values(("joined",), joined_since, since=now - dt.timedelta(days=20)) == [
        {"username": "prep_new"}, {"username": "prep_old"}]
    assert prepared.stats()["built"] == built + 1  # one statement, two values


def test_a_value_derived_from_an_input_or_the_clock_is_refused(settings):
    now = timezone.now()
    User.objects.create_user("prep_a", date_joined=now - dt.timedelta(days=3))

    def derived(now):
        return User.objects.filter(date_joined__gte=now - dt.timedelta(days=5)).values("username")

    def clock():
        return User.objects.filter(date_joined__lte=timezone.now()).values("username")

    with pytest.raises(prepared.NotPreparable):
        prepared.values(("derived",), derived, now=now)
    with pytest.raises(prepared.NotPreparable):
        prepared.values(("clock",), clock)
    # Outside the test suite: not kept, and the answer is the ORM's.
    settings.PREPARED_QUERIES_STRICT = False
    assert prepared.values(("derived",), derived, now=now) == list(derived(now))
    assert prepared.values(("clock",), clock) == list(clock())
    kept = prepared.stats()["kept"]
    later = now + dt.timedelta(days=30)
    assert prepared.values(("derived",), derived, now=later) == list(derived(later)) == []
    assert prepared.stats()["kept"] == kept


def test_a_build_that_reads_the_database_is_not_kept():
    Organization.objects.create(name="测试丙局", short_name="丙", kind=OrgKind.DEPARTMENT)

    def reads():
        ids = list(Organization.objects.filter(kind=OrgKind.DEPARTMENT).values_list("pk", flat=True))
        return Organization.objects.filter(pk__in=ids).order_by("pk").values("name")

    assert prepared.values(("reads",), reads) == list(reads())
    Organization.objects.create(name="测试丁局", short_name="丁", kind=OrgKind.DEPARTMENT)
    assert {"name": "测试丁局"} in prepared.values(("reads",), reads)
    assert prepared.stats()["kept"] == 0


def test_aggregate_is_what_aggregate_gives_with_rows_none_or_no_statement():
    Organization.objects.create(name="测试戊局", short_name="戊", kind=OrgKind.DEPARTMENT, is_active=False)
    counts = {"n": Count("pk"), "inactive": Count("pk", filter=Q(is_active=False))}
    for key, build in [(("all",), lambda: Organization.objects.all()),
                       (("none",), lambda: Organization.objects.filter(name="没有这个单位")),
                       (("empty in",), lambda: Organization.objects.filter(pk__in=[]))]:
        expected = build().aggregate(**counts)
        assert prepared.aggregate(key, build, counts) == expected
        assert prepared.aggregate(key, build, counts) == expected  # from the kept statement
    assert prepared.aggregate(("all",), lambda: Organization.objects.all(), counts)["inactive"] >= 1


def test_a_sliced_or_annotated_queryset_is_refused_by_aggregate():
    with pytest.raises(prepared.NotPreparable):
        prepared.aggregate(("sliced",), lambda: Organization.objects.all()[:3], {"n": Count("pk")})
    with pytest.raises(prepared.NotPreparable):
        prepared.values(("not values",), lambda: Organization.objects.all())


def test_off_every_view_builds_anew(settings):
    settings.PREPARED_QUERIES = False
    assert prepared.values(("off",), _departments) == list(_departments())
    assert prepared.stats()["kept"] == 0


def test_an_input_that_cannot_stand_in_or_a_builder_that_fails_on_one_runs_the_plain_way(settings):
    settings.PREPARED_QUERIES_STRICT = False

    def named(name):
        return Organization.objects.filter(name=name).values("name")

    def fussy(since):
        if since.year < 2000:
            raise ValueError("不接受这样早的日期")
        return User.objects.filter(date_joined__gte=since).values("username")

    built = prepared.stats()["built"]
    assert prepared.values(("text input",), named, name="没有这个单位") == []
    assert prepared.values(("fussy",), fussy, since=timezone.now()) == []
    assert prepared.stats()["kept"] == 0  # both refused once, remembered: built the plain way
    assert prepared.stats()["built"] == built
