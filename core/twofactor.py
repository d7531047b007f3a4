"""The second factor (issue 16 item 14): TOTP through django-otp, with recovery codes
(django-otp's static tokens), required of the justice bureau's supervisors and of
administrators, offered to everyone else. Reads only; the writes are services
(``core.services.otp_*``)."""
from __future__ import annotations

import base64

from django.conf import settings
from django.db.models import Q
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Membership, OrgKind, Role

RECOVERY_CODES = 10


def required_for(user) -> bool:
    """Whether the user may not work without a second factor."""
    if not settings.OTP_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return Membership.objects.filter(
        Q(role=Role.SYSTEM_ADMIN)
        | Q(role=Role.SUPERVISOR, organization__kind=OrgKind.JUSTICE_BUREAU), user=user).exists()


def has_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_factor(user) -> bool:
    """A user who must, or chose to, sign in with a second factor (asked on each request
    of a session not yet verified: one or two small queries)."""
    return required_for(user) or has_totp(user)


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def base32_key(hex_key: str) -> str:
    """The key as an authenticator app asks for it (Base32, no padding)."""
    return base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")


def provisioning_uri(user, hex_key: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return TOTPDevice(user=user, key=hex_key, name="TOTP").config_url


def qr_svg(uri: str) -> str:
    import segno

    return segno.make(uri, error="m").svg_inline(scale=4, border=2)
