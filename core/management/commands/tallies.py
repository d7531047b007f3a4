"""``manage.py tallies [--check]``: recount every summary table (core.tallies) from its
source rows, or only report where a summary disagrees with its source."""
from django.core.management.base import BaseCommand, CommandError

from core import tallies


class Command(BaseCommand):
    help = "重新统计看板汇总表（core.tallies）；--check 只核对，不修改。"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只核对汇总表与明细是否一致")

    def handle(self, *args, check, **options):
        wrong = 0
        for name, tally in tallies.registered().items():
            if check:
                diffs = tallies.differences(tally)
                wrong += len(diffs)
                self.stdout.write(f"{name}: {'一致' if not diffs else f'{len(diffs)} 处不一致'}")
                for key, stored, counted in diffs[:20]:
                    self.stdout.write(f"  {key}: 汇总 {stored}，明细 {counted}")
            else:
                self.stdout.write(f"{name}: 已重新统计 {tallies.rebuild(tally)} 行")
        if wrong:
            raise CommandError(f"{wrong} 处汇总与明细不一致；运行 manage.py tallies 重新统计。")
