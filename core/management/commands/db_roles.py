"""The application's own PostgreSQL role (issue 16 item 6): a login role that owns nothing
and is no superuser, so the application cannot switch its own protections off —
``TRUNCATE``, ``ALTER TABLE … DISABLE TRIGGER`` and ``session_replication_role`` need the
owner or a superuser. It reads and writes every table, except the audit trail, which it
may only read and append to (and seal through ``core_event_seal()``).

Run by the owner after ``migrate`` (README, "PostgreSQL roles"; `make run` does it in
scripts/run.sh, `make test` in conftest.py); the application then connects with
``DATABASE_URL`` naming the new role."""
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "创建或更新应用程序使用的 PostgreSQL 登录角色（非超级用户、不拥有任何表），并授予所需权限。"

    def add_arguments(self, parser):
        parser.add_argument("role", help="角色名，如 beidaihe_app")
        parser.add_argument("--password", default=None, help="登录口令（省略则不修改）")
        parser.add_argument("--password-stdin", action="store_true",
                            help="从标准输入的第一行读取登录口令（不出现在进程列表中）")

    def handle(self, *args, role: str, password: str | None, password_stdin: bool, **options):
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError("标准输入中没有口令。")
        if connection.vendor != "postgresql":
            raise CommandError("仅用于 PostgreSQL。")
        if not role.replace("_", "").isalnum():
            raise CommandError("角色名只能包含字母、数字和下划线。")
        q = connection.ops.quote_name(role)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE ROLE {q} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                               "NOREPLICATION NOBYPASSRLS NOINHERIT")
            else:
                cursor.execute(f"ALTER ROLE {q} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                               "NOREPLICATION NOBYPASSRLS NOINHERIT")
            if password is not None:
                cursor.execute(f"ALTER ROLE {q} PASSWORD %s", [password])
            cursor.execute(f"GRANT CONNECT ON DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} TO {q}")
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {q}")
            cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {q}")
            cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON core_event FROM {q}")
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {q}")
            cursor.execute(f"GRANT EXECUTE ON FUNCTION core_event_seal() TO {q}")
            # Tables a later migration creates: the same rights.
            cursor.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
                           f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {q}")
            cursor.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
                           f"GRANT USAGE, SELECT ON SEQUENCES TO {q}")
        self.stdout.write(f"已设置角色 {role}：可读写业务数据，审计记录只能读取和追加。")
