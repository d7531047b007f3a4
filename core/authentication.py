"""API token authentication with an expiry (issue 16 item 8): a token older than
``settings.API_TOKEN_HOURS`` is refused; a password change revokes the user's token
(``core.services.user_password_set``) and the user may revoke it (DELETE
/api/v1/auth/token/)."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


def token_expires_at(token) -> dt.datetime:
    return token.created + dt.timedelta(hours=settings.API_TOKEN_HOURS)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expires_at(token) <= timezone.now():
            raise exceptions.AuthenticationFailed("接口令牌已过期，请重新获取。")
        return user, token
