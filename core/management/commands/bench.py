"""``manage.py bench [names]``: run the registered benchmarks and print their figures."""
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules

from core import bench


class Command(BaseCommand):
    help = "运行性能基准（各应用在 bench.py 中登记），打印测得的数值。"

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="只运行这些基准（默认全部）")
        parser.add_argument("--list", action="store_true", help="列出已登记的基准")

    def handle(self, *args, names, list, **options):
        autodiscover_modules("bench")
        registered = bench.benchmarks()
        if list:
            for name, (_fn, description) in registered.items():
                self.stdout.write(f"{name}\t{description}")
            return
        unknown = sorted(set(names) - set(registered))
        if unknown:
            raise CommandError(f"未登记的基准：{', '.join(unknown)}（已登记：{', '.join(registered) or '无'}）")
        missed = 0
        for name, (fn, description) in registered.items():
            if names and name not in names:
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(f"{name}  {description}"))
            for figure in fn():
                verdict = {True: "达标", False: "未达标", None: ""}[figure.met]
                missed += figure.met is False
                target = f"  目标 {figure.target}" if figure.target else ""
                line = f"  {figure.label:<28} {figure.value:>12.3f} {figure.unit:<4}{target}  {verdict}"
                self.stdout.write(self.style.ERROR(line) if figure.met is False else line)
        if missed:
            self.stdout.write(self.style.WARNING(f"{missed} 项未达到目标。"))
