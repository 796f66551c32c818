"""Template context every page shares: this site and the signed-in user's roles.

Both are lazy, so a page that does not show them makes no query for them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from lifeline.core.clock import site_local
from lifeline.core.services import user_roles


def site_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_code": settings.LIFELINE_SITE,
        "site_name": SimpleLazyObject(lambda: site_local().name),
        "user_roles": SimpleLazyObject(lambda: user_roles(request.user)),
    }
