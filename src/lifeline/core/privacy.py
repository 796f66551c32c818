"""Nothing protected left on phones: every page and API answer is sent with
`Cache-Control: no-store` (unless its view chose its own caching), a signed-in session ends
after LIFELINE_SESSION_IDLE_MINUTES without a request, and signing out tells the browser to
clear what it keeps for the site (`Clear-Site-Data`). A site locked down with an encrypted
database answers 503 with the reason instead of failing on its first query."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import LogoutView, redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

SEEN_KEY = "lifeline_seen"
SEEN_RESOLUTION_S = 60  # the session is written at most once a minute to say it is in use


class PrivatePagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        locked = _locked_response()
        if locked is not None:
            return locked
        if request.user.is_authenticated and _idle_too_long(request):
            logout(request)
            return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


def _idle_too_long(request: HttpRequest) -> bool:
    now = int(time.time())
    seen = request.session.get(SEEN_KEY)
    idle_s = int(settings.LIFELINE_SESSION_IDLE_MINUTES) * 60
    if isinstance(seen, int) and now - seen > idle_s:
        return True
    if not isinstance(seen, int) or now - seen >= SEEN_RESOLUTION_S:
        request.session[SEEN_KEY] = now
    return False


def _locked_response() -> HttpResponse | None:
    from lifeline.core.keys import keys_state
    from lifeline.core.sqlcipher import sqlcipher_enabled

    if not sqlcipher_enabled() or keys_state() == "unlocked":
        return None
    response = HttpResponse(
        _("This site is locked down: its data cannot be read until the recovery key unlocks it."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    return response


class SignOutView(LogoutView):
    """Django's sign-out, and the browser told to drop the site's cache and storage."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


def seen_on_sign_in(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Signing in counts as being seen, so the first pages write no session."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())
