"""``manage.py workday import FILE`` | ``add DATE N`` | ``check DATE`` (issue 3)."""
from __future__ import annotations

import csv
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from deadlines import calendar, services
from deadlines.models import DayKind

KIND_WORDS = {
    "holiday": DayKind.HOLIDAY, "法定节假日": DayKind.HOLIDAY, "节假日": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY, "调休上班": DayKind.WORKDAY, "调休": DayKind.WORKDAY,
    "班": DayKind.WORKDAY,
}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"日期“{text}”无效，应为 YYYY-MM-DD。") from None


def read_schedule(path: str) -> list[tuple[dt.date, str, str]]:
    """Rows of a CSV file ``date,kind,name`` (a header line is allowed)."""
    rows = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            for number, record in enumerate(csv.reader(f), start=1):
                if not record or not "".join(record).strip() or record[0].startswith("#"):
                    continue
                if number == 1 and record[0].strip().lower() in ("date", "日期"):
                    continue
                if len(record) < 3:
                    raise CommandError(f"第 {number} 行应有三列：日期,类别,节日名称。")
                kind = KIND_WORDS.get(record[1].strip(), record[1].strip())
                rows.append((_date(record[0]), kind, record[2].strip()))
    except OSError as exc:
        raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from None
    return rows


class Command(BaseCommand):
    help = "工作日历：import FILE 导入放假安排；add DATE N 计算第 N 个工作日；check DATE 判断是否工作日。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入国务院放假安排（CSV：日期,类别,节日名称）")
        imp.add_argument("file")
        add = sub.add_parser("add", help="DATE 之后的第 N 个工作日（起算日不计入）")
        add.add_argument("date")
        add.add_argument("n", type=int)
        check = sub.add_parser("check", help="DATE 是否工作日及原因")
        check.add_argument("date")

    def handle(self, *args, action, **options):
        if action == "add":
            if options["n"] < 1:
                raise CommandError("N 至少为 1。")
            result = calendar.add_working_days(_date(options["date"]), options["n"])
            self.stdout.write(f"{result.date.isoformat()}{' provisional' if result.provisional else ''}")
        elif action == "check":
            d = _date(options["date"])
            info = calendar.day_info(d)
            self.stdout.write(f"{d.isoformat()} {'工作日' if info.working else '休息日'}：{info.reason}")
        else:
            rows = read_schedule(options["file"])
            try:
                outcome = services.calendar_import(rows=rows, actor=None,
                                                   source=f"（{options['file']}）")
            except ValidationError as exc:
                raise CommandError("\n".join(exc.messages)) from None
            years = "、".join(map(str, outcome["years"]))
            self.stdout.write(self.style.SUCCESS(
                f"已导入 {years} 年放假安排 {outcome['days']} 天；重算暂定期限 {outcome['recomputed']} 个。"))
