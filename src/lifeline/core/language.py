"""Each user's language: chosen once, kept on the server, applied to every page they load.

Django's LocaleMiddleware picks the cookie or the browser's language before the user is
known; this middleware runs after authentication and puts the user's own choice first, so a
medic who reads Arabic gets Arabic on any phone she signs in from. The choice is read from the
database once, at sign-in, into the session (no query per page). API clients send
Accept-Language and are not affected (token authentication happens in the view).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from lifeline.core.errors import ValidationFailed
from lifeline.core.models import UserPreference


def language_codes() -> frozenset[str]:
    return frozenset(code for code, _name in settings.LANGUAGES)


def user_language(user: AbstractBaseUser | AnonymousUser) -> str:
    """The user's chosen language code, or "" when they chose none."""
    if not user.is_authenticated:
        return ""
    language = (
        UserPreference.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    )
    return language or ""


def user_language_set(
    user: AbstractBaseUser, language: str, request: HttpRequest | None = None
) -> None:
    if language not in language_codes():
        raise ValidationFailed({"language": [_("unknown language %(code)r") % {"code": language}]})
    UserPreference.objects.update_or_create(user_id=user.pk, defaults={"language": language})
    if request is not None:
        request.session[SESSION_KEY] = language


SESSION_KEY = "lifeline_language"


def language_on_sign_in(
    sender: Any, request: HttpRequest, user: AbstractBaseUser, **_: Any
) -> None:
    """Connected to `user_logged_in`: the user's choice follows them into the new session."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = user_language(user)


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = ""
        if request.user.is_authenticated:
            language = request.session.get(SESSION_KEY, "")
        if language in language_codes():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def environment_language(explicit: str | None, environ: dict[str, str]) -> str:
    """The CLI's language: --lang, else the POSIX locale variables (LC_ALL, LC_MESSAGES, LANG
    as gettext reads them, "fr_FR.UTF-8" -> "fr"), else the site's default."""
    codes = language_codes()
    if explicit:
        if explicit not in codes:
            raise ValidationFailed(
                {
                    "lang": [
                        _("unknown language %(code)r; one of %(codes)s")
                        % {"code": explicit, "codes": ", ".join(sorted(codes))}
                    ]
                }
            )
        return explicit
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if not value:
            continue
        code = value.split(".")[0].split("_")[0].split("-")[0].lower()
        if code in codes:
            return code
        break  # the first variable set decides, as gettext does; an unknown one falls back
    return str(settings.LANGUAGE_CODE)
