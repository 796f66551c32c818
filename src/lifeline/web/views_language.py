"""The language switch in the header: kept for the signed-in user and in a cookie for the
login page, then back to the page the person was reading."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lifeline.core.language import language_codes, user_language_set


@require_POST
def language_choose(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("web:home")
    response = HttpResponseRedirect(back)
    if language not in language_codes():
        return response
    if request.user.is_authenticated:
        user_language_set(request.user, language, request)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
