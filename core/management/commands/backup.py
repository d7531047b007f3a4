from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import backup


class Command(BaseCommand):
    help = "备份数据库（pg_dump）与存储的文件（MEDIA_ROOT），并写入带校验值的清单（仅 PostgreSQL）。"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录：新目录或空目录")

    def handle(self, *args, directory, **options):
        target = Path(directory)
        try:
            manifest = backup.backup_create(directory=target)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        files = manifest["files"]
        self.stdout.write(
            f"已备份到 {target}：数据库 {files[backup.DUMP]['size']:,} 字节，"
            f"文件 {len(manifest['media'])} 个（{files[backup.MEDIA]['size']:,} 字节），"
            f"清单 {backup.MANIFEST}。")
