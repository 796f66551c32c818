"""Answers to wait, not errors of the server. A database that stays busy (SQLite's one writer
held past the busy timeout, a PostgreSQL lock timeout) gives a 503 with Retry-After instead of
an HTML 500; a sign-in locked out after too many wrong passwords a 429. Both in JSON for the
API and as a page otherwise."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

log = logging.getLogger("lifeline.busy")

RETRY_AFTER_S = 5
# What SQLite and PostgreSQL say when a lock could not be had in time.
_BUSY_WORDS = (
    "database is locked",
    "database table is locked",
    "lock timeout",
    "could not obtain lock",
)


def is_database_busy(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and any(w in str(exc).lower() for w in _BUSY_WORDS)


def busy_response(request: HttpRequest) -> HttpResponse:
    message = _("the database is busy with another write; try again in a few seconds")
    headers = {"Retry-After": str(RETRY_AFTER_S)}
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        body = {"error": {"code": "busy", "message": message}}
        return JsonResponse(body, status=503, headers=headers)
    page = render_to_string("core/busy.html", {"message": message}, request=request)
    return HttpResponse(page, status=503, headers=headers)


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_busy(exception):
            return None
        log.warning("%s %s: %s (answered 503)", request.method, request.path, exception)
        return busy_response(request)


def lockout_response(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    """What a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE): 429, in JSON for
    the API and as a page otherwise, saying when to try again."""
    from django.conf import settings

    wait = settings.AXES_COOLOFF_TIME
    message = _("too many failed sign-ins for this account from here; try again in %(wait)s") % {
        "wait": wait
    }
    headers = {"Retry-After": str(int(wait.total_seconds()))}
    if request.path.startswith("/api/"):
        body = {"error": {"code": "throttled", "message": message}}
        return JsonResponse(body, status=429, headers=headers)
    page = render_to_string("core/locked.html", {"message": message}, request=request)
    return HttpResponse(page, status=429, headers=headers)
