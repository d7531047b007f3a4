"""``manage.py create_admin <username>``: the first administrator of a new installation
(README, "Production"). Creates the justice bureau if it does not exist and a user who is
its 系统管理员, with the password typed twice (or read from a file), checked by the password
policy. At the first sign-in the administrator sets up the dynamic code (second factor) and
is asked to change this password. Every row is made through the services, with its audit
event (the actor is the installation: no user yet)."""
from __future__ import annotations

import getpass
from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import services
from core.models import Organization, OrgKind, Role, User

BUREAU = "北戴河区司法局"


class Command(BaseCommand):
    help = "创建首位系统管理员（及区司法局单位，如尚不存在）。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="登录名")
        parser.add_argument("--name", default="系统管理员", help="姓名")
        parser.add_argument("--bureau", default=BUREAU, help=f"司法局单位全称（默认：{BUREAU}）")
        parser.add_argument("--password-file", help="从该文件第一行读取初始密码（省略则交互输入两次）")

    def handle(self, *args, username: str, name: str, bureau: str, password_file: str | None, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户 {username} 已存在。")
        if password_file:
            lines = Path(password_file).read_text(encoding="utf-8").splitlines()
            password = lines[0] if lines else ""
        else:
            password = getpass.getpass("初始密码：")
            if getpass.getpass("再次输入：") != password:
                raise CommandError("两次输入的密码不一致。")
        candidate = User(username=username, real_name=name)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        with transaction.atomic():
            organization = Organization.objects.filter(name=bureau).first()
            if organization is None:
                organization = services.organization_save(actor=None, organization=Organization(
                    name=bureau, short_name=bureau.replace("北戴河区", ""), kind=OrgKind.JUSTICE_BUREAU))
            elif organization.kind != OrgKind.JUSTICE_BUREAU:
                raise CommandError(f"单位“{bureau}”不是司法局。")
            candidate.is_staff = candidate.is_superuser = True
            candidate.password_change_required = True
            user = services.user_save(actor=None, user=candidate, password=password)
            services.membership_add(actor=None, user=user, organization=organization, role=Role.SYSTEM_ADMIN)
        self.stdout.write(f"已创建系统管理员 {username}（{organization.name}）。首次登录时须设置动态口令并修改初始密码。")
