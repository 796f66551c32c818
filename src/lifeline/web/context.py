"""Template context every page shares: this site and the signed-in user's roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from lifeline.core.services import user_roles


def site_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_code": settings.LIFELINE_SITE,
        "user_roles": user_roles(request.user),
    }
