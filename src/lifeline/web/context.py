"""Template context every page shares: this site, the signed-in user's roles and their menu.

All are lazy, so a page that does not show them makes no query for them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from lifeline.alerts.selectors import alert_open_count
from lifeline.core.clock import site_local
from lifeline.core.roles import role_label
from lifeline.core.services import user_roles
from lifeline.web.menu import menu_for


def site_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_code": settings.LIFELINE_SITE,
        "site_name": SimpleLazyObject(lambda: site_local().name),
        "user_roles": SimpleLazyObject(
            lambda: [role_label(name) for name in user_roles(request.user)]
        ),
    }


def menu_context(request: HttpRequest) -> dict[str, Any]:
    """`menu`: the header's menu for this person on this page (see lifeline.web.menu); the
    count of open alerts nobody has acknowledged yet, for the header's badge."""
    context: dict[str, Any] = {
        "menu": SimpleLazyObject(lambda: menu_for(request.user, request.resolver_match))
    }
    if request.user.is_authenticated:
        context["open_alert_count"] = alert_open_count(actor=request.user, unacknowledged_only=True)
        context["alert_inbox_url"] = reverse("web:alerts")
    return context
