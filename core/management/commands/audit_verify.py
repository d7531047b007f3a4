from django.core.management.base import BaseCommand, CommandError

from core import audit_chain


class Command(BaseCommand):
    help = "封存并校验审计记录的哈希链，列出被修改、删除或插入的事件（仅 PostgreSQL）。"

    def handle(self, *args, **options):
        if not audit_chain.supported():
            raise CommandError("审计记录哈希链仅在 PostgreSQL 上提供。")
        sealed = audit_chain.seal()
        breaks = audit_chain.verify()
        if breaks:
            for item in breaks:
                self.stdout.write(f"  {item}")
            raise CommandError(f"审计记录哈希链有 {len(breaks)} 处异常。")
        self.stdout.write(f"审计记录哈希链完整（本次封存 {sealed} 条）。")
