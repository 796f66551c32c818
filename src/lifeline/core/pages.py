"""How every app's pages meet errors: every view is signed-in only, and the one error hierarchy of
`core.errors` becomes one page with the message (403 Forbidden, 404 NotFound, 409 Conflict,
400 for a ValidationFailed that no form caught)."""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from lifeline.core.errors import Conflict, Forbidden, LifelineError, NotFound, ValidationFailed

P = ParamSpec("P")

TITLES: dict[type[LifelineError], Promise] = {
    Forbidden: gettext_lazy("Not allowed"),
    NotFound: gettext_lazy("Not found"),
    Conflict: gettext_lazy("Conflict"),
    ValidationFailed: gettext_lazy("Check the request"),
}


def error_page(request: HttpRequest, error: LifelineError) -> HttpResponse:
    title = next(
        (t for cls, t in TITLES.items() if isinstance(error, cls)),
        gettext_lazy("Something is wrong"),
    )
    fields = error.fields if isinstance(error, ValidationFailed) else {}
    return render(
        request,
        "core/error.html",
        {"title": title, "message": error.message, "fields": fields},
        status=error.http_status,
    )


def page_view(
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Sign-in required; a LifelineError raised by a service or selector becomes its page."""

    def wrapped(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except LifelineError as error:
            return error_page(request, error)

    update_wrapper(wrapped, view)
    return login_required(wrapped)
