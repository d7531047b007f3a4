from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = ("从备份目录恢复到空数据库与空的文件存储目录：先核对校验值，再恢复数据库与文件，"
            "最后核对每个文件的 SHA-256 并校验审计记录哈希链（仅 PostgreSQL）。")

    def add_arguments(self, parser):
        parser.add_argument("directory", help="manage.py backup 写出的备份目录")

    def handle(self, *args, directory, **options):
        try:
            report = backup.restore(directory=Path(directory))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已恢复：数据库 {report.tables} 个表和序列，文件 {report.files} 个。")
        for line in report.problems + report.chain_breaks:
            self.stdout.write(f"  {line}")
        if report.problems:
            raise CommandError(f"有 {len(report.problems)} 个文件与记录的校验值不符或缺失。")
        if report.chain_breaks:
            raise CommandError(f"审计记录哈希链有 {len(report.chain_breaks)} 处异常。")
        self.stdout.write(f"{report.checked} 个文件的 SHA-256 与记录一致；审计记录哈希链完整。")
        if report.missing_migrations:
            self.stdout.write("备份来自较早的版本，请运行 manage.py migrate 完成升级。")
