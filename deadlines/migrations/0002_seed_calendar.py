"""Seed the holiday calendar 2004–2026 from the chinese-calendar package, so a fresh
database computes working days correctly; later years come by ``workday import``."""
from django.db import migrations

FIRST_YEAR, LAST_YEAR = 2004, 2026


def seed(apps, schema_editor):
    from chinese_calendar import constants

    from deadlines.calendar import FESTIVAL_NAMES

    CalendarDay = apps.get_model("deadlines", "CalendarDay")
    if CalendarDay.objects.exists():
        return
    rows = [
        CalendarDay(date=day, kind=kind, name=FESTIVAL_NAMES.get(str(name), str(name)))
        for kind, source in (("holiday", constants.holidays), ("workday", constants.workdays))
        for day, name in source.items() if FIRST_YEAR <= day.year <= LAST_YEAR
    ]
    CalendarDay.objects.bulk_create(rows)


def unseed(apps, schema_editor):
    apps.get_model("deadlines", "CalendarDay").objects.filter(
        date__year__gte=FIRST_YEAR, date__year__lte=LAST_YEAR).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
