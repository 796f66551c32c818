"""API tokens that expire (LIFELINE_TOKEN_HOURS after they were issued) and can be revoked:
DRF's token model, with the age checked at every request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_expired(token: Token, now: dt.datetime | None = None) -> bool:
    age = (now or timezone.now()) - token.created
    return bool(age > dt.timedelta(hours=settings.LIFELINE_TOKEN_HOURS))


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, refused once the token is older than its lifetime."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed(
                "the token has expired; sign in again (POST /api/auth/token/ or lifeline login)"
            )
        return user, token


def token_user(key: str) -> Any:
    """The active user of a token that has not expired (the CLI's LIFELINE_TOKEN), or None."""
    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active or token_expired(token):
        return None
    return token.user
