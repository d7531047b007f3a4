from django.core.management.base import BaseCommand

from core import demo
from core.models import Organization, User


class Command(BaseCommand):
    help = "创建北戴河区演示数据（单位、每个角色一个演示账号）。可重复执行，不改动已有数据。"

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="仅在尚无任何单位时创建（make run 首次启动时使用）。")
        parser.add_argument("--list", action="store_true", help="只列出演示账号，不创建。")
        parser.add_argument("--otp", action="store_true",
                            help="显示须用动态口令登录的演示账号当前的动态口令。")

    def handle(self, *args, if_empty: bool = False, list: bool = False, otp: bool = False,
               **options):
        if otp:
            for username, code in demo.demo_totp_codes():
                self.stdout.write(f"  {username:<10} {code}")
            return
        if list:
            existing = set(User.objects.values_list("username", flat=True))
            logins = [(u, name, f"{org} · {role.label}") for u, name, org, role, _ in demo.USERS
                      if u in existing]
        elif if_empty and Organization.objects.exists():
            self.stdout.write("已有数据，未重复创建演示数据。")
            return
        else:
            logins = demo.seed()
        if not logins:
            return
        self.stdout.write(f"演示账号（初始密码均为 {demo.demo_password()}）：")
        for username, name, where in logins:
            self.stdout.write(f"  {username:<10} {name}（{where}）")
        from core.twofactor import base32_key

        self.stdout.write(
            "区司法局监督员和系统管理员登录时还须输入动态口令：在手机验证器中添加演示密钥 "
            f"{base32_key(demo.DEMO_TOTP_KEY)}，或运行 .venv/bin/python manage.py seed_demo --otp "
            "查看当前口令（仅限演示数据）。")
