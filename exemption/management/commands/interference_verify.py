from django.core.management.base import BaseCommand, CommandError

from exemption import chain


class Command(BaseCommand):
    help = "校验干预执法活动记录的哈希链，列出被修改、删除或插入的记录及被改动的附件。"

    def handle(self, *args, **options):
        breaks = chain.verify()
        if breaks:
            for item in breaks:
                self.stdout.write(f"  {item}")
            raise CommandError(f"干预执法活动记录哈希链有 {len(breaks)} 处异常。")
        self.stdout.write("干预执法活动记录哈希链完整。")
