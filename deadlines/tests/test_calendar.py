"""The Chinese working-day calendar (SPEC, "Deadlines"; issue 3 items 1–2)."""
import datetime as dt
import io

import pytest
from django.core.management import call_command

from core import formats
from deadlines import calendar
from deadlines.models import CalendarDay, DayKind

pytestmark = pytest.mark.django_db
D = dt.date


def workday(*args) -> str:
    out = io.StringIO()
    call_command("workday", *args, stdout=out)
    return out.getvalue().strip()


def test_calendar_is_seeded_2004_to_2026_by_migration():
    assert CalendarDay.objects.filter(date__year=2004).exists()
    assert CalendarDay.objects.filter(date__year=2026).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert CalendarDay.objects.get(date=D(2026, 2, 17)).name == "春节"


def test_spring_festival_2026_start_day_not_counted_and_adjusted_saturday_counts():
    """2026-02-13 (Fri) + 3: Sat 14th is a 调休 working day (1), the festival runs
    15th–23rd, then 24th (2) and 25th (3)."""
    assert calendar.add_working_days(D(2026, 2, 13), 3) == calendar.WorkdayResult(D(2026, 2, 25), False)
    assert workday("add", "2026-02-13", "3") == "2026-02-25"


def test_adjusted_weekend_working_days_and_festival_weekdays():
    assert calendar.is_working_day(D(2026, 2, 14))  # Saturday, 调休
    assert calendar.is_working_day(D(2026, 2, 28))  # Saturday, 调休
    assert not calendar.is_working_day(D(2026, 2, 16))  # Monday, 春节
    assert not calendar.is_working_day(D(2026, 3, 7))  # an ordinary Saturday
    assert workday("check", "2026-02-14") == "2026-02-14 工作日：调休上班（春节）"
    assert workday("check", "2026-02-16") == "2026-02-16 休息日：法定节假日（春节）"
    assert workday("check", "2026-03-09") == "2026-03-09 工作日：周一至周五"


def test_national_day_2025_with_its_adjusted_working_days():
    """National Day and Mid-Autumn 2025: 1–8 October off, Sunday 28 September and
    Saturday 11 October worked."""
    assert calendar.is_working_day(D(2025, 9, 28))
    assert calendar.is_working_day(D(2025, 10, 11))
    # Friday 26 Sep + 1 → Sunday 28 Sep (调休); + 3 → Tuesday 30 Sep; + 4 → Thursday 9 Oct.
    assert calendar.add_working_days(D(2025, 9, 26), 1).date == D(2025, 9, 28)
    assert calendar.add_working_days(D(2025, 9, 26), 3).date == D(2025, 9, 30)
    assert calendar.add_working_days(D(2025, 9, 26), 4).date == D(2025, 10, 9)


def test_dragon_boat_holiday_on_a_friday_2026():
    """端午 2026 falls on Friday 19 June: a Thursday start + 1 lands on Monday 22 June."""
    assert not calendar.is_working_day(D(2026, 6, 19))
    assert calendar.add_working_days(D(2026, 6, 18), 1).date == D(2026, 6, 22)


def test_year_without_schedule_is_provisional_weekends_and_fixed_holidays_only():
    result = calendar.add_working_days(D(2026, 12, 30), 3)
    # 31 Dec (1), 1 Jan 2027 is New Year's Day, 2–3 Jan a weekend, 4 Jan (2), 5 Jan (3).
    assert result == calendar.WorkdayResult(D(2027, 1, 5), True)
    assert workday("add", "2026-12-30", "3") == "2027-01-05 provisional"
    assert "尚未导入" in workday("check", "2027-10-02")


def test_end_of_day_is_midnight_shanghai():
    moment = calendar.end_of_day(D(2026, 2, 25))
    assert moment.isoformat() == "2026-02-26T00:00:00+08:00"
    assert formats.due_text(moment) == "2026年2月25日24时"


def test_workday_command_refuses_bad_input_with_a_message():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="日期"):
        workday("add", "2026-02-30", "3")
    with pytest.raises(CommandError, match="至少"):
        workday("add", "2026-02-13", "0")


def test_import_file_loads_a_year_and_its_adjusted_days(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,休,春节\n"
                    "2027-02-07,holiday,春节\n2027-02-08,holiday,春节\n2027-02-20,班,春节\n",
                    encoding="utf-8")
    assert "已导入 2027 年" in workday("import", str(path))
    assert CalendarDay.objects.get(date=D(2027, 2, 20)).kind == DayKind.WORKDAY
    assert workday("check", "2027-02-20") == "2027-02-20 工作日：调休上班（春节）"
    assert workday("add", "2027-02-05", "1") == "2027-02-09"


def test_import_refuses_a_bad_file_and_keeps_the_calendar(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "bad.csv"
    path.write_text("2026-03-02,workday,春节\n2026-03-03,放假,春节\n", encoding="utf-8")
    before = CalendarDay.objects.filter(date__year=2026).count()
    with pytest.raises(CommandError) as err:
        workday("import", str(path))
    assert "第 1 行" in str(err.value) and "第 2 行" in str(err.value)
    assert CalendarDay.objects.filter(date__year=2026).count() == before


def test_the_years_deadlines_are_counted_in():
    """Near the ends of Python's calendar the working-day arithmetic overflows (a typed
    0001-01-01 or 9999-12-31 was a server error): deadlines are counted in 2000–2999, a
    due at 24:00 of 2999-12-31 included."""
    sh = calendar.SHANGHAI
    assert calendar.in_range(D(2000, 1, 1)) and calendar.in_range(D(2999, 12, 31))
    assert not calendar.in_range(D(1999, 12, 31)) and not calendar.in_range(D(3000, 1, 1))
    assert calendar.due_in_range(calendar.end_of_day(D(2999, 12, 31)))
    assert not calendar.due_in_range(dt.datetime(3000, 1, 1, 0, 1, tzinfo=sh))
    assert calendar.due_in_range(dt.datetime(1999, 12, 31, 16, tzinfo=dt.timezone.utc))  # 2000-01-01 00:00 here
    assert not calendar.due_in_range(dt.datetime(1, 1, 1, tzinfo=dt.timezone.utc))
    assert not calendar.due_in_range(dt.datetime(9999, 12, 31, 23, tzinfo=sh))
