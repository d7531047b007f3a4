"""The password policy (等保 2.0 level 3; settings.AUTH_PASSWORD_VALIDATORS): at least ten
characters (Django's MinimumLengthValidator) of at least three classes, never containing
the user name."""
from __future__ import annotations

import string

from django.core.exceptions import ValidationError

CLASSES = (("大写字母", set(string.ascii_uppercase)), ("小写字母", set(string.ascii_lowercase)),
           ("数字", set(string.digits)))


def _classes(password: str) -> int:
    found = sum(1 for _label, chars in CLASSES if any(c in chars for c in password))
    symbols = any(not (c.isascii() and c.isalnum()) for c in password)
    return found + symbols


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if _classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"


class NotUsernameValidator:
    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").strip().lower()
        if username and username in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self):
        return "密码不能包含用户名。"
